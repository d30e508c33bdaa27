// What the timeline panel says and marks of a run, as pure functions and one small class:
// its title, its progress in words, the repeat marks, and where a running run's repeats began.
// liveview.ts binds them to the page.

import { SETTLE_MS } from "../engine/pool";
import { count, duration } from "../format";
import { runName, runTitle } from "../labels";
import { spansNote } from "../run/runnotes";
import type { Run } from "../run/runs";
import { fastestRepeat } from "../run/spread";
import { describeWork } from "../state";
import type { RepeatMark } from "./timeline";
import type { Result } from "../types";

/** Which repeat a run is in, and how far: its progress counts tasks × repeats. */
export function repeatOf(run: Run): { repeat: number; repeats: number; done: number; tasks: number } {
  const { done } = run.progress;
  const repeats = run.job.repeat ?? 1;
  const tasks = Math.max(1, run.job.tasks ?? 1);
  const repeat = Math.min(repeats, Math.floor(done / tasks) + 1);
  return { repeat, repeats, done: done - (repeat - 1) * tasks, tasks };
}

/** "repeat 2 of 3: 5 of 20 tasks", or "5 of 20 tasks" for a run of one repeat. */
export function progressText(run: Run): string {
  const p = repeatOf(run);
  const tasks = `${count(p.done)} of ${count(p.tasks)} tasks`;
  return p.repeats > 1 ? `repeat ${p.repeat} of ${p.repeats}: ${tasks}` : tasks;
}

/** The browser's process pool pauses before each repeat, in no repeat's time (pool.ts): say so. */
export function settleNote(r: Result): string {
  if (r.where !== "browser" || r.variant !== "process") return "";
  const n = r.repeats?.length ?? 1;
  return n > 1
    ? `; the pool paused ${SETTLE_MS} ms before each repeat, counted in none, for the browser to end the workers of the repeat before`
    : `; the pool paused ${SETTLE_MS} ms before it, not counted, for the page to settle`;
}

/** A run that ended without a span has no time axis to speak of (it would read 0, 0.000, 0.001). */
export const nothingDrawn = (run: Run) => run.status !== "running" && run.status !== "queued" && !run.result && run.spans.n === 0;

/** The title above the timeline for run, in every state it can be in. */
export function titleText(run: Run): string {
  const head = `${runName(run)}: ${runTitle(run.where, run.variant, run.job.workers)}`;
  const nothing = nothingDrawn(run) ? "; no task finished, so there is nothing to draw" : "";
  if (run.status === "running") return `${head}, running: ${progressText(run)}, ${count(run.spans.n)} spans so far`;
  if (run.result) {
    const n = run.result.repeats?.length ?? 1;
    const fastest = n > 1 ? `the fastest of ${n} repeats ${duration(run.result.duration_ns)} (all ${n} are on this timeline, one after another)` : duration(run.result.duration_ns);
    return `${head}: ${describeWork(run.result.spec)}, ${fastest}${run.spansReleased ? "" : `, ${count(run.spans.n)} spans`}${settleNote(run.result)}${spansNote(run)}`;
  }
  if (run.status === "canceled") return `${head}: ${run.error ?? "canceled"}${nothing}`;
  return `${head}: ${run.status}${run.error ? ` (${run.error})` : ""}${nothing}`;
}

/**
 * Where each repeat of a running run started, as far as the timeline has got when its
 * progress passes into the next repeat (the repeats run one after another); the result's own
 * durations replace them at the end.
 */
export class LiveRepeats {
  private starts = new Map<number, number[]>();

  /** The run's progress moved: a repeat it passed into starts where the timeline has got. */
  note(run: Pick<Run, "id" | "progress" | "job" | "spans">): void {
    const { repeat } = repeatOf(run as Run);
    const starts = this.starts.get(run.id) ?? [0];
    while (starts.length < repeat) starts.push(run.spans.maxEnd);
    this.starts.set(run.id, starts);
  }

  of(id: number): readonly number[] {
    return this.starts.get(id) ?? [];
  }

  forget(id: number): void {
    this.starts.delete(id);
  }
}

/** The timeline's repeat marks: from the result's durations once it is in, else as they came (live). */
export function repeatMarks(run: Pick<Run, "result">, live: readonly number[]): RepeatMark[] {
  const times = run.result?.repeats;
  if (times && times.length > 1) {
    const fastest = fastestRepeat(times);
    let at = 0;
    return times.map((d, i) => {
      const m = { start: at, label: `repeat ${i + 1}${i === fastest ? " · fastest" : ""}`, short: `${i + 1}${i === fastest ? " fastest" : ""}` };
      at += d / 1e6;
      return m;
    });
  }
  if (run.result) return [];
  return live.length > 1 ? live.map((start, i) => ({ start, label: `repeat ${i + 1}`, short: String(i + 1) })) : [];
}
