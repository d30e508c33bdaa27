// The lesson's scripts as the page shows them. The specs mirror internal/workload/preset.go
// (the Go side is the authority: the backend resolves a preset by name); the page needs them
// before any backend answers, to fill the form and explain the lesson.

import { defaultNReason, defaults } from "./facts.gen";
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

export const presets: PresetInfo[] = [
  {
    name: "io_non_concurrent", experiment: "io", variant: "sequential", workers: 1,
    script: "requests.Session, one download after another",
    lesson: "Every request waits for the one before it, so the run takes the sum of all the waiting.",
  },
  {
    name: "io_threading", experiment: "io", variant: "pool", workers: 5,
    script: "ThreadPoolExecutor(max_workers=5), a session per thread",
    lesson: "Five threads overlap their waiting: about five times faster, though each still waits as long.",
  },
  {
    name: "io_asyncio", experiment: "io", variant: "eventloop", workers: 0,
    script: "asyncio.gather over aiohttp, one task per download",
    lesson: "One thread starts every request at once and waits for all of them together; in a browser over HTTP/1.1, six connections per host carry them.",
  },
  {
    name: "io_mp", experiment: "io", variant: "process", workers: 0,
    script: "multiprocessing.Pool(initializer=set_global_session), one process per core",
    lesson: "Processes overlap waiting too, but only as many as there are processes, and each costs a start-up.",
  },
  {
    name: "cpu_non_concurrent", experiment: "cpu", variant: "sequential", workers: 1,
    script: "sum(i * i for i in range(n)) for 20 numbers, one after another",
    lesson: "CPU-bound work on one core: the baseline every other variant is measured against.",
  },
  {
    name: "cpu_threading", experiment: "cpu", variant: "pool", workers: 5,
    script: "the same sums on ThreadPoolExecutor(max_workers=5)",
    lesson: "Go's threads (goroutines) compute on every core, so the pool is as fast as the cores allow.",
  },
  {
    name: "cpu_gil", experiment: "cpu", variant: "gil", workers: 5,
    script: "the same sums on CPython threads, with the interpreter lock emulated",
    lesson: "Only the thread holding the lock computes: threads do not speed up CPU work in CPython.",
  },
  {
    name: "cpu_mp", experiment: "cpu", variant: "process", workers: 0,
    script: "the same sums on multiprocessing.Pool(), one process per core",
    lesson: "Separate processes compute on every core at once, after paying for their start-up.",
  },
  {
    name: "race_condition", experiment: "race", variant: "pool", workers: 5000,
    script: "counter += 1, a hundred times per task, on ThreadPoolExecutor(max_workers=5000)",
    lesson: "A read and a separate write: concurrent increments overwrite each other and updates get lost.",
  },
];

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

/** Why the default n is not the lesson's, in the Go side's words, less its command-line hint. */
export const defaultNWhy = defaultNReason.replace(/\s*The lesson's exact work is -n \d+\.$/, "");

/** The defaults per experiment (internal/workload/job.go). */
export interface Params {
  tasks: number;
  n: number;
  /** milliseconds */
  delay: number;
  size: number;
  mode: RaceMode;
  yield: boolean;
  /** Runs of the same job; the result is the fastest (1..10). */
  repeat: number;
}

export function defaultParams(e: Experiment): Params {
  const base: Params = { tasks: 0, n: defaultN, delay: 50, size: 25_000, mode: "unsafe", yield: false, repeat: 1 };
  switch (e) {
    case "io":
      return { ...base, tasks: 160 };
    case "cpu":
      // the lesson quotes the fastest of three runs
      return { ...base, tasks: 20, repeat: defaults.cpuRepeat };
    case "race":
      return { ...base, tasks: 5_000 };
  }
}

export const experimentNames: Record<Experiment, string> = {
  io: "I/O-bound: download pages",
  cpu: "CPU-bound: sum squares",
  race: "Race condition: a shared counter",
};

/** Every variant, in the order the page shows them, with where each can run. */
export const variantOrder: Variant[] = ["sequential", "eventloop", "pool", "gil", "process"];

export const variantNames: Record<Variant, string> = {
  sequential: "sequential",
  eventloop: "event loop",
  pool: "thread pool",
  gil: "threads + GIL",
  process: "process pool",
};

/** The variants the browser engine runs (DESIGN.md): on the tab's one thread. */
export const browserVariants: Variant[] = ["sequential", "eventloop"];

// How many connections the event loop's downloads share is the engine's rule (it sets the
// default worker count by it); the page reads the same one.
export { browserConnectionsPerHost, connectionLimit } from "./engine/connections";
