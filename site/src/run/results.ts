// The table of finished runs: one row per run with everything measured about it. Each row is
// a test hook (data-testid="result-row" with the variant, where, duration and checksum) and
// a way to bring the run's timeline back.

import { count, duration, ms, ratio, speedup } from "../format";
import { placeKey, whereLabel } from "../labels";
import { variantNames } from "../presets";
import { isFinishedRun, type Run } from "./runs";
import { notesFor } from "./runnotes";
import { percent, repeatsText, spreadOf } from "./spread";
import { describeWork, workKey } from "../state";
import type { Result } from "../types";

/** The latest sequential run of the same work in the same place (the same machine), or undefined. */
export function baselineOf(r: Result, all: Result[]): Result | undefined {
  const key = workKey(r.spec);
  const place = placeKey(r);
  let best: Result | undefined;
  for (const o of all) {
    if (o.variant === "sequential" && workKey(o.spec) === key && placeKey(o) === place) best = o;
  }
  return best;
}

export class ResultsTable {
  private body: HTMLTableSectionElement;

  constructor(
    private table: HTMLTableElement,
    private empty: HTMLElement,
    private onShow: (run: Run) => void,
  ) {
    this.body = table.tBodies[0] ?? table.createTBody();
  }

  render(runs: Run[]): void {
    const done = runs.filter(isFinishedRun);
    const results = done.map((r) => r.result);
    this.empty.hidden = done.length > 0;
    this.table.hidden = done.length === 0;
    this.body.textContent = "";
    for (const run of [...done].reverse()) {
      const r = run.result;
      const tr = this.body.insertRow();
      tr.setAttribute("data-testid", "result-row");
      tr.dataset.variant = r.variant;
      tr.dataset.where = r.where;
      tr.dataset.durationMs = ms(r.duration_ns).toFixed(3);
      tr.dataset.checksum = r.checksum;
      tr.dataset.spans = String(r.spans);
      tr.dataset.run = String(run.id);
      const base = baselineOf(r, results);
      const spread = spreadOf(r.repeats);
      tr.dataset.repeats = String(r.repeats?.length ?? 1);
      if (spread) {
        tr.dataset.minMs = ms(spread.min).toFixed(3);
        tr.dataset.medianMs = ms(spread.median).toFixed(3);
        tr.dataset.maxMs = ms(spread.max).toFixed(3);
        tr.dataset.spread = spread.spread.toFixed(4);
      }
      const cells: [string, string?][] = [
        [`#${run.number}`],
        [variantNames[r.variant] + (r.preset ? ` (${r.preset})` : "")],
        [whereLabel(r)],
        [count(r.workers)],
        [describeWork(r.spec)],
        [duration(r.duration_ns), "num"],
        [speedupCell(base, r), "num"],
        [r.race ? `counted ${count(r.race.counted)} of ${count(r.race.expected)}` : r.checksum, r.race ? "" : "mono"],
      ];
      for (const [text, cls] of cells) {
        const td = tr.insertCell();
        td.textContent = text;
        if (cls) td.className = cls;
      }
      // the duration is the fastest repeat; under it, the spread of them all
      if (spread) {
        const small = document.createElement("small");
        small.className = `spread${spread.wide ? " wide" : ""}`;
        small.dataset.testid = spread.wide ? "spread-warning" : "spread";
        small.textContent = spread.wide ? `${repeatsText(spread)} · spread ${percent(spread.spread)}: too wide to trust` : repeatsText(spread);
        tr.cells[5]!.append(small);
      }
      const td = tr.insertCell();
      const b = document.createElement("button");
      b.type = "button";
      b.className = "link";
      b.textContent = "timeline";
      b.setAttribute("aria-label", `Show the timeline of run ${run.number}`);
      b.addEventListener("click", () => this.onShow(run));
      td.appendChild(b);
      // what needs saying about the figure, beside it: a row of its own under the run's
      const notes = notesFor(r);
      if (notes.length) {
        const note = this.body.insertRow();
        note.className = "row-note";
        note.dataset.testid = "result-note";
        note.dataset.run = String(run.id);
        const cell = note.insertCell();
        cell.colSpan = tr.cells.length;
        cell.textContent = notes.join(" ");
      }
    }
  }
}

/** The speedup column: over the baseline's run, "baseline" for it, "–" where none is a figure. */
function speedupCell(base: Result | undefined, r: Result): string {
  const x = base && base !== r ? ratio(base.duration_ns, r.duration_ns) : null;
  return x !== null ? speedup(x) : r.variant === "sequential" && (!base || base === r) ? "baseline" : "–";
}
