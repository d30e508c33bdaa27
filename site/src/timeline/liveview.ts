// The timeline panel: which run the timeline shows, its title, the progress bar, the repeat
// marks and the zoom buttons. The timeline itself (drawing, hover, zoom) is timeline.ts.

import { byId } from "../dom";
import { SETTLE_MS } from "../engine/pool";
import { count, duration } from "../format";
import { laneName, runName, runTitle } from "../labels";
import { spansNote } from "../run/runnotes";
import type { Run } from "../run/runs";
import { fastestRepeat } from "../run/spread";
import { describeWork } from "../state";
import { Timeline, type RepeatMark, type TimelineRun } from "./timeline";
import type { Result } from "../types";

export interface LiveView {
  /** The id of the run the timeline shows, if any. */
  readonly shownId: number | undefined;
  /** A run started: the timeline follows it. */
  started(run: Run): void;
  /** Spans or progress arrived. */
  progressed(run: Run): void;
  /** A run ended (done, failed or canceled): the timeline draws what it got. */
  ended(run: Run): void;
  /** Shows a finished run picked in the runs table, and brings the timeline into view. */
  pick(run: Run): void;
  /** Sets the title above the timeline for run. */
  title(run: Run): void;
  /** Shows run's progress at the next frame (the latest run asked for wins). */
  showProgress(run: Run): void;
  /** The timeline itself, for what links to its spans (the code view). */
  readonly timeline: Timeline;
}

/**
 * While a run goes, the timeline, its title and the progress bar are redrawn at most this far
 * apart (ms). The page is on the machine it measures: drawing at every frame took about 0.4 of a
 * core on a 2-core machine (renderer, compositor and GPU process together), which a run of the
 * process pool, using both cores, paid for in its duration.
 */
const LIVE_REDRAW_MS = 250;

/** Which repeat a run is in, and how far: its progress counts tasks × repeats. */
function repeatOf(run: Run): { repeat: number; repeats: number; done: number; tasks: number } {
  const { done } = run.progress;
  const repeats = run.job.repeat ?? 1;
  const tasks = Math.max(1, run.job.tasks ?? 1);
  const repeat = Math.min(repeats, Math.floor(done / tasks) + 1);
  return { repeat, repeats, done: done - (repeat - 1) * tasks, tasks };
}

/** "repeat 2 of 3: 5 of 20 tasks", or "5 of 20 tasks" for a run of one repeat. */
function progressText(run: Run): string {
  const p = repeatOf(run);
  const tasks = `${count(p.done)} of ${count(p.tasks)} tasks`;
  return p.repeats > 1 ? `repeat ${p.repeat} of ${p.repeats}: ${tasks}` : tasks;
}

/** The browser's process pool pauses before each repeat, in no repeat's time (pool.ts): say so. */
function settleNote(r: Result): string {
  if (r.where !== "browser" || r.variant !== "process") return "";
  const n = r.repeats?.length ?? 1;
  return n > 1
    ? `; the pool paused ${SETTLE_MS} ms before each repeat, counted in none, for the browser to end the workers of the repeat before`
    : `; the pool paused ${SETTLE_MS} ms before it, not counted, for the page to settle`;
}

