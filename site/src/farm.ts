// The download farm the browser's I/O runs fetch: it is on the page's own origin (native serve
// and the edge Worker both serve /farm/), so when the server that served the page stops, the
// browser's I/O stops with it. A failed fetch reaches the page as the browser's bare words
// ("TypeError: Failed to fetch"); this says what they mean.

import type { Job } from "./types";

/** The browsers' words for a fetch that got no answer at all (Chromium, Firefox, Safari, Node). */
const noAnswer = /Failed to fetch|NetworkError|Load failed|fetch failed/i;

/**
 * err as the reader should read it: a browser I/O run whose downloads got no answer says that
 * the farm on origin did not answer and why that matters; anything else is passed on as it is.
 */
export function explainFarmFailure(err: unknown, job: Job, origin: string): unknown {
  const message = (err as Error | null)?.message ?? String(err);
  if (job.experiment !== "io" || !noAnswer.test(message)) return err;
  return new Error(
    `its downloads got no answer from the farm at ${origin}/farm/, which the server that served this page runs: ` +
      "that server seems to have stopped, and the browser's I/O runs need it as the backend's do",
  );
}
