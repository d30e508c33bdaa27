// Runs and the queue that executes them one at a time: two runs at once would share the cores
// (or the browser's one thread) and distort each other's timings, so "run all" and the sweep
// enqueue and wait their turn. A run is plain data (its job, its spans, its result), ready to
// be kept, shared or exported.

import { SpanStore } from "../timeline/spans";
import type { RunHandlers } from "../engine";
import type { Job, Result, Variant } from "../types";

/** Where a run runs: the browser engine, the native backend's Go, or a CPython it offers. */
export type RunWhere = "browser" | "native" | "cpython";
export type RunStatus = "queued" | "running" | "done" | "failed" | "canceled";

export interface Run {
  /** Unique among the page's runs: what the page's parts key a run by. */
  id: number;
  /**
   * What the reader sees: their own runs are numbered 1, 2, 3, … and a sweep's runs apart
   * (runName), so the reader's numbers do not skip over a sweep's.
   */
  number: number;
  where: RunWhere;
  variant: Variant;
  job: Job;
  /** Which part of the page asked: the reader's own runs, or a worker-count sweep. */
  purpose: "run" | "sweep";
  status: RunStatus;
  progress: { done: number; total: number };
  spans: SpanStore;
  /** Set once the run's spans were let go to bound the page's memory (see keptSpanRuns). */
  spansReleased?: boolean;
  result?: Result;
  error?: string;
}

/** A run of the reader's own that finished with a result: what the tables, charts and exports show. */
export function isFinishedRun(run: Run): run is Run & { result: Result } {
  return run.status === "done" && run.purpose === "run" && !!run.result;
}

/** A run that will not change any more: done, failed or canceled. */
export function hasEnded(run: Run): boolean {
  return run.status === "done" || run.status === "failed" || run.status === "canceled";
}

/** Something that runs a job: the browser engine or the backend. */
export interface Executor {
  run(job: Job, h: RunHandlers): Promise<Result>;
  cancel(): void;
}

/**
 * How many finished runs keep their spans: a run of 100,000 tasks holds about 4 MB of them and
 * a sweep adds up to 14 runs, so a long visit would otherwise grow without bound. Older runs
 * keep their results (all the tables, charts, exports and the history need) but not their
 * timelines.
 */
export const keptSpanRuns = 20;

export interface QueueEvents {
  /** A run changed status (queued, started, finished, failed). */
  onChange(run: Run): void;
  /** Spans or progress arrived for the running run. */
  onProgress(run: Run): void;
  /** The browser denied the run lock: run, and every run after it, goes without it. */
  onLockDenied?(run: Run): void;
  /** run waits for the run lock, which another page of the playground (a tab, an embed) holds. */
  onLockWait?(run: Run): void;
}

/**
 * The lock every playground page of this origin takes for a run. Pages that share it (tabs of
 * the playground, and the embeds of one article, which the browser gives one storage partition)
 * never run at once, so their runs do not distort each other's timings, as one page's queue
 * already guarantees for its own runs.
 */
const runLock = "concurrency-playground-run";

export class RunQueue {
  readonly runs: Run[] = [];
  private waiting: Run[] = [];
  private current: Run | null = null;
  private seq = 0;
  private numbers: Record<Run["purpose"], number> = { run: 0, sweep: 0 };
  /** The browser denied the run lock (Web Locks' SecurityError): runs go without it from then on. */
  private lockDenied = false;
  /** Set while the current run waits for another page's run to end: a cancel aborts the wait. */
  private lockWait: AbortController | null = null;
  /** This page asked to cancel the running run: a cancel it did not ask for is a failure. */
  private cancelAsked = false;

  constructor(
    private executors: Record<RunWhere, () => Promise<Executor>>,
    private ev: QueueEvents,
  ) {}

  get busy(): boolean {
    return this.current !== null || this.waiting.length > 0;
  }

  add(where: RunWhere, job: Job, purpose: Run["purpose"] = "run"): Run {
    const run: Run = {
      id: ++this.seq, number: ++this.numbers[purpose], where, variant: job.variant ?? "sequential", job, purpose, status: "queued",
      progress: { done: 0, total: (job.tasks ?? 0) * (job.repeat ?? 1) }, spans: new SpanStore(),
    };
    this.runs.push(run);
    this.waiting.push(run);
    this.ev.onChange(run);
    void this.next();
    return run;
  }

