// The engine's Web Worker: it runs the Go WebAssembly engine (wasm/browser) on a thread of its
// own, so the page stays responsive and draws spans while the engine computes. Inside the
// worker, a CPU task blocks the engine's own event loop, as it would block asyncio's: that is
// the lesson, and the page's thread is not the one that pays for it. The same script is each
// browser process of the process pool (pool.ts): a memory of its own, tasks by message.
import "go:wasm_exec"; // Go's wasm_exec.js, taken from the Go toolchain at build time: defines Go
import type { Info, Job, Result, Spec } from "../types";
import type { FromWorker, ProcessRole, ToWorker } from "./messages";

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
  resolve(job: Job): Spec | Error;
  handout(job: Job): number | Error;
  runTasks(job: Job, from: number, to: number, lane: number, origin: number, farmOrigin: string): Promise<{ results: string[]; counted: number; spans: Float64Array }>;
  assemble(job: Job, results: string[], repeats: number[], counters: number[][], spans: number): Promise<Result>;
}

interface WorkerScope {
  onmessage: ((e: MessageEvent<ToWorker>) => void) | null;
  postMessage(message: FromWorker, transfer?: Transferable[]): void;
}
const scope = self as unknown as WorkerScope;
const post = (m: FromWorker, transfer: Transferable[] = []) => scope.postMessage(m, transfer);
const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

let api: EngineAPI | undefined;
const now = () => performance.timeOrigin + performance.now();
// Where a start-up's time goes (the ready message's phases): this worker's clock starts with its
// thread (its time origin); its V8 isolate has been set up and its script has run by now.
const scriptRan = now();

async function start(module: WebAssembly.Module): Promise<void> {
  const go = new Go();
  const instance = await WebAssembly.instantiate(module, go.importObject);
  const instantiated = now();
  // run() returns once main blocks waiting for calls: the API is installed by then. Its
  // promise settles only if the Go program ends, which it never does on purpose.
  go.run(instance).then(
    () => post({ type: "exit", message: "the engine stopped (see the console)" }),
    (err) => post({ type: "exit", message: `the engine crashed: ${message(err)}` }),
  );
  api = (globalThis as unknown as { playgroundEngine?: EngineAPI }).playgroundEngine;
  if (!api) throw new Error("the engine did not install its API");
  const memory = (instance.exports.mem as WebAssembly.Memory | undefined)?.buffer.byteLength ?? 0;
  const phases = { thread: performance.timeOrigin, script: scriptRan, instance: instantiated };
  post({ type: "ready", info: api.info(), at: now(), memory, phases });
}

function engine(): EngineAPI {
  if (!api) throw new Error("the engine is not started");
  return api;
}

async function run(job: Job, farmOrigin: string, http1: boolean): Promise<void> {
  const result = await engine().run(
    job,
    farmOrigin,
    // The batch's buffer moves to the page instead of being copied.
    (spans, done, total) => post({ type: "progress", spans, done, total }, [spans.buffer]),
    { http1 },
  );
  post({ type: "result", result });
}

/** When the batches handed to this worker so far are done: the next one starts then. */
let tasksDone: Promise<void> = Promise.resolve();

/** What this worker works on as a browser process (its init says), for its life. */
let role: ProcessRole | undefined;

async function runTasks(from: number, to: number): Promise<void> {
  if (!role) throw new Error("tasks for a worker that is not a browser process");
  // The run's zero on this worker's own clock: each worker's performance.now starts at its creation.
  // The job is one object for all the batches, so the engine resolves it once (main_js.go's processSpec).
  const origin = role.origin - performance.timeOrigin;
  const b = await engine().runTasks(role.job, from, to, role.lane, origin, role.farmOrigin);
  post({ type: "tasks", results: b.results, counted: b.counted, spans: b.spans }, [b.spans.buffer]);
}

async function handle(m: ToWorker): Promise<void> {
  switch (m.type) {
    case "init":
      role = m.as;
      return start(m.module);
    case "run":
      return run(m.job, m.farmOrigin, m.http1);
    case "call": {
      // A call's failure is its caller's, not the engine's: it is answered, not reported as an error.
      try {
        const value =
          m.call === "resolve" ? engine().resolve(...m.args) : m.call === "handout" ? engine().handout(...m.args) : await engine().assemble(...m.args);
        if (value instanceof Error) throw value;
        post({ type: "reply", id: m.id, value });
      } catch (err) {
        post({ type: "reply", id: m.id, error: message(err) });
      }
      return;
    }
    case "tasks": {
      // A browser process runs one batch at a time, as an OS process of a Pool runs one task:
      // the page may send the next batch while this one waits on I/O, and it waits its turn.
      const turn = tasksDone.then(() => runTasks(m.from, m.to));
      tasksDone = turn.catch(() => undefined);
      return turn;
    }
  }
}

scope.onmessage = (e) => {
  const m = e.data;
  handle(m).catch((err) => post({ type: m.type === "init" ? "exit" : "error", message: message(err) }));
};
