// What changed between two runs: their parameters, the variant, where they ran and on what
// machine, side by side with the differences marked, and one sentence that says whether their
// durations compare at all (the same work) and by how much they differ.

import { count, duration, ratio, speedup } from "../format";
import { rangeText, spreadOf } from "../run/spread";
import { browserName } from "../labels";
import { variantNames } from "../presets";
import { workKey } from "../state";
import type { Result } from "../types";

export interface Difference {
  group: "work" | "variant" | "where it ran" | "outcome";
  field: string;
  a: string;
  b: string;
  changed: boolean;
}

export interface Comparison {
  rows: Difference[];
  /** The differences in a sentence: "Changed: variant (sequential → process pool), workers (1 → 2)." */
  summary: string;
  /** B's time against A's, when the two did the same work; otherwise why not. */
  verdict: string;
}

export function compareRuns(a: Result, b: Result): Comparison {
  const rows: Difference[] = [];
  const add = (group: Difference["group"], field: string, f: (r: Result) => string | number | boolean | undefined, always = false) => {
    const va = f(a);
    const vb = f(b);
    if (!always && va === undefined && vb === undefined) return;
    const text = (v: unknown) => (v === undefined || v === "" ? "–" : typeof v === "boolean" ? (v ? "yes" : "no") : typeof v === "number" ? count(v) : String(v));
    rows.push({ group, field, a: text(va), b: text(vb), changed: text(va) !== text(vb) });
  };
  add("work", "experiment", (r) => r.experiment, true);
  add("work", "tasks", (r) => r.spec.tasks, true);
  add("work", "n", (r) => r.spec.n);
  add("work", "latency", (r) => r.spec.delay);
  add("work", "jitter", (r) => r.spec.jitter);
  add("work", "page size (bytes)", (r) => r.spec.size);
  add("work", "race mode", (r) => r.spec.mode);
  add("work", "yield between read and write", (r) => (r.experiment === "race" ? Boolean(r.spec.yield) : undefined));
  add("variant", "variant", (r) => variantNames[r.variant], true);
  add("variant", "workers", (r) => r.workers, true);
  add("variant", "repeats", (r) => r.spec.repeat ?? r.repeats?.length);
  add("where it ran", "where", (r) => r.where, true);
  add("where it ran", "browser", (r) => (r.where === "browser" ? browserName(r.machine?.agent) : undefined));
  add("where it ran", "OS / architecture", (r) => (r.machine ? `${r.machine.os}/${r.machine.arch}` : undefined), true);
  add("where it ran", "cores", (r) => r.machine?.cores, true);
  add("where it ran", "GOMAXPROCS", (r) => r.machine?.gomaxprocs);
  add("where it ran", "Go version", (r) => r.machine?.go_version, true);
  add("outcome", "duration", (r) => duration(r.duration_ns), true);
  add("outcome", "repeats: fastest–median–slowest", (r) => {
    const s = spreadOf(r.repeats);
    return s ? rangeText(s) : undefined;
  });
  add("outcome", "checksum", (r) => r.checksum, true);
  add("outcome", "lost updates", (r) => r.race?.lost);

  const changed = rows.filter((r) => r.changed && r.group !== "outcome");
  const summary = changed.length
    ? `Changed: ${changed.map((r) => `${r.field} (${r.a} → ${r.b})`).join(", ")}.`
    : "Nothing changed but the run itself: the same work, variant and machine (a repeat shows the spread).";
  let verdict: string;
  if (workKey(a.spec) !== workKey(b.spec)) {
    verdict = "They did different work, so their durations do not compare directly.";
  } else {
    const x = ratio(a.duration_ns, b.duration_ns);
    const how = x === null ? "too short to compare (below the clock's step)" : x >= 1 ? `${speedup(x)} faster` : `${speedup(1 / x)} slower`;
    verdict = `B took ${duration(b.duration_ns)} against A's ${duration(a.duration_ns)}: ${how} on the same work.`;
    if (a.checksum !== b.checksum && a.experiment !== "race") verdict += " Their checksums differ: they did not compute the same results.";
  }
  return { rows, summary, verdict };
}
