// From a run button to queued runs: the current variant in the browser, on the backend or in a
// CPython the backend offers, or every offered variant; a process pool bounded by its place's
// limit is said, not slipped in.

import type { Backend } from "../backend/backend";
import { limits } from "../gen/facts.gen";
import { count } from "../format";
import type { RunNote } from "./note";
import { browserProcessWorkers, browserVariants, variantOrder } from "../presets";
import type { Run, RunQueue, RunWhere } from "./runs";
import { cpythonRuns, fixesWorkers, jobFor, type PlaygroundState } from "../state";
import type { Job, OfferedPython, Variant } from "../types";

export interface LaunchDeps {
  queue: RunQueue;
  backend: Backend;
  state(): PlaygroundState;
  cores(): number;
  /** This browser's cores (navigator.hardwareConcurrency): one Web Worker each for its process pool. */
  browserCores: number;
  note: RunNote;
  /** Runs were queued: the buttons' availability follows. */
  changed(): void;
  /** Asked first: false holds the runs back (a prediction the embed asks for is not made yet). */
  allow?(where: RunWhere | "all"): boolean;
  /** The runs just queued for where (a prediction scores a run of every variant). */
  launched?(where: RunWhere | "all", runs: Run[]): void;
}

/** The CPython runs go to: the first interpreter the backend offers, or null. */
export function offeredPython(backend: Backend): OfferedPython | null {
  return backend.info?.pythons?.[0] ?? null;
}

/**
 * The variants "run every variant" runs in CPython: the chosen ones but the gil, which in
 * CPython is the threads' own script (the pool's) run again.
 */
export function cpythonVariantsForAll(s: PlaygroundState): Variant[] {
  return s.variants.filter((v) => v !== "gil" || !s.variants.includes("pool"));
}

/** Queues the runs; false when allow() held them back. */
export type Launch = (where: RunWhere | "all", opts?: { browserOnly?: boolean }) => boolean;

/** The variants "run every variant" runs: the browser's, and the backend's when it is connected. */
export function variantsForAll(s: PlaygroundState, backend: Backend): Variant[] {
  return s.variants.filter((v) => browserVariants.includes(v) || !!backend.info?.variants.includes(v));
}

export function mountLaunch(
  buttons: { runBrowser: HTMLElement; runNative: HTMLElement; runCPython: HTMLElement; allCPython: HTMLInputElement; runAll: HTMLElement; cancel: HTMLElement },
  deps: LaunchDeps,
): Launch {
  const { queue, backend } = deps;
  const backendProcesses = () => backend.info?.limits.process_workers ?? limits.processWorkers;
  const onBackend = (w: number, asked: number): [string, string] => [
    ` The backend runs at most ${count(w)} processes, so the pool ran ${count(w)}, not the ${count(asked)} asked for.`,
    `The process pool runs with ${count(w)} processes, the backend's limit, not the ${count(asked)} asked for.`,
  ];
  /**
   * Where a run goes: what "one process per core" means there (the backend's cores, or one Web
   * Worker per browser core), the most processes it runs, and how a pool cut to that is said.
   */
  const places: Record<RunWhere, Place> = {
    browser: {
      cores: () => deps.browserCores,
      most: () => browserProcessWorkers,
      bounded: (w, asked) => [
        ` The browser runs at most ${count(w)} Web Workers, so its pool ran ${count(w)}, not ${count(asked)}.`,
        `The browser's process pool runs with ${count(w)} Web Workers, its limit, not ${count(asked)}.`,
      ],
    },
    native: { cores: deps.cores, most: backendProcesses, bounded: onBackend },
    cpython: { cores: deps.cores, most: backendProcesses, bounded: onBackend, job: (job) => ({ ...job, python: offeredPython(backend)?.id }) },
  };

  /**
   * Queues variant v where: a process pool is the reader's count, or one process per core of
   * that place when the chosen variant fixes its own count, and at most the place's limit.
   */
  function add(where: RunWhere, s: PlaygroundState, v: Variant): void {
    const place = places[where];
    const asked = v === "process" && fixesWorkers(s.variant) ? place.cores() : s.workers;
    const workers = v === "process" ? Math.min(asked, place.most()) : asked;
    const job = jobFor(s, v, workers);
    const run = queue.add(where, place.job ? place.job(job) : job);
    if (workers >= asked) return;
    const [row, now] = place.bounded(workers, asked);
    deps.note.addTo(run, row);
    if (run.status === "queued" || run.status === "running") deps.note.say(now);
  }

  const launch: Launch = (where, opts = {}) => {
    if (deps.allow && !deps.allow(where)) return false;
    const s = deps.state();
    const before = queue.runs.length;
    if (where === "browser" && browserVariants.includes(s.variant)) add("browser", s, s.variant);
    if (where === "native" && backend.info?.variants.includes(s.variant)) add("native", s, s.variant);
    if (where === "cpython" && offeredPython(backend) && cpythonRuns(s)) add("cpython", s, s.variant);
    if (where === "all") {
      for (const v of browserVariants) if (s.variants.includes(v)) add("browser", s, v);
      for (const v of variantOrder) {
        if (!opts.browserOnly && s.variants.includes(v) && backend.info?.variants.includes(v)) add("native", s, v);
      }
      if (!opts.browserOnly && buttons.allCPython.checked && offeredPython(backend) && cpythonRuns(s)) {
        for (const v of cpythonVariantsForAll(s)) add("cpython", s, v);
      }
    }
    // a prediction ranks the variants in Go's places: CPython's runs are beside it, not in it
    deps.launched?.(where, queue.runs.slice(before).filter((r) => r.where !== "cpython"));
    deps.changed();
    return true;
  };

  buttons.runBrowser.addEventListener("click", () => launch("browser"));
  buttons.runNative.addEventListener("click", () => launch("native"));
  buttons.runCPython.addEventListener("click", () => launch("cpython"));
  buttons.runAll.addEventListener("click", () => launch("all"));
  buttons.cancel.addEventListener("click", () => queue.cancelAll());
  return launch;
}

/** Where a run goes, as add() needs it (see places). */
interface Place {
  cores(): number;
  most(): number;
  /** The note for the run's row and the one said now, when the pool was cut to w of asked. */
  bounded(w: number, asked: number): [string, string];
  /** The job as this place runs it (CPython's names its interpreter). */
  job?(job: Job): Job;
}
