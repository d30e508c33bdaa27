// A results snapshot in a share link: the runs a reader measured, with the machines they ran
// on, in the URL's `results` parameter, so whoever opens the link sees the same figures next
// to their own. Compact by construction: a minimal JSON (machines listed once, runs pointing
// at them, no per-task results and no spans), deflated, in base64url; bounded, dropping the
// oldest runs until it fits. Decoding trusts nothing: the text, the inflated size, every field.

import type { ExportedRun } from "./export";
import { experiments, limits, raceModes, variants, wheres } from "../gen/facts.gen";
import type { Machine, Result, Spec, Variant, Where } from "../types";

export const snapshotParam = "results";
/** The longest `results` value written: links stay well inside what servers and chat apps take. */
export const maxSnapshotChars = 2400;
const maxRuns = 40;
const maxInflated = 64 * 1024;

interface SnapRun {
  t: number; // finished, seconds since the epoch
  w: Where;
  m: number; // index into machines
  k: number; // workers
  d: number; // duration_ns
  c: string; // checksum
  s: Spec;
  r?: [number, number, number]; // race: expected, counted, lost
  p?: number[]; // every repeat's duration_ns, in the order they ran (d is the fastest)
}

interface Snap {
  v: 1;
  m: Machine[];
  r: SnapRun[];
}

async function pipe(data: Uint8Array, stream: CompressionStream | DecompressionStream, limit = Infinity): Promise<Uint8Array> {
  const out = new Blob([data as BlobPart]).stream().pipeThrough(stream);
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (const reader = out.getReader(); ; ) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > limit) {
      await reader.cancel();
      throw new Error(`more than ${limit} bytes once inflated`);
    }
    chunks.push(value);
  }
  const all = new Uint8Array(size);
  let o = 0;
  for (const c of chunks) {
    all.set(c, o);
    o += c.length;
  }
  return all;
}