/** el is the panel (#live): it holds #timeline, #timeline-title, #progress and the zoom buttons. */
export function mountLiveView(el: HTMLElement, deps: { framed: boolean }): LiveView {
  const timelineEl = byId("timeline");
  const timeline = new Timeline(timelineEl);
  const titleEl = byId("timeline-title");
  const bar = byId("progress");
  const barFill = byId("progress-bar");

  /**
   * Where each repeat of a running run started, as far as the timeline has got when its
   * progress passes into the next repeat (the repeats run one after another); the result's own
   * durations replace them at the end.
   */
  const liveRepeats = new Map<number, number[]>();
  function noteRepeat(run: Run): void {
    const { repeat } = repeatOf(run);
    const starts = liveRepeats.get(run.id) ?? [0];
    while (starts.length < repeat) starts.push(run.spans.maxEnd);
    liveRepeats.set(run.id, starts);
  }

  /** The timeline's repeat marks: from the result's durations once it is in, else as they came. */
  function repeatMarks(run: Run): RepeatMark[] {
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
    const starts = liveRepeats.get(run.id) ?? [];
    return starts.length > 1 ? starts.map((start, i) => ({ start, label: `repeat ${i + 1}`, short: String(i + 1) })) : [];
  }

  function timelineRun(run: Run): TimelineRun {
    const lane = laneName(run.where, run.variant, run.job.experiment ?? "");
    return {
      id: run.id,
      title: `${runName(run).toLowerCase()}: ${runTitle(run.where, run.variant, run.job.workers)}`,
      laneName: lane,
      spans: run.spans,
      // a pool's threads and processes are lanes whether or not a task reached them
      lanes: () => (lane === "thread" || lane === "process" ? (run.result?.workers ?? run.job.workers ?? 0) : 0),
      repeats: () => repeatMarks(run),
    };
  }

  function title(run: Run): void {
    const head = `${runName(run)}: ${runTitle(run.where, run.variant, run.job.workers)}`;
    if (run.status === "running") {
      titleEl.textContent = `${head}, running: ${progressText(run)}, ${count(run.spans.n)} spans so far`;
    } else if (run.result) {
      const n = run.result.repeats?.length ?? 1;
      const fastest = n > 1 ? `the fastest of ${n} repeats ${duration(run.result.duration_ns)} (all ${n} are on this timeline, one after another)` : duration(run.result.duration_ns);
      titleEl.textContent = `${head}: ${describeWork(run.result.spec)}, ${fastest}${run.spansReleased ? "" : `, ${count(run.spans.n)} spans`}${settleNote(run.result)}${spansNote(run)}`;
    } else if (run.status === "canceled") {
      titleEl.textContent = `${head}: ${run.error ?? "canceled"}${nothingDrawn(run) ? "; no task finished, so there is nothing to draw" : ""}`;
    } else {
      titleEl.textContent = `${head}: ${run.status}${run.error ? ` (${run.error})` : ""}${nothingDrawn(run) ? "; no task finished, so there is nothing to draw" : ""}`;
    }
  }

  /** A run that ended without a span has no time axis to speak of (it would read 0, 0.000, 0.001). */
  const nothingDrawn = (run: Run) => run.status !== "running" && run.status !== "queued" && !run.result && run.spans.n === 0;
  /** The chart shows when it has something to draw: not for a run that ended before any task did. */
  function showChart(run: Run): void {
    timelineEl.hidden = nothingDrawn(run);
  }

  let progressFrame = 0;
  let progressRun: Run | null = null;
  function showProgress(run: Run): void {
    progressRun = run;
    if (progressFrame) return;
    progressFrame = requestAnimationFrame(() => {
      progressFrame = 0;
      drawProgress(progressRun!);
    });
  }

  // The paced redraw of a running run (LIVE_REDRAW_MS): one timer, the latest run asked for wins.
  let paced: ReturnType<typeof setTimeout> | undefined;
  let pacedRun: Run | null = null;
  let drawnAt = -Infinity;
  function redrawPaced(run: Run): void {
    pacedRun = run;
    if (paced !== undefined) return;
    const wait = Math.max(0, drawnAt + LIVE_REDRAW_MS - performance.now());
    paced = setTimeout(() => {
      paced = undefined;
      drawnAt = performance.now();
      const run = pacedRun!;
      if (timeline.current?.id === run.id) timeline.flush();
      drawProgress(run);
    }, wait);
  }

  function drawProgress(run: Run): void {
    bar.hidden = run.status !== "running";
    const { done, total } = run.progress;
    const pct = total ? (100 * done) / total : 0;
    barFill.style.width = `${pct}%`;
    // the bar is a progressbar (index.html): its value is read out as well as drawn
    bar.setAttribute("aria-valuenow", String(Math.round(pct)));
    bar.setAttribute("aria-valuetext", progressText(run));
    if (timeline.current?.id === run.id) title(run);
  }

  for (const b of el.querySelectorAll<HTMLButtonElement>("[data-zoom]")) {
    b.addEventListener("click", () => timeline.zoom(Number(b.dataset.zoom)));
  }

  return {
    get shownId() {
      return timeline.current?.id;
    },
    started(run) {
      showChart(run);
      timeline.show(timelineRun(run));
      showProgress(run);
    },
    progressed(run) {
      noteRepeat(run);
      redrawPaced(run);
    },
    ended(run) {
      if (timeline.current?.id === run.id) {
        showChart(run);
        timeline.flush();
        timeline.describe();
      }
      if (run.result) liveRepeats.delete(run.id); // the result's durations mark the repeats from now on
    },
    pick(run) {
      showChart(run);
      timeline.show(timelineRun(run));
      timeline.describe();
      title(run);
      if (!deps.framed) el.scrollIntoView({ behavior: "smooth", block: "start" });
      timelineEl.focus({ preventScroll: true });
    },
    title,
    showProgress,
    timeline,
  };
}
