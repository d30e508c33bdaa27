// The run note (#run-note), the form's one live line: what became of each run, and what the
// other parts of the page have to say at once (a copied link, a field out of range, an engine
// that did not load). The wording of a finished run's extra notes is runnotes.ts.

import { count, duration } from "../format";
import { runName, runTitle } from "../labels";
import type { LiveView } from "../timeline/liveview";
import { baselineOf } from "./results";
import { againstLessonNote, notesFor, rankingNote, spansNote, startupNote, startupNoted } from "./runnotes";
import { isFinishedRun, type Run } from "./runs";
import type { Result } from "../types";

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
  /** run waits for another tab's (or embed's) run: said now, until it starts. */
  lockWait(run: Run): void;
  /**
   * Queued runs canceled because the backend went away during a run: said with that run's
   * outcome, whatever it is, so the reader learns of them however the running run ends. noun
   * names them ("backend runs", the default).
   */
  droppedWithRun(n: number, noun?: string): void;
  /** Says what became of run, and titles the timeline with it. */
  ended(run: Run): void;
}

export function mountRunNote(el: HTMLElement, deps: { live: LiveView; runs: () => readonly Run[] }): RunNote {
  const extra = new Map<number, string>();
  let dropped = 0;
  let droppedNoun = "";
  /**
   * The runs that failed since the queue was last idle: each later run's outcome says them
   * again, so a failure in the middle of "run every variant" is not lost under the next line.
   */
  let failedInBatch: Run[] = [];
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
    lockWait(run) {
      el.textContent = `${runName(run)} (${runTitle(run.where, run.variant, run.job.workers)}) is waiting for a run in another tab of this playground (or an embed of it in another page) to end: runs in one browser take turns, so that they do not slow each other down. It starts once that one ends; Cancel stops waiting.`;
    },
    droppedWithRun(n, noun = "backend runs") {
      dropped = n;
      droppedNoun = noun;
    },
    ended(run) {
      deps.live.title(run);
      let also = "";
      if (dropped) {
        const were = dropped === 1 ? `${droppedNoun.replace(/s$/, "")} was` : `${droppedNoun} were`;
        also = ` The ${count(dropped)} queued ${were} canceled ${run.status === "failed" ? "with it" : "when the backend went away"}.`;
        dropped = 0;
      }
      const earlier = failedInBatch
        .filter((o) => o !== run)
        .map((o) => ` ${runName(o)} (${runTitle(o.where, o.variant)}) failed before it: ${o.error}${/[.!?]$/.test(o.error ?? "") ? "" : "."}`)
        .join("");
      if (run.status === "failed") failedInBatch.push(run);
      // the queue is idle after this run: the next run starts a new batch
      if (!deps.runs().some((o) => o !== run && (o.status === "queued" || o.status === "running"))) failedInBatch = [];
      also += earlier;
      if (run.status === "failed") el.textContent = `${runName(run)} (${runTitle(run.where, run.variant)}) failed: ${run.error}${also && !/[.!?]$/.test(run.error ?? "") ? "." : ""}${also}`;
      else if (run.status === "canceled") el.textContent = `${runName(run)} was ${run.error ?? "canceled"}.${also}`;
      else if (run.result) {
        const r = run.result;
        const n = r.repeats?.length ?? 1;
        const done = deps.runs().filter(isFinishedRun).map((o) => o.result);
        const own = run.purpose === "run";
        let startup = "";
        if (own && startupNoted(r)) {
          // A spawn starts at or after its repeat on the run's clock; the repeats' durations are
          // whole ns, so a µs of margin keeps the first spawn of a repeat in it.
          const [from, to] = fastestRepeat(r);
          startup = startupNote(r, baselineOf(r, done), run.spans.spawnsWithin(from - 0.001, to));
        }
        const against = own ? againstLessonNote(r, baselineOf(r, done)) : "";
        const beside = [...notesFor(r), against, startup, own ? rankingNote(r, done) : ""].filter(Boolean).map((t) => ` ${t}`).join("");
        el.textContent = `${runName(run)}, ${runTitle(run.where, run.variant, run.job.workers)}: ${n > 1 ? `the fastest of ${n}, ` : ""}${duration(r.duration_ns)}${spansNote(run)}.${extra.get(run.id) ?? ""}${beside}${also}`;
      }
    },
  };
}

/**
 * Where r's fastest repeat lies on its run's timeline, [from, to) in ms: every engine lays its
 * repeats end to end (runloop.Repeat, the browser's pool), in the order they ran.
 */
function fastestRepeat(r: Result): [number, number] {
  const repeats = r.repeats?.length ? r.repeats : [r.duration_ns];
  const i = repeats.indexOf(Math.min(...repeats));
  const from = repeats.slice(0, i).reduce((a, b) => a + b, 0) / 1e6;
  return [from, from + repeats[i]! / 1e6];
}
