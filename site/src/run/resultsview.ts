// The finished runs' views: the runs table, the duration chart (with earlier and shared runs
// from the history, if the reader keeps them shown) and the last race's figures. Each is
// optional: an embed has no duration chart.

import { byId, optionalId } from "../dom";
import { DurationChart, type PastResult } from "../chart/durations";
import { renderRace } from "../lesson/race";
import { ResultsTable } from "./results";
import { isFinishedRun, type Run } from "./runs";

export interface ResultsDeps {
  runs(): Run[];
  /** Earlier visits' and shared runs; null on a page without a history. */
  past: (() => PastResult[]) | null;
  /** A run picked in the runs table, to be shown on the timeline. */
  pick(run: Run): void;
}

/** Mounts what the page has of #results, #duration-chart and #race; render() draws them all. */
export function mountResults(deps: ResultsDeps): { render(): void } {
  const durationEl = optionalId("duration-chart");
  const durations = durationEl ? new DurationChart(durationEl, byId("duration-table")) : null;
  const resultsEl = optionalId<HTMLTableElement>("results");
  const results = resultsEl ? new ResultsTable(resultsEl, byId("results-empty"), deps.pick) : null;
  const overlay = optionalId<HTMLInputElement>("overlay-history");

  function render(): void {
    const runs = deps.runs();
    results?.render(runs);
    const past = deps.past && (overlay?.checked ?? true) ? deps.past() : [];
    durations?.render(runs, past);
    const empty = optionalId("durations-empty");
    if (empty) empty.hidden = past.length > 0 || runs.some(isFinishedRun);
    const race = optionalId("race");
    const lastRace = [...runs].reverse().find((r) => isFinishedRun(r) && r.result.race);
    if (race) renderRace(race, lastRace?.result);
  }
  overlay?.addEventListener("change", render);
  return { render };
}
