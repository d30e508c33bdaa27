// The lesson's scripts as the page shows them, and the parameters' defaults: the Go side's
// (internal/workload, through facts.gen.ts), which the backend and the engine use too. The page
// needs them before any backend answers, to fill the form and explain the lesson.

import { defaultNReason, defaults, experimentDefaults, presetFacts } from "./gen/facts.gen";
import type { Experiment, RaceMode, Variant } from "./types";

export interface PresetInfo {
  name: string;
  experiment: Experiment;
  variant: Variant;
  /** 0: one per core where it runs. */
  workers: number;
  /** What the lesson's Python script did. */
  script: string;
  /** What the run shows, in one sentence. */
  lesson: string;
}

export const presets: readonly PresetInfo[] = presetFacts;

export function presetByName(name: string): PresetInfo | undefined {
  return presets.find((p) => p.name === name);
}

/** The lesson's n: CPython needs 2.86 s for its twenty sums. The form offers it one click away. */
export const lessonN: number = defaults.lessonN;

/**
 * The presets' default n, larger than the lesson's: at the lesson's n Go is done so soon that a
 * process pool's start-up and the machine's noise are a far larger share of the run than they
 * were in the lesson.
 */
export const defaultN: number = defaults.n;

/** Why the default n is not the lesson's, in the Go side's words (the CLI adds its -n hint). */
export const defaultNWhy: string = defaultNReason;

/** The form's parameters: every experiment's, so a switch of experiment and back keeps them. */
export interface Params {
  tasks: number;
  n: number;
  /** milliseconds */
  delay: number;
  size: number;
  mode: RaceMode;
  yield: boolean;
  /** Runs of the same job; the result is the fastest (1..limits.repeat). */
  repeat: number;
}

/**
 * The parameters of a new job of experiment e: what Go's Job.Resolve fills in for it
 * (experimentDefaults), and the Go defaults of the fields e does not use.
 */
export function defaultParams(e: Experiment): Params {
  const base: Params = { tasks: 0, n: defaultN, delay: defaults.delayMs, size: defaults.size, mode: defaults.mode, yield: false, repeat: 1 };
  return { ...base, ...experimentDefaults[e] };
}

export const experimentNames: Record<Experiment, string> = {
  io: "I/O-bound: download pages",
  cpu: "CPU-bound: sum squares",
  race: "Race condition: a shared counter",
};

/** Every variant, in the order the page shows them (workload.Variants). */
export { variants as variantOrder } from "./gen/facts.gen";

export const variantNames: Record<Variant, string> = {
  sequential: "sequential",
  eventloop: "event loop",
  pool: "thread pool",
  gil: "threads + GIL",
  process: "process pool",
};

/**
 * The variants the browser runs (workload.BrowserVariants): sequential and the event loop on the
 * engine's one thread, the process pool on Web Workers, each its own engine (engine/pool.ts).
 */
export { browserVariants } from "./gen/facts.gen";

// How many connections the event loop's downloads share is the engine's rule (it sets the
// default worker count by it); the page reads the same one.
export { browserConnectionsPerHost, connectionLimit } from "./engine/connections";

/** The browser's process pool runs at most this many Web Workers (the Go side's bound and reason). */
export { browserProcessWorkers } from "./gen/facts.gen";