function base64url(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function unbase64url(text: string): Uint8Array {
  const s = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
  return Uint8Array.from(s, (c) => c.charCodeAt(0));
}

async function pack(runs: ExportedRun[]): Promise<string> {
  const machines: Machine[] = [];
  const keys: string[] = [];
  const snap: Snap = { v: 1, m: machines, r: [] };
  for (const { at, result: r } of runs) {
    const mk = JSON.stringify(r.machine);
    let m = keys.indexOf(mk);
    if (m < 0) {
      m = keys.push(mk) - 1;
      machines.push(r.machine);
    }
    const run: SnapRun = { t: Math.round(at / 1000), w: r.where, m, k: r.workers, d: r.duration_ns, c: r.checksum, s: r.spec };
    if (r.race) run.r = [r.race.expected, r.race.counted, r.race.lost];
    if (r.repeats && r.repeats.length > 1) run.p = r.repeats;
    snap.r.push(run);
  }
  const json = new TextEncoder().encode(JSON.stringify(snap));
  return base64url(await pipe(json, new CompressionStream("deflate-raw")));
}

/** The newest runs that fit in maxChars, encoded; kept says how many made it. */
export async function encodeSnapshot(runs: ExportedRun[], maxChars = maxSnapshotChars): Promise<{ text: string; kept: number }> {
  let keep = runs.slice(-maxRuns);
  for (;;) {
    const text = await pack(keep);
    if (text.length <= maxChars || keep.length <= 1) return text.length <= maxChars ? { text, kept: keep.length } : { text: "", kept: 0 };
    keep = keep.slice(Math.max(1, Math.floor(keep.length / 4)));
  }
}

const str = (v: unknown, max = 200): v is string => typeof v === "string" && v.length <= max;
const int = (v: unknown, lo: number, hi: number): v is number => Number.isInteger(v) && (v as number) >= lo && (v as number) <= hi;

/**
 * The forms of the strings a result carries, as Go and browsers write them. A share link's
 * snapshot (or a damaged history) may hold anything, and these strings are shown on the page
 * and written into exports: each is bounded and must look like what it claims to be.
 */
const forms = {
  /** GOOS and GOARCH: "linux", "js", "amd64", "wasm". */
  goos: /^[a-z0-9]{1,20}$/,
  /** runtime.Version(): "go1.26.8", "go1.27rc1 X:jsonv2", "devel go1.27-abc123 Tue Nov 3 10:00:00 2026 +0000". */
  goVersion: /^(go\d|devel )[\w .:+,-]{0,78}$/,
  /**
   * A user agent: a product token, then the characters agents use, "Mozilla/5.0 (X11; Linux
   * x86_64) …" (in-app browsers add brackets, commas and more). Not = @ | ' " or
   * a backslash, none of which an agent needs and each of which a formula does; a lead of
   * + or - after a separator is refused below (agentFormula).
   */
  agent: /^[A-Za-z][\w.-]*\/[\w.]+( [\w .,;:()\/+\-_\[\]]*)?$/,
  /** CPython's platform.python_version(): "3.11.2", "3.14.0rc1", "3.13.0+". */
  pythonVersion: /^\d{1,2}\.\d{1,3}\.\d{1,3}[a-z0-9+]{0,12}$/,
  /** A preset's name: "io_threading" (empty: none). */
  preset: /^[a-z0-9_]{0,40}$/,
  /** A Go duration: "50ms", "1m30.5s", "250µs", "0s". */
  duration: /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/,
  /** The FNV-1a checksum in hex. */
  checksum: /^[0-9a-f]{1,64}$/,
};
const maxAgent = 300;
/** A spreadsheet formula's lead after a separator: "…; -2+3" would be one in a ;-locale. */
const agentFormula = /[,;]\s*[=+\-@]/;
const form = (v: unknown, re: RegExp, max = 80): v is string => str(v, max) && re.test(v);

export function checkMachine(m: any): Machine | null {
  if (typeof m !== "object" || m === null) return null;
  if (!wheres.includes(m.where) || !form(m.os, forms.goos) || !form(m.arch, forms.goos) || !int(m.cores, 1, 1 << 16) || !int(m.gomaxprocs, 0, 1 << 16) || !form(m.go_version, forms.goVersion)) return null;
  if (m.agent !== undefined && (!form(m.agent, forms.agent, maxAgent) || agentFormula.test(m.agent))) return null;
  return { where: m.where, os: m.os, arch: m.arch, cores: m.cores, gomaxprocs: m.gomaxprocs, go_version: m.go_version, ...(m.agent ? { agent: m.agent } : {}) };
}

export function checkSpec(s: any): Spec | null {
  if (typeof s !== "object" || s === null) return null;
  if (!experiments.includes(s.experiment) || !variants.includes(s.variant) || !int(s.workers, 1, limits.workers) || !int(s.tasks, 1, limits.tasks)) return null;
  const spec: Spec = { experiment: s.experiment, variant: s.variant as Variant, workers: s.workers, tasks: s.tasks };
  if (s.preset !== undefined) { if (!form(s.preset, forms.preset)) return null; spec.preset = s.preset; }
  if (s.n !== undefined) { if (!int(s.n, 0, limits.n)) return null; spec.n = s.n; }
  if (s.delay !== undefined) { if (!form(s.delay, forms.duration, 20)) return null; spec.delay = s.delay; }
  if (s.jitter !== undefined) { if (!form(s.jitter, forms.duration, 20)) return null; spec.jitter = s.jitter; }
  if (s.size !== undefined) { if (!int(s.size, 0, limits.size)) return null; spec.size = s.size; }
  if (s.mode !== undefined) { if (!raceModes.includes(s.mode)) return null; spec.mode = s.mode; }
  if (s.yield !== undefined) spec.yield = Boolean(s.yield);
  if (s.repeat !== undefined) { if (!int(s.repeat, 1, maxRepeats)) return null; spec.repeat = s.repeat; }
  return spec;
}

const race = (v: any) => Array.isArray(v) && v.length === 3 && v.every((x: unknown) => int(x, 0, 1e12));

/** The repeats any engine runs at most (workload.Limits): a bound on what a result may claim. */
const maxRepeats: number = limits.repeat;

/**
 * Every repeat's duration, at most maxRepeats of them; undefined if not that. 0 is a duration: a
 * browser run shorter than its clock's step (0.1 ms) measures 0 ns, and it is kept, not damaged.
 */
function repeats(v: unknown): number[] | undefined {
  if (!Array.isArray(v) || v.length < 1 || v.length > maxRepeats) return undefined;
  return v.every((d) => Number.isFinite(d) && d >= 0) ? (v as number[]) : undefined;
}

/** A list of at most maxRepeats counts (lost per repeat, each process's counter). */
function counts(v: unknown, max = maxRepeats): number[] | undefined {
  if (!Array.isArray(v) || v.length > max) return undefined;
  return v.every((x) => int(x, 0, 1e12)) ? (v as number[]) : undefined;
}

/**
 * A whole result as kept in the history (or anywhere else it was stored and may have been
 * damaged or written by an older page): every field the page reads, checked; null if any is
 * missing or out of its range. The per-task results are not kept, so they are not asked for.
 */
export function checkResult(r: any): Result | null {
  if (typeof r !== "object" || r === null) return null;
  const spec = checkSpec(r.spec);
  const machine = checkMachine(r.machine);
  if (!spec || !machine || !wheres.includes(r.where) || r.variant !== spec.variant || r.experiment !== spec.experiment) return null;
  if (!int(r.workers, 1, limits.workers) || !int(r.tasks, 1, limits.tasks) || !(Number.isFinite(r.duration_ns) && r.duration_ns >= 0) || !form(r.checksum, forms.checksum)) return null;
  if (r.preset !== undefined && !form(r.preset, forms.preset)) return null;
  const result: Result = {
    experiment: spec.experiment, variant: spec.variant, where: r.where, workers: r.workers, tasks: r.tasks, duration_ns: r.duration_ns,
    results: [], checksum: r.checksum, spec, machine, spans: int(r.spans, 0, 1 << 30) ? r.spans : 0,
  };
  if (r.preset !== undefined) result.preset = r.preset;
  if (int(r.spans_dropped, 1, 1 << 30)) result.spans_dropped = r.spans_dropped;
  if (form(r.python?.version, forms.pythonVersion) && typeof r.python.gil === "boolean") result.python = { version: r.python.version, gil: r.python.gil };
  if (int(r.spans_coarsened, 1, 1 << 30)) result.spans_coarsened = r.spans_coarsened;
  const times = repeats(r.repeats);
  if (times) result.repeats = times;
  if (r.race !== undefined) {
    if (!race([r.race?.expected, r.race?.counted, r.race?.lost])) return null;
    result.race = { expected: r.race.expected, counted: r.race.counted, lost: r.race.lost };
    const lost = counts(r.race.lost_repeats);
    if (lost) result.race.lost_repeats = lost;
    const processes = counts(r.race.processes, limits.processWorkers);
    if (processes) result.race.processes = processes;
    if (int(r.race.parent, 0, 1e12)) result.race.parent = r.race.parent;
  }
  return result;
}

/**
 * When a run finished, in ms since the epoch: a whole number up to the year 5138 (a snapshot's
 * t bound). A Date beyond 8.64e15 ms is invalid and breaks every export that prints it.
 */
export const checkTime = (ms: unknown): ms is number => int(ms, 0, 1e14);

/** The runs a `results` parameter holds; throws an Error that says what was wrong with it. */
export async function decodeSnapshot(text: string): Promise<ExportedRun[]> {
  if (!/^[A-Za-z0-9_-]+$/.test(text) || text.length > 2 * maxSnapshotChars) throw new Error("the results in this link are not a snapshot the playground wrote");
  let snap: any;
  try {
    snap = JSON.parse(new TextDecoder().decode(await pipe(unbase64url(text), new DecompressionStream("deflate-raw"), maxInflated)));
  } catch (e) {
    throw new Error(`the results in this link are damaged (${(e as Error).message})`);
  }
  if (snap?.v !== 1 || !Array.isArray(snap.m) || !Array.isArray(snap.r) || snap.r.length > maxRuns) throw new Error("the results in this link are of an unknown version");
  const machines = (snap.m as unknown[]).map(checkMachine);
  let bad = 0;
  const runs: ExportedRun[] = [];
  for (const r of snap.r as any[]) {
    // an index, checked as one: "__proto__" or "length" would pick something that is no machine
    const machine = int(r?.m, 0, machines.length - 1) ? machines[r.m] : null;
    const spec = checkSpec(r?.s);
    if (!machine || !spec || !wheres.includes(r.w) || !int(r.k, 1, 1 << 20) || !(Number.isFinite(r.d) && r.d >= 0) || !form(r.c, forms.checksum) || !int(r.t, 0, 1e11)) {
      bad++;
      continue;
    }
    const result: Result = {
      preset: spec.preset, experiment: spec.experiment, variant: spec.variant, where: r.w, workers: r.k, tasks: spec.tasks,
      duration_ns: r.d, results: [], checksum: r.c, spec, machine, spans: 0,
    };
    if (race(r.r)) result.race = { expected: r.r[0], counted: r.r[1], lost: r.r[2] };
    const times = repeats(r.p);
    if (times) result.repeats = times;
    runs.push({ at: r.t * 1000, result });
  }
  if (runs.length === 0) throw new Error(bad ? `none of its ${bad} ${bad === 1 ? "run is" : "runs are"} valid` : "the results in this link hold no runs");
  return runs;
}
