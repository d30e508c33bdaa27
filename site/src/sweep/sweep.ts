// The worker-count sweep: the same work on the backend with 1, 2, 4, … workers, its speedup over
// one worker against the ideal line — linear for waiting (I/O overlaps without bound), linear
// up to the core count for computing (a core computes one thing at a time), flat for computing
// under the interpreter lock; stepped wherever the tasks do not divide evenly among workers.

import uPlot from "uplot";
import { axisStyle, fillTable, onThemeChange, themeColor } from "../chart/chart";
import { count, duration, ratio, speedup } from "../format";
import type { Run } from "../run/runs";
import type { Experiment, Variant } from "../types";

/** 1, 2, 4, … up to max (and max itself): the worker counts a sweep tries. */
export function ladder(max: number): number[] {
  const out: number[] = [];
  for (let w = 1; w <= max; w *= 2) out.push(w);
  if (out[out.length - 1] !== max && max > 1) out.push(max);
  return out;
}

/**
 * The best speedup over one worker that w workers can reach: the tasks go in rounds of as many
 * as run at once (w for waiting, at most the cores for computing, one for computing under the
 * emulated interpreter lock), so 10 tasks on 4 workers take 3 rounds, not 2.5.
 */
export function idealSpeedup(e: Experiment, v: Variant, workers: number, cores: number, tasks: number): number {
  const t = Math.max(1, tasks);
  const atOnce = e === "io" ? workers : v === "gil" ? 1 : Math.min(workers, Math.max(1, cores));
  return t / Math.ceil(t / Math.max(1, atOnce));
}

export class SweepChart {
  private u: uPlot | null = null;

  constructor(
    private el: HTMLElement,
    private table: HTMLTableElement,
  ) {}

  render(runs: Run[], experiment: Experiment, cores: number, title: string): void {
    const done = runs.filter((r) => r.status === "done" && r.result);
    const base = done.find((r) => r.result!.workers === 1)?.result;
    const xs = runs.map((r) => (r.job.workers ?? 1));
    const measured = runs.map((r) => (r.status === "done" && base && r.result ? ratio(base.duration_ns, r.result.duration_ns) : null));
    const ideal = xs.map((w) => idealSpeedup(experiment, runs[0]?.variant ?? "pool", w, cores, runs[0]?.job.tasks ?? w));
    const data: uPlot.AlignedData = [xs, ideal, measured];
    this.el.hidden = runs.length === 0;
    const heading = document.getElementById("sweep-title");
    if (heading) {
      heading.hidden = runs.length === 0;
      heading.textContent = `${title}: ${runs.filter((r) => r.status === "done").length} of ${runs.length} runs done`;
    }
    if (!this.u) {
      const axis = axisStyle();
      this.u = new uPlot(
        {
          width: Math.max(280, this.el.clientWidth),
          height: 240,
          scales: { x: { time: false, distr: 3, log: 2 }, y: { range: (_u, _min, max) => [0, Math.max(2, Math.ceil(max * 1.1))] } },
          // a log axis leaves out the ticks it has no room for as null splits: those get no label
          axes: [
            { ...axis, label: "workers", labelSize: 20, values: (_u, s) => s.map((v) => (v == null ? "" : count(v))) },
            { ...axis, label: "speedup over 1 worker", labelSize: 20, size: 44, values: (_u, s) => s.map((v) => (v == null ? "" : `${v}×`)) },
          ],
          series: [
            { label: "workers" },
            { label: "ideal", stroke: () => themeColor("--muted"), dash: [6, 4], width: 1.5, points: { show: false } },
            { label: "measured", stroke: () => themeColor("--run"), width: 2.5, points: { size: 7, fill: () => themeColor("--run") } },
          ],
          legend: { live: false },
        },
        data,
        this.el,
      );
      onThemeChange(() => this.u?.redraw(false, true));
      new ResizeObserver(() => {
        const w = Math.max(280, this.el.clientWidth);
        if (this.u && Math.abs(w - this.u.width) > 1) this.u.setSize({ width: w, height: 240 });
      }).observe(this.el);
    } else {
      this.u.setData(data);
    }
    fillTable(
      this.table,
      `Worker-count sweep: ${title}`,
      ["workers", "duration", "speedup over 1 worker", "ideal speedup"],
      runs.map((r, i) => {
        const m = measured[i];
        return [count(xs[i]!), r.result ? duration(r.result.duration_ns) : r.status, m != null ? speedup(m) : "–", speedup(ideal[i]!)];
      }),
    );
  }
}
