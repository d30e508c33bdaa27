// The run note (#run-note), the form's one live line: what became of each run, and what the
// other parts of the page have to say at once (a copied link, a field out of range, an engine
// that did not load). The wording of a finished run's extra notes is runnotes.ts.

import { count, duration } from "./format";
import { runName, runTitle } from "./labels";
import type { LiveView } from "./liveview";
import { notesFor, rankingNote, spansNote } from "./runnotes";
import type { Run } from "./runs";

export interface RunNote {
  /** Says text in the note, replacing what was there. */
  say(text: string): void;
  /**
   * Says what is wrong with the form ("" once nothing is): a fixed field takes its message
   * away, unless something else has been said since.
   */
  formProblems(text: string): void;
  /** Something to add when run's outcome is said (a bounded process pool). */
  addTo(run: Run, text: string): void;
  /** The browser denied the run lock: said now, and again with run's outcome. */
  lockDenied(run: Run): void;
  /** Queued backend runs canceled because the backend went away during a run: said with its failure. */
  droppedWithRun(n: number): void;
  /** Says what became of run, and titles the timeline with it. */
  ended(run: Run): void;
}

export function mountRunNote(el: HTMLElement, deps: { live: LiveView; runs: () => readonly Run[] }): RunNote {
  const extra = new Map<number, string>();
  let dropped = 0;
  /** The form's problems as last said here. */
  let saidProblems = "";
  return {
    say(text) {
      el.textContent = text;
    },
    formProblems(text) {
      if (text) el.textContent = text;
      else if (el.textContent === saidProblems) el.textContent = "";
      saidProblems = text;
    },
    addTo(run, text) {
      extra.set(run.id, text);
    },
    lockDenied(run) {
      const text =
        " This browser denied the page its run lock (Web Locks refused with a SecurityError, as where a framed page's storage is blocked), so runs go ahead without it: a playground in another tab may run at the same time and slow this one.";
      extra.set(run.id, (extra.get(run.id) ?? "") + text);
      el.textContent = text.trim();
    },
    droppedWithRun(n) {
      dropped = n;
    },
    ended(run) {
      deps.live.title(run);
      let also = "";
      if (run.where === "native" && run.status === "failed" && dropped) {
        also = ` The ${count(dropped)} queued backend ${dropped === 1 ? "run was" : "runs were"} canceled with it.`;
        dropped = 0;
      }
      if (run.status === "failed") el.textContent = `${runName(run)} (${runTitle(run.where, run.variant)}) failed: ${run.error}${also && !/[.!?]$/.test(run.error ?? "") ? "." : ""}${also}`;
      else if (run.status === "canceled") el.textContent = `${runName(run)} was ${run.error ?? "canceled"}.`;
      else if (run.result) {
        const r = run.result;
        const n = r.repeats?.length ?? 1;
        const done = deps.runs().filter((o) => o.status === "done" && o.purpose === "run" && o.result).map((o) => o.result!);
        const beside = [...notesFor(r), run.purpose === "run" ? rankingNote(r, done) : ""].filter(Boolean).map((t) => ` ${t}`).join("");
        el.textContent = `${runName(run)}, ${runTitle(run.where, run.variant, run.job.workers)}: ${n > 1 ? `the fastest of ${n}, ` : ""}${duration(r.duration_ns)}${spansNote(run)}.${extra.get(run.id) ?? ""}${beside}`;
      }
    },
  };
}
