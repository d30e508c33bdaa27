// From a run button to queued runs: the current variant in the browser or on the backend, or
// every offered variant; a process pool bounded by the backend's limit is said, not slipped in.

import type { Backend } from "../backend/backend";
import { limits } from "../gen/facts.gen";
import { count } from "../format";
import type { RunNote } from "./note";
import { browserProcessWorkers, browserVariants, variantOrder } from "../presets";
import type { Run, RunQueue, RunWhere } from "./runs";
import { fixesWorkers, jobFor, type PlaygroundState } from "../state";
import type { Variant } from "../types";

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

/** Queues the runs; false when allow() held them back. */
export type Launch = (where: RunWhere | "all", opts?: { browserOnly?: boolean }) => boolean;

/** The variants "run every variant" runs: the browser's, and the backend's when it is connected. */
export function variantsForAll(s: PlaygroundState, backend: Backend): Variant[] {
  return s.variants.filter((v) => browserVariants.includes(v) || !!backend.info?.variants.includes(v));
}

export function mountLaunch(buttons: { runBrowser: HTMLElement; runNative: HTMLElement; runAll: HTMLElement; cancel: HTMLElement }, deps: LaunchDeps): Launch {
  const { queue, backend } = deps;

  /**
   * The worker count for a variant on the backend: processes are bounded by the backend's limit
   * (the engine's, which is the same Go package's, until it answers). When the chosen variant
   * fixes its own count (sequential, the event loop), the state's count is the lesson's pool
   * size, and the process pool gets the lesson's one per backend core.
   */
  function nativeWorkers(s: PlaygroundState, v: Variant): number {
    if (v !== "process") return s.workers;
    const asked = fixesWorkers(s.variant) ? deps.cores() : s.workers;
    return Math.min(asked, backend.info?.limits.process_workers ?? limits.processWorkers);
  }

  function addNative(s: PlaygroundState, v: Variant): void {
    const workers = nativeWorkers(s, v);
    const run = queue.add("native", jobFor(s, v, workers));
    if (v === "process" && !fixesWorkers(s.variant) && workers < s.workers) {
      deps.note.addTo(run, ` The backend runs at most ${count(workers)} processes, so the pool ran ${count(workers)}, not the ${count(s.workers)} asked for.`);
      if (run.status === "queued" || run.status === "running") deps.note.say(`The process pool runs with ${count(workers)} processes, the backend's limit, not the ${count(s.workers)} asked for.`);
    }
  }

  /**
   * A variant in the browser: its process pool is one Web Worker per browser core unless the
   * reader chose a count, and at most browserProcessWorkers, which is said where it bounds.
   */
  function addBrowser(s: PlaygroundState, v: Variant): void {
    if (v !== "process") {
      queue.add("browser", jobFor(s, v));
      return;
    }
    const asked = fixesWorkers(s.variant) ? deps.browserCores : s.workers;
    const workers = Math.min(asked, browserProcessWorkers);
    const run = queue.add("browser", jobFor(s, v, workers));
    if (workers < asked) {
      deps.note.addTo(run, ` The browser runs at most ${count(workers)} Web Workers, so its pool ran ${count(workers)}, not ${count(asked)}.`);
      if (run.status === "queued" || run.status === "running") deps.note.say(`The browser's process pool runs with ${count(workers)} Web Workers, its limit, not ${count(asked)}.`);
    }
  }

  const launch: Launch = (where, opts = {}) => {
    if (deps.allow && !deps.allow(where)) return false;
    const s = deps.state();
    const before = queue.runs.length;
    if (where === "browser" && browserVariants.includes(s.variant)) addBrowser(s, s.variant);
    if (where === "native" && backend.info?.variants.includes(s.variant)) addNative(s, s.variant);
    if (where === "all") {
      for (const v of browserVariants) if (s.variants.includes(v)) addBrowser(s, v);
      for (const v of variantOrder) {
        if (!opts.browserOnly && s.variants.includes(v) && backend.info?.variants.includes(v)) addNative(s, v);
      }
    }
    deps.launched?.(where, queue.runs.slice(before));
    deps.changed();
    return true;
  };

  buttons.runBrowser.addEventListener("click", () => launch("browser"));
  buttons.runNative.addEventListener("click", () => launch("native"));
  buttons.runAll.addEventListener("click", () => launch("all"));
  buttons.cancel.addEventListener("click", () => queue.cancelAll());
  return launch;
}
