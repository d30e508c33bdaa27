// How the page names where a run ran and what its lanes are: one place, so the results table,
// the charts and the timeline say the same thing.

import { browserConnectionsPerHost, connectionLimit, variantNames } from "./presets";
import type { PythonVersion, Result, StateName, Variant } from "./types";
import type { Run, RunWhere } from "./run/runs";

/** "Run 3", or "Sweep run 2": the reader's runs and a sweep's are numbered apart. */
export function runName(run: Pick<Run, "number" | "purpose">): string {
  return `${run.purpose === "sweep" ? "Sweep run" : "Run"} ${run.number}`;
}

/** "Chrome 156" from a user agent; the agent itself if it is not one we recognise. */
export function browserName(agent: string | undefined): string {
  const ua = agent ?? navigator.userAgent;
  const m = /(Firefox|Edg|OPR|Chrome|Chromium|Version)\/(\d+)/.exec(ua);
  if (!m) return "this browser";
  const name = m[1] === "Edg" ? "Edge" : m[1] === "OPR" ? "Opera" : m[1] === "Version" ? "Safari" : m[1]!;
  return `${name} ${m[2]}`;
}

/** Where a result ran, in a few words: "browser · Chrome 156" or "native · 2 cores · go1.26.8". */
export function whereLabel(r: Result): string {
  const m = r.machine;
  if (r.where === "cpython") return `cpython · ${pythonLabel(r.python)}${m ? ` · ${m.cores} ${m.cores === 1 ? "core" : "cores"}` : ""}`;
  if (r.where !== "browser") return !m ? r.where : `${r.where} · ${m.cores} ${m.cores === 1 ? "core" : "cores"} · ${m.go_version}`;
  // the process pool's own threads: a Web Worker per process; the other browser variants share one
  const threads = r.variant === "process" ? `${r.workers} ${r.workers === 1 ? "Web Worker" : "Web Workers"}` : "1 thread";
  return `browser · ${browserName(m?.agent)} · ${threads}`;
}

/** "CPython 3.11.2, GIL on": the interpreter a CPython run ran in. */
export function pythonLabel(p: PythonVersion | undefined): string {
  return p ? `CPython ${p.version}, GIL ${p.gil ? "on" : "off"}` : "CPython";
}

export function runTitle(where: RunWhere, variant: Variant, workers?: number): string {
  const w = variant === "sequential" || variant === "eventloop" || !workers ? "" : ` × ${workers}`;
  return `${variantNames[variant]}${w} in ${where === "browser" ? "the browser" : where === "cpython" ? "CPython" : "the native backend"}`;
}

/**
 * What a timeline lane is for a variant: a process, a connection, a task, or a worker. A browser
 * event loop's I/O lanes are connections only where the browser caps them at six per host
 * (HTTP/1.1); over HTTP/2 or HTTP/3 every download is a task of its own on one connection.
 * connections: the limit the run had (default: this page's, which is what its runs had).
 */
export function laneName(where: RunWhere, variant: Variant, experiment: string, connections: number | null = connectionLimit()): string {
  if (variant === "process") return "process";
  if (where === "browser" && variant === "eventloop" && experiment === "io" && connections === browserConnectionsPerHost) return "connection";
  if (variant === "eventloop") return "task";
  return variant === "sequential" ? "worker" : "thread";
}

/** Where a result ran, to the machine: a speedup only means something on the same one. */
export function placeKey(r: Result): string {
  const m = r.machine;
  return m ? `${r.where} ${m.os}/${m.arch} ${m.cores} ${m.gomaxprocs} ${m.go_version} ${m.agent ?? ""}` : r.where;
}

/** What a span's state means, in the words of the code view's buttons and the PNG's legend. */
export const stateLabels: Record<StateName, string> = { run: "computing", wait: "waiting", spawn: "starting" };
