// The duration chart: every finished run, grouped by the work it did (only runs of the same
// work compare), one row per variant and worker count with the browser's and the native
// backend's bars side by side (a repeated run adds a bar: the spread is part of what was
// measured), each labelled with its time and its speedup over the latest sequential run of the
// same work on the same machine in the same visit. Runs of earlier visits and of a shared link
// (the history) can be overlaid as lighter, hatched bars, each compared only within its own
// visit or link. A bar is a run's fastest repeat (what the speedups compare, as the lesson
// quotes the fastest of three); a whisker spans its repeats from the fastest to the slowest.
// Plain HTML bars (crisp, no canvas), hidden from screen readers, which get the table built
// from the same numbers.

import { fillTable } from "./chart";
import { count, duration, ratio, speedup } from "../format";
import { whereLabel } from "../labels";
import { variantNames, variantOrder } from "../presets";
import { placeKey } from "../labels";
import { baselineOf } from "../run/results";
import { rankingNote } from "../run/runnotes";
import { isFinishedRun, type Run } from "../run/runs";
import { percent, rangeText, spreadOf } from "../run/spread";
import { describeWork, workKey } from "../state";
import type { Result } from "../types";

/** A bar: a result, and for a run of an earlier visit or a shared link, what to call it. */
interface Bar {
  r: Result;
  past?: string;
  /** The runs whose sequential one may be this bar's baseline: its own visit's, or its link's. */
  group: string;
}

interface Row {
  label: string;
  order: number;
  /** Every run of the row's variant, in the order they ran: repeats show the spread. */
  browser: Bar[];
  native: Bar[];
  cpython: Bar[];
}

/** A run from the history or a shared link, overlaid on this visit's: "earlier", "shared". */
export interface PastResult {
  result: Result;
  label: string;
  /**
   * The visit it was measured in (or "shared" for a link's runs): a past bar's speedup is over
   * the sequential run of its own visit or link, never over this visit's, and this visit's bars
   * never take a past or shared run as their baseline (a link could plant any figure there).
   */
  visit: string;
}

/** A work's bars as rows, one per variant and worker count, in the lesson's order. */
function rowsOf(group: Bar[]): Row[] {
  const rows = new Map<string, Row>();
  for (const bar of group) {
    const r = bar.r;
    const pool = r.variant !== "sequential" && r.variant !== "eventloop";
    const key = `${r.variant}/${pool ? r.workers : ""}`;
    const row = rows.get(key) ?? {
      label: variantNames[r.variant] + (pool ? ` × ${count(r.workers)}` : ""),
      order: variantOrder.indexOf(r.variant) * 1e6 + (pool ? r.workers : 0),
      browser: [],
      native: [],
      cpython: [],
    };
    row[r.where === "browser" ? "browser" : r.where === "cpython" ? "cpython" : "native"].push(bar);
    rows.set(key, row);
  }
  return [...rows.values()].sort((a, b) => a.order - b.order);
}

/**
 * One bar of the chart and its row in the table behind it: the run's fastest repeat, its
 * whisker of repeats, and its speedup over the sequential run of its own visit (or link).
 */
function barView({ r, past }: Bar, max: number, visit: Result[]): [HTMLElement, string[]] {
  const base = baselineOf(r, visit);
  const x = base && base !== r ? ratio(base.duration_ns, r.duration_ns) : null;
  const sp = x !== null ? speedup(x) : r.variant === "sequential" ? "baseline" : "";
  const own = past === "shared" ? "the link's" : "its own visit's";
  const bar = document.createElement("div");
  bar.className = `dbar ${r.where}${past ? " past" : ""}`;
  if (past && sp) bar.title = sp === "baseline" ? `the baseline of ${own} runs` : `speedup over ${own} sequential run`;
  const track = document.createElement("span");
  track.className = "dtrack";
  const fill = document.createElement("span");
  fill.className = "dfill";
  fill.style.width = `${Math.max(0.5, (100 * r.duration_ns) / (max || 1))}%`;
  track.appendChild(fill);
  const spread = spreadOf(r.repeats);
  if (spread) {
    const whisker = document.createElement("span");
    whisker.className = `dwhisker${spread.wide ? " wide" : ""}`;
    whisker.dataset.testid = "whisker";
    whisker.style.left = `${(100 * spread.min) / (max || 1)}%`;
    whisker.style.width = `${(100 * (spread.max - spread.min)) / (max || 1)}%`;
    const median = document.createElement("span");
    median.className = "dmedian";
    median.style.left = `${(100 * (spread.median - spread.min)) / (spread.max - spread.min || 1)}%`;
    whisker.appendChild(median);
    track.appendChild(whisker);
    bar.title = `${bar.title ? `${bar.title}; ` : ""}fastest of ${spread.n}: ${rangeText(spread)} (fastest–median–slowest), spread ${percent(spread.spread)}${spread.wide ? ": too wide to trust" : ""}`;
  }
  const text = document.createElement("span");
  text.className = "dtext";
  const where = document.createElement("span");
  where.className = "where";
  where.textContent = barWhere(r) + (past ? `, ${past} ` : " ");
  const b = document.createElement("b");
  b.textContent = duration(r.duration_ns);
  text.append(where, b, sp ? ` · ${sp}` : "");
  if (spread?.wide) {
    const warn = document.createElement("span");
    warn.className = "dwarn";
    warn.textContent = ` · ⚠ ${percent(spread.spread)}`;
    text.append(warn);
  }
  bar.append(track, text);
  const row = [
    describeWork(r.spec), variantNames[r.variant], count(r.workers), whereLabel(r) + (past ? ` (${past})` : ""), duration(r.duration_ns),
    spread ? `${rangeText(spread)} of ${spread.n}, spread ${percent(spread.spread)}${spread.wide ? ": too wide to trust" : ""}` : "one run",
    !sp ? (past ? `no sequential run in ${own} runs` : "no sequential run yet") : past ? (sp === "baseline" ? `baseline of ${own} runs` : `${sp} over ${own} sequential run`) : sp,
  ];
  return [bar, row];
}

