// The browser engine, as the page sees it: the Go WebAssembly engine running in a Web Worker
// (worker.ts), behind loadEngine(). The engine runs the sequential and eventloop variants of
// every experiment and streams each run's spans and progress while it goes on; the process
// variant runs in a pool of Web Workers (pool.ts), each another instance of the same module,
// with this engine as their parent.
import type { Info, Job, Result, SpanBatch } from "../types";
import type { FromWorker, ToWorker } from "./messages";
import { connectionLimit } from "./connections";
import { ProcessPool, type Parent } from "./pool";

// Set by the build tool (esbuild's define): the content-hashed names of the worker script and
// of the engine's wasm, relative to this module, so the page works under any path (/embed too).
declare const ENGINE_WORKER_URL: string;
declare const ENGINE_WASM_URL: string;

export interface RunHandlers {
  onSpans(batch: SpanBatch): void;
  onProgress(done: number, total: number): void;
}

export interface RunOptions {
  /**
   * The farm's requests go over HTTP/1.1 (six connections per host, the event loop's lanes) or
   * not (HTTP/2, HTTP/3: one connection). Absent: this page's protocol decides (connectionLimit).
   */
  http1?: boolean;
}

export interface BrowserEngine {
  /** where: "browser", variants ["sequential", "eventloop", "process"], go_version, limits, … */
  info: Info;
  /** Rejects with Error(message) on an invalid job or a failure; result.where === "browser". */
  run(job: Job, farmOrigin: string, h: RunHandlers, options?: RunOptions): Promise<Result>;
  /** Rejects the pending run with Error("canceled"). */
  cancel(): void;
}

let loading: Promise<BrowserEngine> | undefined;

/** Loads the engine once per page: fetch and compile the wasm, start the worker. */
export function loadEngine(): Promise<BrowserEngine> {
  loading ??= load().catch((err) => {
    loading = undefined; // a later call may try again
    throw err;
  });
  return loading;
}

async function load(): Promise<BrowserEngine> {
  const [module, workerURL] = await Promise.all([compile(new URL(ENGINE_WASM_URL, import.meta.url)), engineWorkerURL()]);
  const engine = new Engine(module, workerURL);
  engine.info = await engine.start();
  return engine;
}

/**
 * Where the engine's workers start from. A page whose origin is opaque (an embed framed with
 * sandbox="allow-scripts") may not start a worker from the server's URL, so it starts them from
 * a blob: copy of the script, which is its own: the script is public, served with CORS for
 * this, and imports nothing (the compiled module reaches each worker by message).
 */
async function engineWorkerURL(): Promise<URL> {
  const url = new URL(ENGINE_WORKER_URL, import.meta.url);
  if (self.origin !== "null") return url;
  const response = await fetch(url);
  if (!response.ok) {
    throw new Error(`loading the engine: GET ${url.pathname}: ${response.status} ${response.statusText}`);
  }
  return new URL(URL.createObjectURL(new Blob([await response.text()], { type: "text/javascript" })));
}

// compile fetches the wasm as the page's <link rel="preload" as="fetch" crossorigin> did, so
// the preloaded response is the one used, and compiles it while it downloads. The compiled
// module is kept: a worker restarted after a cancel gets it at once.
async function compile(url: URL): Promise<WebAssembly.Module> {
  const response = await fetch(url);
  if (!response.ok) {
    throw new Error(`loading the engine: GET ${url.pathname}: ${response.status} ${response.statusText}`);
  }
  // compileStreaming insists on the wasm MIME type; a server that sends another still works.
  if (response.headers.get("Content-Type")?.split(";")[0]?.trim() === "application/wasm") {
    return WebAssembly.compileStreaming(response);
  }
  return WebAssembly.compile(await response.arrayBuffer());
}

interface Pending {
  h: RunHandlers;
  resolve(r: Result): void;
  reject(e: Error): void;
}

class Engine implements BrowserEngine {
  info!: Info;
  private worker: Worker | undefined;
  private ready: Promise<Info> | undefined;
  private readyHandlers: { resolve(i: Info): void; reject(e: Error): void } | undefined;
  private pending: Pending | undefined;
  private pool: ProcessPool | undefined;
  private calls = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  private callSeq = 0;

