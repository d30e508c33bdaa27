// The timeline panel: which run the timeline shows, its title, the progress bar, the repeat
// marks and the zoom buttons. The timeline itself (drawing, hover, zoom) is timeline.ts.

import { byId } from "../dom";
import { laneName, runName, runTitle } from "../labels";
import type { Run } from "../run/runs";
import { LiveRepeats, nothingDrawn, progressText, repeatMarks, titleText } from "./livetext";
import { Timeline, type TimelineRun } from "./timeline";

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

/** el is the panel (#live): it holds #timeline, #timeline-title, #progress and the zoom buttons. */
export function mountLiveView(el: HTMLElement, deps: { framed: boolean }): LiveView {
  const timelineEl = byId("timeline");
  const timeline = new Timeline(timelineEl);
  const titleEl = byId("timeline-title");
  const bar = byId("progress");
  const barFill = byId("progress-bar");

  const liveRepeats = new LiveRepeats();

  function timelineRun(run: Run): TimelineRun {
    const lane = laneName(run.where, run.variant, run.job.experiment ?? "");
    return {
      id: run.id,
      title: `${runName(run).toLowerCase()}: ${runTitle(run.where, run.variant, run.job.workers)}`,
      laneName: lane,
      spans: run.spans,
      // a pool's threads and processes are lanes whether or not a task reached them
      lanes: () => (lane === "thread" || lane === "process" ? (run.result?.workers ?? run.job.workers ?? 0) : 0),
      repeats: () => repeatMarks(run, liveRepeats.of(run.id)),
    };
  }

  function title(run: Run): void {
    titleEl.textContent = titleText(run);
  }

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
      liveRepeats.note(run);
      redrawPaced(run);
    },
    ended(run) {
      if (timeline.current?.id === run.id) {
        showChart(run);
        timeline.flush();
        timeline.describe();
      }
      if (run.result) liveRepeats.forget(run.id); // the result's durations mark the repeats from now on
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
