// The engine's Web Worker: it runs the Go WebAssembly engine (wasm/browser) on a thread of its
// own, so the page stays responsive and draws spans while the engine computes. Inside the
// worker, a CPU task blocks the engine's own event loop, as it would block asyncio's: that is
// the lesson, and the page's thread is not the one that pays for it.
import "go:wasm_exec"; // Go's wasm_exec.js, taken from the Go toolchain at build time: defines Go
import type { Info, Job, Result } from "../types";
import type { FromWorker, ToWorker } from "./messages";

declare const Go: new () => {
  importObject: WebAssembly.Imports;
  run(instance: WebAssembly.Instance): Promise<void>;
};

/** What wasm/browser installs as globalThis.playgroundEngine (see its main_js.go). */
interface EngineAPI {
  info(): Info;
  run(
    job: Job,
    farmOrigin: string,
    report: (spans: Float64Array, done: number, total: number) => void,
    options: { http1: boolean },
  ): Promise<Result>;
}

interface WorkerScope {
  onmessage: ((e: MessageEvent<ToWorker>) => void) | null;
  postMessage(message: FromWorker, transfer?: Transferable[]): void;
}
const scope = self as unknown as WorkerScope;
const post = (m: FromWorker, transfer: Transferable[] = []) => scope.postMessage(m, transfer);
const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

let api: EngineAPI | undefined;

async function start(module: WebAssembly.Module): Promise<void> {
  const go = new Go();
  const instance = await WebAssembly.instantiate(module, go.importObject);
  // run() returns once main blocks waiting for calls: the API is installed by then. Its
  // promise settles only if the Go program ends, which it never does on purpose.
  go.run(instance).then(
    () => post({ type: "exit", message: "the engine stopped (see the console)" }),
    (err) => post({ type: "exit", message: `the engine crashed: ${message(err)}` }),
  );
  api = (globalThis as unknown as { playgroundEngine?: EngineAPI }).playgroundEngine;
  if (!api) throw new Error("the engine did not install its API");
  post({ type: "ready", info: api.info() });
}

async function run(job: Job, farmOrigin: string, http1: boolean): Promise<void> {
  if (!api) throw new Error("the engine is not started");
  const result = await api.run(
    job,
    farmOrigin,
    // The batch's buffer moves to the page instead of being copied.
    (spans, done, total) => post({ type: "progress", spans, done, total }, [spans.buffer]),
    { http1 },
  );
  post({ type: "result", result });
}

scope.onmessage = (e) => {
  const m = e.data;
  const work = m.type === "init" ? start(m.module) : run(m.job, m.farmOrigin, m.http1);
  work.catch((err) => post({ type: m.type === "init" ? "exit" : "error", message: message(err) }));
};
