import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { protocolVersion, variants } from "../gen/facts.gen";
import type { Info, Result } from "../gen/protocol.gen";
import { readServerMessage, type Received, type ServerMessage } from "./protocol";

// The messages as docs/protocol.md shows them.
const info: Info = {
  version: "0.1.0", protocol: 1, where: "native", go_version: "go1.26.8", os: "linux", arch: "amd64", cores: 2, gomaxprocs: 2,
  variants: [...variants], presets: ["cpu_mp"],
  limits: { workers: 10000, process_workers: 64, tasks: 100000, n: 1000000000, work: 20000000000, delay: "10s", jitter: "10s", size: 1048576, repeat: 10 },
};
const result: Result = {
  preset: "cpu_mp", experiment: "cpu", variant: "process", where: "native", workers: 2, tasks: 4, duration_ns: 148638853,
  repeats: [267593941, 203346431, 148638853], results: ["41666654166667500000", "41666679166667500000", "41666704166677500001", "41666729166697500005"],
  checksum: "37dbe771ef9684c7", spec: { preset: "cpu_mp", experiment: "cpu", variant: "process", workers: 2, tasks: 4, n: 5000000, repeat: 3 },
  machine: { where: "native", os: "linux", arch: "amd64", cores: 2, gomaxprocs: 2, go_version: "go1.26.8" }, spans: 18,
};
const good: ServerMessage[] = [
  { type: "hello", protocol: protocolVersion, info },
  { type: "hello", protocol: protocolVersion, info: { ...info, pythons: [{ id: "cpython-3.11.2", version: "3.11.2", gil: true }] } },
  { type: "spans", id: "r1", spans: [[0, -1, "spawn", 125076, 7371444], [0, 0, "run", 7522640, 10304308], [1, 2, "wait", 51125643, 101862452]] },
  { type: "spans", id: "r1", spans: [] },
  { type: "progress", id: "r1", done: 10, total: 20 },
  { type: "result", id: "r1", result },
  { type: "error", id: "r1", code: "invalid", message: "workers: 0 is out of range 1..64" },
  { type: "error", code: "invalid", message: "message: malformed JSON" },
];

describe("readServerMessage takes the protocol's messages as they are", () => {
  for (const msg of good) {
    test(`${msg.type}: ${JSON.stringify(msg).slice(0, 60)}`, () => assert.deepEqual(readServerMessage(JSON.stringify(msg)), { ok: true, msg }));
  }
  test("a field it does not know is ignored: fields may be added within a version", () => {
    const msg = { type: "progress", id: "r1", done: 1, total: 2, eta_ns: 5 };
    assert.deepEqual(readServerMessage(JSON.stringify(msg)), { ok: true, msg });
  });
});

describe("readServerMessage leaves alone what is not its to act on", () => {
  for (const text of ["", "not json", "null", "5", '"hello"', "[]", '{"id":"r1"}', '{"type":"welcome","id":"r1"}', '{"type":7}']) {
    test(JSON.stringify(text), () => assert.equal(readServerMessage(text), null));
  }
});

describe("readServerMessage refuses a malformed message with the reason, and the run it names", () => {
  const cases: [msg: object, want: Omit<Extract<Received, { ok: false }>, "ok">][] = [
    [{ type: "hello", protocol: 2, info }, { type: "hello", id: undefined, problem: "it speaks protocol 2 and this page speaks 1: rebuild the page and the backend from the same version" }],
    [{ type: "hello", protocol: 1 }, { type: "hello", id: undefined, problem: "it sent no description of its machine" }],
    [{ type: "hello", protocol: 1, info: { ...info, limits: undefined } }, { type: "hello", id: undefined, problem: "its limits are missing" }],
    [{ type: "hello", protocol: 1, info: { ...info, os: "" } }, { type: "hello", id: undefined, problem: "its os is missing" }],
    [{ type: "hello", protocol: 1, info: { ...info, where: "moon" } }, { type: "hello", id: undefined, problem: "its where is missing" }],
    [{ type: "hello", protocol: 1, info: { ...info, cores: 0 } }, { type: "hello", id: undefined, problem: "its core count is missing" }],
    [{ type: "hello", protocol: 1, info: { ...info, variants: ["threads"] } }, { type: "hello", id: undefined, problem: "its variants are not ones this page knows" }],
    [{ type: "hello", protocol: 1, info: { ...info, limits: { ...info.limits, work: -1 } } }, { type: "hello", id: undefined, problem: "its limits.work is missing" }],
    [{ type: "hello", protocol: 1, info: { ...info, pythons: [{ id: "cpython-3.11.2", version: "3.11.2" }] } }, { type: "hello", id: undefined, problem: "its pythons are not a list of interpreters (id, version, gil)" }],
    [{ type: "progress", done: 1, total: 2 }, { type: "progress", id: undefined, problem: "its id is missing" }],
    [{ type: "progress", id: "r1", done: "1", total: 2 }, { type: "progress", id: "r1", problem: "its done and total are not counts" }],
    [{ type: "spans", id: "r1" }, { type: "spans", id: "r1", problem: "its spans are missing" }],
    [{ type: "spans", id: "r1", spans: [[0, 0, "run", 1]] }, { type: "spans", id: "r1", problem: "a span is not [worker, task, state, start_ns, end_ns]" }],
    [{ type: "spans", id: "r1", spans: [[0, -2, "run", 1, 2]] }, { type: "spans", id: "r1", problem: "a span's worker or task is not a whole number" }],
    [{ type: "spans", id: "r1", spans: [[0, 0, "sleep", 1, 2]] }, { type: "spans", id: "r1", problem: 'a span\'s state "sleep" is not one of run, wait, spawn' }],
    [{ type: "spans", id: "r1", spans: [[0, 0, "run", 5, 2]] }, { type: "spans", id: "r1", problem: "a span's times are not a start and an end in ns" }],
    [{ type: "result", id: "r1", result: { ...result, duration_ns: -1 } }, { type: "result", id: "r1", problem: "its result lacks a field the page reads, or one is out of range" }],
    [{ type: "result", id: "r1", result: { ...result, results: [1, 2] } }, { type: "result", id: "r1", problem: "its results are not a list of texts" }],
    [{ type: "result", id: "r1" }, { type: "result", id: "r1", problem: "its result lacks a field the page reads, or one is out of range" }],
    [{ type: "error", id: "r1", code: "oops", message: "x" }, { type: "error", id: "r1", problem: 'its code "oops" is not one of invalid, busy, limit, failed, canceled' }],
    [{ type: "error", id: "r1", code: "failed" }, { type: "error", id: "r1", problem: "its message is missing" }],
  ];
  for (const [msg, want] of cases) {
    test(want.problem, () => assert.deepEqual(readServerMessage(JSON.stringify(msg)), { ok: false, ...want }));
  }
});
