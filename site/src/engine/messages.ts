// The messages between the page (index.ts, pool.ts) and an engine's Web Worker (worker.ts). The
// page's own engine runs whole jobs and answers the parent's calls of the process pool; each
// browser process of the pool is the same worker script, running the tasks it is handed.
import type { Info, Job, Result } from "../types";

/**
 * A call on the page's own engine for the process pool: the job resolved, the batch size of its
 * hand-out (workload.BatchSize, the native pool's too), the result built.
 */
export type Call =
  | { call: "resolve"; args: [job: Job] }
  | { call: "handout"; args: [job: Job] }
  | { call: "assemble"; args: [job: Job, results: string[], repeats: number[], counters: number[][], spans: number] };

/**
 * A browser process's work for its life (one repeat of a pool): its job, its lane, and the run's
 * zero on the epoch's clock (ms, performance.timeOrigin + performance.now()), which the worker
 * turns into its own; farmOrigin serves the I/O experiment.
 */
export interface ProcessRole {
  job: Job;
  lane: number;
  origin: number;
  farmOrigin: string;
}

export type ToWorker =
  // the compiled engine, compiled once per page; as: what a browser process works on, for its life
  | { type: "init"; module: WebAssembly.Module; as?: ProcessRole }
  | { type: "run"; job: Job; farmOrigin: string; http1: boolean } // http1: the page's protocol (connections.ts)
  | ({ type: "call"; id: number } & Call)
  | { type: "tasks"; from: number; to: number }; // tasks [from, to) of a browser process's job (ProcessRole)

export type FromWorker =
  // at: when the engine was ready, on the epoch's clock (ms); memory: its wasm memory's bytes;
  // phases: when, on the same clock, the worker's thread started (its time origin), its script
  // had run and the module was instantiated (then Go started): where a spawn span's time goes
  // (bench-cpu.mjs)
  | { type: "ready"; info: Info; at: number; memory: number; phases: { thread: number; script: number; instance: number } }
  | { type: "progress"; spans: Float64Array; done: number; total: number } // spans: 5 numbers each
  | { type: "result"; result: Result }
  | { type: "reply"; id: number; value?: unknown; error?: string }
  | { type: "tasks"; results: string[]; counted: number; spans: Float64Array }
  | { type: "error"; message: string } // the run or the tasks failed, or the job was refused
  | { type: "exit"; message: string }; // the Go program stopped: the worker is useless now
