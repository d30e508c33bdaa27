// What keeps the reader with a run as it goes (issue 21's "progress and focus"): how far a batch
// has got, beside the run buttons (#batch-progress); the run's note and live timeline brought
// into view when a batch starts; and a run lost to a reload said on the next load.

import { optionalId } from "../dom";
import { runName, runTitle } from "../labels";
import { BatchProgress } from "./batch";
import { ended, lostOnReload, running, sessionStore } from "./interrupted";
import type { RunNote } from "./note";
import type { Run } from "./runs";

export interface Lead {
  /** A run changed status; busy: whether the queue still has runs going or waiting. */
  changed(run: Run, runs: readonly Run[], busy: boolean): void;
}

/** framed: inside another site's page, which is never scrolled. */
export function mountLead(deps: { framed: boolean; note: RunNote }): Lead {
  const batch = new BatchProgress();
  const batchEl = optionalId("batch-progress");
  const store = sessionStore();
  /** The queue was idle before this run started: a new batch, whose first run is brought into view. */
  let idle = true;
  const lost = lostOnReload(store);
  if (lost) deps.note.say(lost);

  return {
    changed(run, runs, busy) {
      if (run.status === "running") {
        const note = optionalId("run-note");
        const live = optionalId("live");
        if (idle && !deps.framed && note && live) bringIntoView(note, live);
        idle = false;
        running(store, `${runName(run).toLowerCase()} (${runTitle(run.where, run.variant, run.job.workers)})`);
      } else if (run.status !== "queued") ended(store);
      if (!busy) idle = true;
      if (batchEl) {
        batchEl.textContent = batch.update(runs);
        batchEl.hidden = batchEl.textContent === "";
      }
    },
  };
}

/**
 * A run started: its note and its live timeline (from the note's top to the timeline's foot, as
 * much as fits) are brought into view, unless they are in view already.
 */
function bringIntoView(note: HTMLElement, live: HTMLElement): void {
  const top = note.getBoundingClientRect().top;
  const bottom = live.querySelector("[data-testid=timeline]")?.getBoundingClientRect().bottom ?? live.getBoundingClientRect().bottom;
  if (top >= 0 && bottom <= window.innerHeight) return;
  // at once, not smoothly: a smooth scroll is cut short when the run's first spans change the
  // page's layout under it
  window.scrollBy({ top: top - 12, behavior: "instant" });
}
