import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { deflateRawSync } from "node:zlib";
import type { ExportedRun } from "./export";
import { checkMachine, checkResult, checkSpec, decodeSnapshot, encodeSnapshot, maxSnapshotChars } from "./snapshot";
import type { Machine, Result, Spec } from "../types";

const native: Machine = { where: "native", os: "linux", arch: "amd64", cores: 2, gomaxprocs: 2, go_version: "go1.26.8" };
const browser: Machine = { where: "browser", os: "js", arch: "wasm", cores: 8, gomaxprocs: 1, go_version: "go1.26.8", agent: "Chrome/140" };
const cpu: Spec = { preset: "cpu_mp", experiment: "cpu", variant: "process", workers: 2, tasks: 4, n: 1000, repeat: 3 };
const race: Spec = { experiment: "race", variant: "pool", workers: 5, tasks: 10, mode: "unsafe", yield: true, repeat: 1 };
const io: Spec = { experiment: "io", variant: "eventloop", workers: 160, tasks: 160, delay: "50ms", jitter: "0s", size: 25000 };

/** A result as the page keeps it: no per-task results and no span count, which a snapshot does not carry. */
function result(spec: Spec, machine: Machine, extra: Partial<Result> = {}): Result {
  return {
    ...(spec.preset ? { preset: spec.preset } : {}),
    experiment: spec.experiment, variant: spec.variant, where: machine.where, workers: spec.workers, tasks: spec.tasks,
    duration_ns: 2_500_000, results: [], checksum: "0123456789abcdef", spec, machine, spans: 0, ...extra,
  };
}

const runs: ExportedRun[] = [
  { at: Date.UTC(2026, 0, 2, 3, 4, 5), result: result(cpu, native, { duration_ns: 148_638_853, repeats: [267_593_941, 203_346_431, 148_638_853] }) },
  { at: Date.UTC(2026, 0, 2, 3, 5, 0), result: result(race, browser, { race: { expected: 1000, counted: 200, lost: 800 } }) },
  { at: Date.UTC(2026, 0, 2, 3, 6, 0), result: result(io, browser) },
];

/** As JSON would keep it: a field set to undefined (a run of no preset) is no field. */
const plain = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

/** A `results` value written by hand, as a hostile or broken link would be. */
const param = (snap: unknown) => deflateRawSync(Buffer.from(JSON.stringify(snap))).toString("base64url");
const snapRun = (m: unknown, over: Record<string, unknown> = {}) => ({ t: 1_767_225_600, w: "native", m, k: 2, d: 2_000_000, c: "0123456789abcdef", s: cpu, ...over });

describe("a snapshot round trip", () => {
  test("decodes to the runs encoded, to the second", async () => {
    const { text, kept } = await encodeSnapshot(runs);
    assert.equal(kept, runs.length);
    assert.match(text, /^[A-Za-z0-9_-]+$/, "base64url: safe in a query without escaping");
    assert.deepEqual(plain(await decodeSnapshot(text)), runs);
  });
  test("lists a machine once however many runs it ran", async () => {
    const many = Array.from({ length: 30 }, (_, i) => ({ at: i * 1000, result: result(cpu, native) }));
    const one = await encodeSnapshot(many.slice(0, 1));
    const { text } = await encodeSnapshot(many);
    assert.ok(text.length < one.text.length * 4, `30 runs take ${text.length} chars, one ${one.text.length}`);
  });
  test("keeps the newest runs that fit, dropping the oldest", async () => {
    const many = Array.from({ length: 40 }, (_, i) => ({ at: i * 1000, result: result(cpu, native, { duration_ns: 1_000_000 + i * 7919, checksum: `${i}`.padStart(16, "0") }) }));
    const { text, kept } = await encodeSnapshot(many, 300);
    assert.ok(kept >= 1 && kept < many.length, `kept ${kept} of ${many.length}`);
    assert.ok(text.length <= 300, `${text.length} chars, over the 300 asked for`);
    assert.deepEqual(plain(await decodeSnapshot(text)), many.slice(-kept));
  });
  test("writes nothing when not even one run fits", async () => {
    assert.deepEqual(await encodeSnapshot(runs.slice(0, 1), 10), { text: "", kept: 0 });
  });
  test("the default bound keeps links short", async () => {
    const { text } = await encodeSnapshot(Array.from({ length: 200 }, (_, i) => ({ at: i, result: result(cpu, native, { checksum: `${i * 7919}` }) })));
    assert.ok(text.length <= maxSnapshotChars);
  });
});