  /** Cancels the running run and drops the queued ones. */
  cancelAll(): void {
    this.dropQueued(() => true, "canceled before it started");
    if (this.lockWait) this.lockWait.abort();
    else if (this.current) {
      this.cancelAsked = true;
      void this.executors[this.current.where]().then((x) => x.cancel());
    }
  }

  /**
   * Cancels the queued runs that match (their executor went away: the backend disconnected),
   * so they end at once with the reason instead of failing one after another.
   */
  dropQueued(match: (r: Run) => boolean, reason: string): number {
    const dropped = this.waiting.filter(match);
    this.waiting = this.waiting.filter((r) => !match(r));
    for (const r of dropped) {
      r.status = "canceled";
      r.error = reason;
      this.ev.onChange(r);
    }
    return dropped.length;
  }

  private async next(): Promise<void> {
    if (this.current) return;
    const run = this.waiting.shift();
    if (!run) return;
    this.current = run;
    try {
      await this.exclusively(run, () => this.execute(run));
    } catch {
      // only the wait for the lock throws here (execute catches its own): it was cancelled
      run.status = "canceled";
      run.error = "canceled before it started";
    }
    this.current = null;
    this.release();
    this.ev.onChange(run);
    void this.next();
  }

  /**
   * Runs fn holding the origin's run lock, where the browser has Web Locks. A browser may deny
   * the lock (a SecurityError: a frame whose storage is blocked, an opaque origin): then the
   * run goes ahead without it, and the reader is told why another tab may overlap it.
   */
  private async exclusively(run: Run, fn: () => Promise<void>): Promise<void> {
    if (!("locks" in navigator) || this.lockDenied) return fn();
    const wait = new AbortController();
    this.lockWait = wait;
    let entered = false;
    // held already: another tab's (or embed's) run goes on, and this one waits for it, said
    void navigator.locks.query?.().then(
      (q) => !entered && this.lockWait === wait && q.held?.some((l) => l.name === runLock) && this.ev.onLockWait?.(run),
      () => {},
    );
    try {
      await navigator.locks.request(runLock, { signal: wait.signal }, async () => {
        entered = true;
        this.lockWait = null;
        await fn();
      });
    } catch (e) {
      if (entered || (e as Error | null)?.name !== "SecurityError") throw e;
      this.lockWait = null;
      this.lockDenied = true;
      this.ev.onLockDenied?.(run);
      await fn();
    }
  }

  private async execute(run: Run): Promise<void> {
    run.status = "running";
    this.cancelAsked = false;
    this.ev.onChange(run);
    try {
      const ex = await this.executors[run.where]();
      run.result = await ex.run(run.job, {
        onSpans: (b) => {
          run.spans.append(b);
          this.ev.onProgress(run);
        },
        onProgress: (done, total) => {
          run.progress = { done, total };
          this.ev.onProgress(run);
        },
      });
      run.status = "done";
    } catch (e) {
      const err = e as Error & { code?: string };
      const canceled = err.code === "canceled" || /cancel/i.test(err.message ?? "");
      run.status = canceled && this.cancelAsked ? "canceled" : "failed";
      // the engines word a cancel each their own way ("canceled", "run r1 stopped: cancelled by
      // the client"): the status already says it, so the error does not repeat it. A cancel
      // this page did not ask for is the backend's own: it stopped (shut down) during the run.
      run.error = run.status === "canceled" ? "canceled while it ran" : canceled && run.where === "native" ? `the backend disconnected during the run (${err.message})` : err.message || String(e);
    }
  }

  /** Lets the spans of all but the newest keptSpanRuns finished runs go. */
  private release(): void {
    let kept = 0;
    for (let i = this.runs.length - 1; i >= 0; i--) {
      const r = this.runs[i]!;
      if (r.status === "queued" || r.status === "running" || r.spansReleased || r.spans.n === 0) continue;
      if (++kept <= keptSpanRuns) continue;
      r.spans = new SpanStore();
      r.spansReleased = true;
    }
  }
}
