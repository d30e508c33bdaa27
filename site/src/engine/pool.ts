// The browser's process pool: the process variant in the page, as multiprocessing.Pool. Each
// browser process is a Web Worker running its own instance of the engine (its own memory), started
// for a repeat and ended after it, as a Pool is created per run. Start-up is instantiating the
// page's compiled module, not compiling it: a `spawn` span on the process's lane. Tasks go to
// whichever process is idle, one at a time (the race's tiny tasks in Pool.map's chunks), and
// come back by message with their spans, which already sit on the run's clock.
import { State, type Job, type Result, type Spec } from "../types";
import type { Call, FromWorker, ToWorker } from "./messages";
import type { RunHandlers } from "./index";

/** The page's own engine, the pool's parent: it resolves the job and builds the result. */
export type Parent = <C extends Call>(call: C["call"], args: C["args"]) => Promise<unknown>;

/** One browser process: a Web Worker and the one request it may have outstanding. */
class BrowserProcess {
  readonly worker: Worker;
  private waiting: { resolve(m: FromWorker): void; reject(e: Error): void } | undefined;
  private ended: Error | undefined;

  constructor(
    readonly lane: number,
    url: URL,
    private failed: (p: BrowserProcess, message: string) => void,
  ) {
    // The name shows in the browser's task manager and devtools as the lane is named on the timeline.
    this.worker = new Worker(url, { name: `process ${lane + 1}` });
    this.worker.onmessage = (e: MessageEvent<FromWorker>) => {
      const m = e.data;
      if (m.type === "error" || m.type === "exit") this.failed(this, m.message);
      else this.settle((w) => w.resolve(m));
    };
    this.worker.onerror = (e: ErrorEvent) => {
      e.preventDefault();
      this.failed(this, e.message || "it could not be loaded");
    };
  }

  /** Posts m and resolves with the process's answer (ready, tasks). */
  request(m: ToWorker): Promise<FromWorker> {
    return new Promise<FromWorker>((resolve, reject) => {
      if (this.ended) return reject(this.ended);
      this.waiting = { resolve, reject };
      try {
        this.worker.postMessage(m);
      } catch (err) {
        this.failed(this, err instanceof Error ? err.message : String(err));
      }
    });
  }

  /** Ends the worker at once, whatever it computes, and fails what waits on it. */
  end(err: Error): void {
    this.ended = err;
    this.worker.terminate();
    this.settle((w) => w.reject(err));
  }

  private settle(f: (w: NonNullable<BrowserProcess["waiting"]>) => void): void {
    const w = this.waiting;
    this.waiting = undefined;
    if (w) f(w);
  }
}

export class ProcessPool {
  private live = new Set<BrowserProcess>();
  private stopped: Error | undefined;

  constructor(
    private module: WebAssembly.Module,
    private workerURL: URL,
    private parent: Parent,
  ) {}

  async run(job: Job, farmOrigin: string, h: RunHandlers): Promise<Result> {
    const spec = (await this.parent("resolve", [job])) as Spec;
    // Every process resolves the same spec: the count the parent chose goes with the job.
    const fixed: Job = { ...job, workers: spec.workers };
    const repeat = spec.repeat ?? 1;
    // Pool.map's chunks for the race's 5,000 tasks of 100 increments each, where a message per
    // task would cost more than the task; one task at a time otherwise, so no process idles while
    // another still holds several.
    const chunk = spec.experiment === "race" ? Math.ceil(spec.tasks / (spec.workers * 4)) : 1;
    const origin = performance.timeOrigin + performance.now();
    const results: string[] = new Array<string>(spec.tasks);
    const repeats: number[] = [];
    const counters: number[][] = [];
    let spans = 0;
    let done = 0;
    const total = spec.tasks * repeat;
    for (let r = 0; r < repeat; r++) {
      const start = performance.now();
      const counted = new Array<number>(spec.workers).fill(0);
      let next = 0;
      const work = async (lane: number): Promise<void> => {
        const p = await this.spawn(lane, origin, h);
        spans++;
        while (next < spec.tasks) {
          const from = next;
          next = Math.min(spec.tasks, from + chunk);
          const m = await p.request({ type: "tasks", job: fixed, from, to: next, lane, origin, farmOrigin });
          if (m.type !== "tasks") throw new Error(`browser process ${lane + 1} failed: it answered ${m.type} to its tasks`);
          for (let i = 0; i < m.results.length; i++) results[from + i] = m.results[i]!;
          counted[lane] = m.counted;
          spans += m.spans.length / 5;
          done += m.results.length;
          if (m.spans.length > 0) h.onSpans(m.spans);
          h.onProgress(done, total);
        }
      };
      try {
        await Promise.all(Array.from({ length: spec.workers }, (_, lane) => work(lane)));
      } finally {
        this.endAll(new Error("the process pool ended"));
      }
      repeats.push(Math.round((performance.now() - start) * 1e6));
      counters.push(counted);
    }
    return (await this.parent("assemble", [fixed, results, repeats, spec.experiment === "race" ? counters : [], spans])) as Result;
  }

  /** Ends every process at once: the run rejects with Error("canceled"). */
  cancel(): void {
    this.stop(new Error("canceled"));
  }

  /** Starts browser process lane and reports its start-up as a spawn span once it is ready. */
  private async spawn(lane: number, origin: number, h: RunHandlers): Promise<BrowserProcess> {
    if (this.stopped) throw this.stopped;
    const created = performance.timeOrigin + performance.now();
    const p = new BrowserProcess(lane, this.workerURL, (p, message) => this.stop(new Error(`browser process ${p.lane + 1} failed: ${message}`)));
    this.live.add(p);
    const ready = await p.request({ type: "init", module: this.module });
    if (ready.type !== "ready") throw new Error(`browser process ${lane + 1} failed: it answered ${ready.type} to its start`);
    h.onSpans(Float64Array.of(lane, -1, State.Spawn, (created - origin) * 1e6, (ready.at - origin) * 1e6));
    return p;
  }

  private stop(err: Error): void {
    this.stopped ??= err;
    this.endAll(this.stopped);
  }

  private endAll(err: Error): void {
    for (const p of this.live) p.end(err);
    this.live.clear();
  }
}
