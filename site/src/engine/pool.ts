// The browser's process pool: the process variant in the page, as multiprocessing.Pool. Each
// browser process is a Web Worker running its own instance of the engine (its own memory), started
// for a repeat and ended after it, as a Pool is created per run. Start-up is instantiating the
// page's compiled module, not compiling it: a `spawn` span on the process's lane. Tasks go to
// the processes one at a time (the race's tiny tasks in Pool.map's chunks), each process holding
// at most the next one besides (handout.ts), and come back by message with their spans, which
// already sit on the run's clock. Before each repeat the pool lets the machine settle (SETTLE_MS),
// outside every repeat's time: the repeats still tile the timeline, one after another.
import { State, type Job, type Result, type Spec } from "../types";
import { Handout } from "./handout";
import type { Call, FromWorker, ProcessRole, ToWorker } from "./messages";
import type { RunHandlers } from "./index";

/** The page's own engine, the pool's parent: it resolves the job and builds the result. */
export type Parent = <C extends Call>(call: C["call"], args: C["args"]) => Promise<unknown>;

/** One browser process: a Web Worker and its requests, which it answers in the order sent. */
class BrowserProcess {
  readonly worker: Worker;
  private waiting: { resolve(m: FromWorker): void; reject(e: Error): void }[] = [];
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
      else this.waiting.shift()?.resolve(m);
    };
    this.worker.onerror = (e: ErrorEvent) => {
      e.preventDefault();
      this.failed(this, e.message || "it could not be loaded");
    };
  }

  /** Posts m and resolves with the process's answer to it (ready, tasks). */
  request(m: ToWorker): Promise<FromWorker> {
    return new Promise<FromWorker>((resolve, reject) => {
      if (this.ended) return reject(this.ended);
      this.waiting.push({ resolve, reject });
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
    for (const w of this.waiting.splice(0)) w.reject(err);
  }
}

/**
 * How long (ms) the pool lets the machine settle before each repeat, outside the repeat's time
 * (settle below). Measured on 2 cores in Chromium, the default CPU work, 6 rounds alternating
 * without and with it: a spawn span took 48–63–106 ms without, 40–48–81 ms with 100 ms; the
 * pool's fastest repeat 380–388–426 ms against 368–379–400 ms. 50 ms settled less, 400 ms no more.
 */
export const SETTLE_MS = 100;

export class ProcessPool {
  private live = new Set<BrowserProcess>();
  private stopped: Error | undefined;
  private settled: (() => void) | undefined;

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
    // The batch size is Go's (workload.BatchSize, the native pool's too): one task at a time, the
    // race's tiny tasks in Pool.map's chunks. Which batch a process may take next is handout.ts,
    // workload.Handout.Take's rule, kept here: asking the parent's engine for every batch cost a
    // round trip of the engine's thread per answer, and the pool fell from 1.6x to 0.94x.
    const chunk = (await this.parent("handout", [fixed])) as number;
    const results: string[] = new Array<string>(spec.tasks);
    const repeats: number[] = [];
    const counters: number[][] = [];
    let spans = 0;
    let done = 0;
    const total = spec.tasks * repeat;
    let elapsed = 0; // ms: the repeats so far, which tile the timeline without the settling between them
    for (let r = 0; r < repeat; r++) {
      await this.settle();
      const start = performance.now();
      // The run's zero on the epoch's clock, such that this repeat starts where the one before ended.
      const origin = performance.timeOrigin + start - elapsed;
      const counted = new Array<number>(spec.workers).fill(0);
      const handout = new Handout(spec.tasks, chunk, spec.workers);
      const work = async (lane: number): Promise<void> => {
        const p = await this.spawn({ job: fixed, lane, origin, farmOrigin }, h);
        spans++;
        const held: { from: number; answer: Promise<FromWorker> }[] = [];
        for (let answered = 0; ; answered++) {
          for (let b = handout.take(held.length, answered); b; b = handout.take(held.length, answered)) {
            const answer = p.request({ type: "tasks", from: b.from, to: b.to });
            // Awaited in turn below; a process that fails rejects all it holds at once, and
            // the run fails with the first of them.
            answer.catch(() => undefined);
            held.push({ from: b.from, answer });
          }
          const batch = held.shift();
          if (!batch) break;
          const { from } = batch;
          const m = await batch.answer;
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
      const took = performance.now() - start;
      elapsed += took;
      repeats.push(Math.round(took * 1e6));
      counters.push(counted);
    }
    return (await this.parent("assemble", [fixed, results, repeats, spec.experiment === "race" ? counters : [], spans])) as Result;
  }

  /**
   * Waits SETTLE_MS before a repeat, outside its time, or until the pool is stopped. The
   * processes of the repeat before are torn down in the background after terminate(), which a
   * page cannot wait for (Python's Pool joins its processes inside the timed run), and the page
   * draws the run's start; neither then lands in this repeat's spawn spans.
   */
  private settle(): Promise<void> {
    return new Promise<void>((resolve) => {
      if (this.stopped) return resolve();
      const timer = setTimeout(done, SETTLE_MS);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.settled = done;
    }).finally(() => (this.settled = undefined));
  }

  /** Ends every process at once: the run rejects with Error("canceled"). */
  cancel(): void {
    this.stop(new Error("canceled"));
  }

  /** Starts the browser process of as.lane and reports its start-up as a spawn span once it is ready. */
  private async spawn(as: ProcessRole, h: RunHandlers): Promise<BrowserProcess> {
    if (this.stopped) throw this.stopped;
    const { lane, origin } = as;
    const created = performance.timeOrigin + performance.now();
    const p = new BrowserProcess(lane, this.workerURL, (p, message) => this.stop(new Error(`browser process ${p.lane + 1} failed: ${message}`)));
    this.live.add(p);
    const ready = await p.request({ type: "init", module: this.module, as });
    if (ready.type !== "ready") throw new Error(`browser process ${lane + 1} failed: it answered ${ready.type} to its start`);
    h.onSpans(Float64Array.of(lane, -1, State.Spawn, (created - origin) * 1e6, (ready.at - origin) * 1e6));
    return p;
  }

  private stop(err: Error): void {
    this.stopped ??= err;
    this.endAll(this.stopped);
    this.settled?.(); // a cancel while settling ends the run now: the next spawn throws
  }

  private endAll(err: Error): void {
    for (const p of this.live) p.end(err);
    this.live.clear();
  }
}
