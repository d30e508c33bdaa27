// Lanes beyond what fits: the race preset runs 5,000 threads, and 5,000 lanes in a chart a few
// hundred pixels tall are hairlines. Past the rows that fit, consecutive lanes share a row, in
// groups of a round size (1, 2, 5, 10, 20, 50, 100, …) that a reader can follow, and the page
// says so: "5,000 threads shown as 50 lanes of 100".

import { count } from "../format";

/** The thinnest lane drawn, in CSS pixels: a bar a reader can see and point at. */
export const minLanePx = 5;

export interface LaneGrouping {
  /** Lanes per row: 1 when every lane has a row of its own. */
  group: number;
  /** Rows drawn: ceil(lanes / group). */
  rows: number;
}

/** The smallest round group that fits lanes into maxRows rows. */
export function groupLanes(lanes: number, maxRows: number): LaneGrouping {
  const n = Math.max(1, Math.floor(lanes));
  const fit = Math.max(1, Math.floor(maxRows));
  let group = 1;
  for (let scale = 1; Math.ceil(n / group) > fit; ) {
    const next = [1, 2, 5].map((s) => s * scale).find((g) => g > group);
    if (next === undefined) scale *= 10;
    else group = next;
  }
  return { group, rows: Math.ceil(n / group) };
}

/** A lane name's plural: "threads", "processes" (labels.ts's lane names: worker, thread, process, task, connection). */
export function lanesOf(laneName: string): string {
  return /(s|sh|ch|x)$/.test(laneName) ? `${laneName}es` : `${laneName}s`;
}

/** What the grouping does, for the page: "" when each lane has its row. */
export function groupingNote(lanes: number, g: LaneGrouping, laneName: string): string {
  if (g.group <= 1) return "";
  return `${count(lanes)} ${lanesOf(laneName)} shown as ${count(g.rows)} lanes of ${count(g.group)}: each lane draws every span of its ${lanesOf(laneName)}.`;
}

/** A row's lanes, as its label says them: "100–199" ("4,900–4,999"; "7" for a group of one). */
export function rowLanes(row: number, g: LaneGrouping, lanes: number): { first: number; last: number } {
  const first = row * g.group;
  return { first, last: Math.min(lanes, first + g.group) - 1 };
}