describe("decodeSnapshot refuses a damaged link with the reason", () => {
  const bomb = deflateRawSync(Buffer.alloc(100 * 1024, 32)).toString("base64url"); // 100 KiB of spaces
  const cases: [name: string, text: string, reason: RegExp][] = [
    ["characters base64url has not", "abc+/=", /not a snapshot the playground wrote/],
    ["an empty text", "", /not a snapshot the playground wrote/],
    ["too long to be one", "A".repeat(2 * maxSnapshotChars + 1), /not a snapshot the playground wrote/],
    ["not deflated", "aGVsbG8", /damaged/],
    ["not JSON once inflated", deflateRawSync(Buffer.from("{v:1")).toString("base64url"), /damaged/],
    ["a bomb that inflates past the bound", bomb, /damaged \(more than 65536 bytes once inflated\)/],
    ["another version", param({ v: 2, m: [native], r: [snapRun(0)] }), /unknown version/],
    ["no machines list", param({ v: 1, r: [snapRun(0)] }), /unknown version/],
    ["more runs than ever written", param({ v: 1, m: [native], r: Array.from({ length: 41 }, () => snapRun(0)) }), /unknown version/],
    ["no runs", param({ v: 1, m: [], r: [] }), /^the results in this link hold no runs$/],
    [
      "runs that point at no machine",
      param({ v: 1, m: [native], r: [snapRun("__proto__"), snapRun("length"), snapRun("constructor"), snapRun(1), snapRun(-1), snapRun(0.5)] }),
      /^none of its 6 runs are valid$/,
    ],
    ["a run on a damaged machine", param({ v: 1, m: [{ ...native, cores: 0 }], r: [snapRun(0)] }), /^none of its 1 run is valid$/],
  ];
  for (const [name, text, reason] of cases) {
    test(name, async () => assert.rejects(decodeSnapshot(text), { message: reason }));
  }
});

describe("decodeSnapshot drops a damaged run and keeps the valid ones beside it", () => {
  const damaged: [name: string, over: Record<string, unknown>][] = [
    ["no duration", { d: undefined }],
    ["a negative duration", { d: -1 }],
    ["an infinite duration", { d: "Infinity" }],
    ["no workers", { k: 0 }],
    ["an unknown place", { w: "moon" }],
    ["a checksum too long", { c: "f".repeat(65) }],
    ["a spec of an unknown experiment", { s: { ...cpu, experiment: "gpu" } }],
    ["a spec of an unknown variant", { s: { ...cpu, variant: "threads" } }],
    ["a spec with repeats beyond any engine's", { s: { ...cpu, repeat: 101 } }],
    ["a spec of an unknown race mode", { s: { ...race, mode: "lock" } }],
    ["a time before the epoch", { t: -1 }],
  ];
  for (const [name, over] of damaged) {
    test(name, async () => {
      const got = await decodeSnapshot(param({ v: 1, m: [native], r: [snapRun(0, over), snapRun(0)] }));
      assert.equal(got.length, 1);
      assert.equal(got[0]!.result.duration_ns, 2_000_000);
    });
  }
  test("a run shorter than the browser's clock step (0 ns) is kept, not damaged", async () => {
    const [got] = await decodeSnapshot(param({ v: 1, m: [native], r: [snapRun(0, { d: 0, p: [0, 100_000, 0] })] }));
    assert.equal(got!.result.duration_ns, 0);
    assert.deepEqual(got!.result.repeats, [0, 100_000, 0]);
  });
  test("damaged repeats are left out, the run kept", async () => {
    const [got] = await decodeSnapshot(param({ v: 1, m: [native], r: [snapRun(0, { p: [1, -2, 3] })] }));
    assert.equal(got!.result.repeats, undefined);
  });
});