  constructor(
    private readonly module: WebAssembly.Module,
    private readonly workerURL: URL,
  ) {}

  /** Starts a worker unless one is running, and resolves with the engine's info when it is ready. */
  start(): Promise<Info> {
    if (this.ready) return this.ready;
    const worker = new Worker(this.workerURL, { name: "engine" });
    this.worker = worker;
    this.ready = new Promise<Info>((resolve, reject) => (this.readyHandlers = { resolve, reject }));
    worker.onmessage = (e: MessageEvent<FromWorker>) => this.receive(e.data);
    worker.onerror = (e: ErrorEvent) => {
      e.preventDefault();
      this.fail(`the engine's worker failed: ${e.message || "it could not be loaded"}`);
    };
    this.post({ type: "init", module: this.module });
    return this.ready;
  }

  run(job: Job, farmOrigin: string, h: RunHandlers, options: RunOptions = {}): Promise<Result> {
    const http1 = options.http1 ?? connectionLimit() !== null;
    if (this.pending || this.pool) {
      return Promise.reject(new Error("busy: a browser run is going; wait for it or cancel it"));
    }
    if (job.variant === "process") return this.runPool(job, farmOrigin, h);
    return new Promise<Result>((resolve, reject) => {
      const pending: Pending = { h, resolve, reject };
      this.pending = pending;
      this.start().then(
        () => {
          // A cancel while a restarted worker was starting has rejected this run already.
          if (this.pending === pending) this.post({ type: "run", job, farmOrigin, http1 });
        },
        (err: Error) => this.settle(pending, err),
      );
    });
  }

  private async runPool(job: Job, farmOrigin: string, h: RunHandlers): Promise<Result> {
    const pool = new ProcessPool(this.module, this.workerURL, this.call);
    this.pool = pool;
    try {
      return await pool.run(job, farmOrigin, h);
    } finally {
      this.pool = undefined;
    }
  }

  /** A call on this engine for the process pool, its parent: it answers between runs. */
  private call: Parent = async (call, args) => {
    await this.start();
    const id = ++this.callSeq;
    return new Promise<unknown>((resolve, reject) => {
      this.calls.set(id, { resolve, reject });
      this.post({ type: "call", id, call, args } as ToWorker);
    });
  };

  // A CPU task never lets the worker read a message, so cancel does not ask the engine to stop:
  // it ends the worker (or the pool's). The next run starts a fresh one from the compiled module.
  cancel(): void {
    if (this.pool) return this.pool.cancel();
    const pending = this.pending;
    if (!pending) return;
    this.stop();
    this.settle(pending, new Error("canceled"));
  }

  private receive(m: FromWorker): void {
    const p = this.pending;
    switch (m.type) {
      case "ready":
        this.readyHandlers?.resolve(m.info);
        break;
      case "progress":
        if (m.spans.length > 0) p?.h.onSpans(m.spans);
        p?.h.onProgress(m.done, m.total);
        break;
      case "result":
        if (p) this.settle(p, m.result);
        break;
      case "error":
        if (p) this.settle(p, new Error(m.message));
        break;
      case "reply": {
        const c = this.calls.get(m.id);
        this.calls.delete(m.id);
        if (m.error !== undefined) c?.reject(new Error(m.error));
        else c?.resolve(m.value);
        break;
      }
      case "exit":
        this.fail(m.message);
        break;
    }
  }

  /** The worker is lost: fail whoever waits on it; the next run starts another. */
  private fail(message: string): void {
    const err = new Error(message);
    this.readyHandlers?.reject(err);
    for (const c of this.calls.values()) c.reject(err);
    this.calls.clear();
    this.stop();
    if (this.pending) this.settle(this.pending, err);
  }

  private stop(): void {
    this.worker?.terminate();
    this.worker = undefined;
    this.ready = undefined;
    this.readyHandlers = undefined;
  }

  private settle(p: Pending, outcome: Result | Error): void {
    if (this.pending !== p) return;
    this.pending = undefined;
    if (outcome instanceof Error) p.reject(outcome);
    else p.resolve(outcome);
  }

  private post(m: ToWorker): void {
    this.worker?.postMessage(m);
  }
}