export class DurationChart {
  constructor(
    private chart: HTMLElement,
    private table: HTMLTableElement,
  ) {}

  /** Draws this visit's runs, and past ones (earlier visits, a shared link) as lighter bars. */
  render(runs: Run[], past: PastResult[] = []): void {
    const bars: Bar[] = [
      ...past.map((p) => ({ r: p.result, past: p.label, group: `past ${p.visit}` })),
      ...runs.filter(isFinishedRun).map((r) => ({ r: r.result, group: "this visit" })),
    ];
    const byGroup = new Map<string, Result[]>();
    for (const b of bars) byGroup.set(b.group, [...(byGroup.get(b.group) ?? []), b.r]);
    const groups = new Map<string, Bar[]>();
    for (const b of bars) {
      const k = workKey(b.r.spec);
      groups.set(k, [...(groups.get(k) ?? []), b]);
    }
    this.chart.textContent = "";
    const tableRows: string[][] = [];
    this.chart.hidden = bars.length === 0;
    // the newest work first: it is what the reader is looking at
    for (const group of [...groups.values()].reverse()) {
      const sorted = rowsOf(group);
      // the slowest repeat of the group spans the whole track: every whisker fits
      const max = Math.max(...group.map((b) => Math.max(b.r.duration_ns, ...(b.r.repeats ?? []))));
      const fig = document.createElement("div");
      fig.className = "dgroup";
      const h = document.createElement("h4");
      h.textContent = describeWork(group[0]!.r.spec);
      fig.appendChild(h);
      // where each speedup's baseline came from, said once per group that mixes in past runs
      if (group.some((b) => b.past)) {
        const from = document.createElement("p");
        from.className = "hint";
        from.textContent = "Earlier and shared runs are compared with the sequential run of their own visit or link, this visit's with this visit's.";
        fig.appendChild(from);
      }
      for (const row of sorted) {
        const line = document.createElement("div");
        line.className = "drow";
        const label = document.createElement("div");
        label.className = "dlabel";
        label.textContent = row.label;
        line.appendChild(label);
        const bars = document.createElement("div");
        bars.className = "dbars";
        for (const bar of [...row.browser, ...row.native, ...row.cpython]) {
          const [el, tableRow] = barView(bar, max, byGroup.get(bar.group)!);
          bars.appendChild(el);
          tableRows.push(tableRow);
        }
        line.appendChild(bars);
        fig.appendChild(line);
      }
      // this visit's variants of the work in order, per place: the lesson's ranking, or not
      const own = group.filter((b) => !b.past).map((b) => b.r);
      for (const place of new Set(own.map(placeKey))) {
        const text = rankingNote(own.find((r) => placeKey(r) === place)!, own);
        if (!text) continue;
        const p = document.createElement("p");
        p.className = "dorder";
        p.dataset.testid = "ranking";
        p.textContent = text;
        fig.appendChild(p);
      }
      this.chart.appendChild(fig);
    }
    fillTable(this.table, "Duration of every run, by the work it did", ["work", "variant", "workers", "where", "duration (the fastest repeat)", "repeats: fastest–median–slowest", "speedup over sequential in the same place and visit"], tableRows);
  }
}

/** Where a bar's run ran, in a word or three: CPython's bars say its version and GIL. */
function barWhere(r: Result): string {
  if (r.where === "cpython") return r.python ? `CPython ${r.python.version}${r.python.gil ? "" : " (no GIL)"}` : "CPython";
  return r.where === "browser" ? "browser" : "native";
}