describe("checkResult: a stored result is used only whole", () => {
  const good = result(cpu, native, { results: ["1", "2"], spans: 8, repeats: [3e6, 2.5e6], race: undefined });
  delete good.race;
  test("a good result comes back, less its per-task results", () => assert.deepEqual(checkResult(good), { ...good, results: [] }));
  test("a race result keeps what happened to the counter", () => {
    const r = result(race, native, { race: { expected: 1000, counted: 200, lost: 800, lost_repeats: [800], processes: [600, 400], parent: 0 } });
    assert.deepEqual(checkResult(r)?.race, r.race);
  });
  const damaged: [name: string, r: unknown][] = [
    ["not an object", "result"],
    ["null", null],
    ["an older page's format, without spec or machine", { duration_ns: 1_000_000, variant: "pool", where: "native" }],
    ["a variant that is not its spec's", { ...good, variant: "gil" }],
    ["an experiment that is not its spec's", { ...good, experiment: "io" }],
    ["a negative duration", { ...good, duration_ns: -1 }],
    ["no checksum", { ...good, checksum: undefined }],
    ["a machine without cores", { ...good, machine: { ...native, cores: undefined } }],
    ["a machine from nowhere", { ...good, machine: { ...native, where: "moon" } }],
    ["a spec with no tasks", { ...good, spec: { ...cpu, tasks: 0 } }],
    ["a race that lost a negative count", { ...good, race: { expected: 1, counted: 2, lost: -1 } }],
  ];
  for (const [name, r] of damaged) test(`refuses ${name}`, () => assert.equal(checkResult(r), null));
});

describe("strings from a shared snapshot", () => {
  const m = (over: Partial<Machine>) => checkMachine({ ...browser, ...over });
  test("a machine's strings are bounded and of the forms Go and browsers write", () => {
    assert.ok(m({}), "a plain browser machine passes");
    assert.ok(m({ go_version: "devel go1.27-abc123 Tue Nov 3 10:00:00 2026 +0000" }), "a development Go passes");
    assert.ok(m({ agent: "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36" }), "a real user agent passes");
    for (const agent of [
      "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0",
      "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [FBAN/FBIOS;FBAV/440.0.0.0;]",
    ]) assert.ok(m({ agent }), `${agent} passes`);
    for (const [field, bad] of [
      ["os", "Linux<script>"], ["os", "a".repeat(41)], ["arch", "amd 64"], ["go_version", "Go! trust me"],
      ["go_version", "go1.26.8" + " x".repeat(40)], ["agent", "=HYPERLINK(\"http://evil\")"], ["agent", "Mozilla/5.0 " + "x".repeat(400)],
      ["agent", "Mozilla/5.0 (line\nbreak)"], ["agent", "Mozilla/5.0 \u202eevil"],
      // a formula after a separator: a spreadsheet of a ;-locale splits the cell there
      ["agent", "Mozilla/5.0 ;=cmd|' /C calc'!A0"], ["agent", "Mozilla/5.0 (X11; -2+3)"], ["agent", "Mozilla/5.0 a, @SUM(A1)"],
      ["agent", "Mozilla/5.0 (x) \"quoted\""],
    ] as const) {
      assert.equal(m({ [field]: bad }), null, `${field} ${JSON.stringify(bad)} is refused`);
    }
  });

  test("a spec's strings are of their forms: a preset name, Go durations", () => {
    assert.ok(checkSpec(io));
    assert.equal(checkSpec({ ...cpu, preset: "=cmd|' /C calc'!A0" }), null);
    assert.equal(checkSpec({ ...io, delay: "-5ms" }), null);
    assert.equal(checkSpec({ ...io, jitter: "soon" }), null);
    assert.ok(checkSpec({ ...io, delay: "1m30.5s", jitter: "250µs" }));
  });

  test("a checksum is hex", async () => {
    const text = param({ v: 1, m: [native], r: [snapRun(0, { c: "=1+1" }), snapRun(0)] });
    const got = await decodeSnapshot(text);
    assert.equal(got.length, 1, "the run with a formula for a checksum is left out");
  });
});
