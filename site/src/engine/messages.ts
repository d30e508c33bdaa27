// The messages between the page (index.ts) and the engine's Web Worker (worker.ts).
import type { Info, Job, Result } from "../types";

export type ToWorker =
  | { type: "init"; module: WebAssembly.Module } // the compiled engine, compiled once per page
  | { type: "run"; job: Job; farmOrigin: string; http1: boolean }; // http1: the page's protocol (connections.ts)

export type FromWorker =
  | { type: "ready"; info: Info }
  | { type: "progress"; spans: Float64Array; done: number; total: number } // spans: 5 numbers each
  | { type: "result"; result: Result }
  | { type: "error"; message: string } // the run failed or the job was refused
  | { type: "exit"; message: string }; // the Go program stopped: the worker is useless now
