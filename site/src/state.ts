// What the reader has chosen (a preset, the parameters, a variant) and the jobs it asks for.
// The state is plain data: the URL (urlstate.ts), the share and embed links and the form all
// read and write this one shape.

import { defaults, incrementsPerTask } from "./gen/facts.gen";
import { count } from "./format";
import { defaultParams, presetByName, variantOrder, type Params } from "./presets";
import type { Experiment, Job, Spec, Variant } from "./types";

export interface PlaygroundState {
  /** The preset the parameters started from; "" once they no longer match any. */
  preset: string;
  experiment: Experiment;
  variant: Variant;
  /** For the pools (threads, GIL, processes); sequential is always 1, the event loop one per task. */
  workers: number;
  params: Params;
  /**
   * The variants "run every variant" runs, in the page's order; an embed offers only these.
   * Every variant unless the reader (or the embed's URL) narrowed it.
   */
  variants: Variant[];
}

/** The lesson's thread pools (ThreadPoolExecutor(max_workers=5)): the pools' count where a preset fixes none. */
export const lessonPoolWorkers = 5;

/** Sequential runs one worker and the event loop one coroutine per task: the form pins their count. */
export const fixesWorkers = (v: Variant): boolean => v === "sequential" || v === "eventloop";

/**
 * The state a preset starts from. cores is what "one per core" means (the backend's, or the
 * browser's). A preset whose variant fixes its own count (sequential, the event loop) still
 * gives the pools a count for "run every variant": the lesson's five threads.
 */
export function stateForPreset(name: string, cores: number): PlaygroundState {
  const p = presetByName(name) ?? presetByName("io_non_concurrent")!;
  const workers = fixesWorkers(p.variant) ? lessonPoolWorkers : p.workers > 0 ? p.workers : Math.max(1, cores);
  return { preset: p.name, experiment: p.experiment, variant: p.variant, workers, params: defaultParams(p.experiment), variants: [...variantOrder] };
}

/**
 * The job that runs variant with the state's parameters. Every parameter is sent explicitly,
 * so a run means the same thing in the browser and on the backend whatever their defaults.
 * The preset's name goes along only when the variant is the preset's own (a label in results).
 */
/**
 * Whether CPython runs the state's work: the lesson's race script is `counter += 1` as written,
 * so neither a lock, an atomic nor a yield between the read and the write (Go's CheckPython).
 */
export function cpythonRuns(s: PlaygroundState): boolean {
  return s.experiment !== "race" || (s.params.mode === "unsafe" && !s.params.yield);
}

export function jobFor(s: PlaygroundState, variant: Variant, workers = s.workers): Job {
  const job: Job = { experiment: s.experiment, variant, tasks: s.params.tasks, repeat: s.params.repeat };
  const p = presetByName(s.preset);
  if (p && p.experiment === s.experiment && p.variant === variant) job.preset = p.name;
  if (variant === "sequential") job.workers = 1;
  else if (variant !== "eventloop") job.workers = workers; // the event loop: one coroutine per task
  switch (s.experiment) {
    case "io":
      job.delay = `${s.params.delay}ms`;
      job.size = s.params.size;
      break;
    case "cpu":
      job.n = s.params.n;
      break;
    case "race":
      job.mode = s.params.mode;
      job.yield = s.params.yield;
      break;
  }
  return job;
}

/**
 * Runs are comparable (a speedup means something) when they did the same work: the same
 * experiment and parameters, whatever the variant, the worker count or where they ran.
 */
export function workKey(s: Spec): string {
  switch (s.experiment) {
    case "io":
      return `io tasks=${s.tasks} delay=${s.delay ?? "0s"} jitter=${s.jitter ?? "0s"} size=${s.size ?? 0}`;
    case "cpu":
      return `cpu tasks=${s.tasks} n=${s.n ?? 0}`;
    case "race":
      return `race tasks=${s.tasks} mode=${s.mode ?? defaults.mode} yield=${s.yield ? 1 : 0}`;
  }
}

/** The work of a spec (or a job) in words, for headings: "160 downloads · latency 50ms · 25,000 bytes". */
export function describeWork(s: Spec | Job): string {
  const n = (x: number | undefined) => count(x ?? 0);
  switch (s.experiment) {
    case "io":
      return `${n(s.tasks)} downloads · latency ${s.delay ?? "0s"} · ${n(s.size)} bytes`;
    case "cpu":
      return `${n(s.tasks)} sums · n = ${n(s.n)}`;
    case "race":
      return `${n(s.tasks)} tasks × ${incrementsPerTask} increments · ${s.mode ?? defaults.mode}${s.yield ? " · yield between read and write" : ""}`;
    default:
      return `${n(s.tasks)} tasks`;
  }
}
