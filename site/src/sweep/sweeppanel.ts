// The sweep panel: "Sweep workers on the backend" queues the current work with 1, 2, 4, …
// workers and draws their speedups as they finish (the chart is sweep.ts).

import type { Backend } from "../backend/backend";
import { byId, optionalId } from "../dom";
import { variantNames } from "../presets";
import type { Run, RunQueue } from "../run/runs";
import { describeWork, jobFor, type PlaygroundState } from "../state";
import { ladder, SweepChart } from "./sweep";

export interface SweepDeps {
  queue: RunQueue;
  backend: Backend;
  state(): PlaygroundState;
  cores(): number;
  /** What is wrong with the form; a sweep, like a run, waits until nothing is. */
  invalid(): string[];
  /** The queue changed: the buttons' availability follows. */
  changed(): void;
}

export interface SweepPanel {
  /** A sweep run changed: draw the sweep so far. */
  render(): void;
  /** The button can act only with a backend and an idle queue. */
  update(): void;
}

/** An I/O sweep's top: its waiting is not bounded by the cores, so a fixed count caps it instead. */
const ioSweepMax = 64;

/** Mounts the sweep where the page has one (#sweep-chart); an embed has none. */
export function mountSweep(deps: SweepDeps): SweepPanel {
  const chartEl = optionalId("sweep-chart");
  const chart = chartEl ? new SweepChart(chartEl, byId("sweep-table")) : null;
  const button = optionalId("run-sweep");
  const why = optionalId("sweep-why");
  let runs: Run[] = [];
  let title = "";

  button?.addEventListener("click", () => {
    const s = deps.state();
    const info = deps.backend.info;
    if (!info || deps.queue.busy || deps.invalid().length) return;
    const v = s.variant === "pool" || s.variant === "gil" || s.variant === "process" ? s.variant : "pool";
    const top = v === "process" ? Math.min(info.limits.process_workers, 2 * info.cores) : Math.min(s.experiment === "io" ? ioSweepMax : 4 * info.cores, info.limits.workers);
    const max = Math.max(1, Math.min(s.params.tasks, top));
    title = `${variantNames[v]} on ${info.cores} ${info.cores === 1 ? "core" : "cores"}, ${describeWork(jobFor(s, v))}`;
    runs = ladder(max).map((w) => deps.queue.add("native", jobFor(s, v, w), "sweep"));
    deps.changed();
  });

  return {
    render() {
      chart?.render(runs, runs[0]?.job.experiment ?? "cpu", deps.cores(), title);
    },
    update() {
      const invalid = deps.invalid();
      button?.toggleAttribute("disabled", !deps.backend.info || deps.queue.busy || invalid.length > 0);
      // the sweep runs the form's work: a form it cannot run is said here, not swept past
      if (why) {
        why.textContent = !deps.backend.info
          ? "The sweep runs on the native backend, which is not connected."
          : invalid.length
            ? `Fix the form first: ${invalid.join(" ")}`
            : "";
      }
    },
  };
}
