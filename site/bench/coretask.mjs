// One of the CPU experiment's default tasks in the page's engine (the built wasm, under Node),
// the fastest of ten, in ms: bench-cpu.mjs runs it pinned to each core in turn (taskset) to
// tell whether the host runs one core slower than the other. A plain loop does not tell: on
// this machine a loop of register arithmetic ran as fast on both cores while this task, Go's wasm
// keeping its values in memory, took 30 ms on one core and 43–47 ms on the other.
// Usage: node coretask.mjs ENGINE.wasm WASM_EXEC.js
import fs from "node:fs";

const [wasm, wasmExec] = process.argv.slice(2);
await import(wasmExec); // defines globalThis.Go
const go = new Go();
const instance = await WebAssembly.instantiate(await WebAssembly.compile(fs.readFileSync(wasm)), go.importObject);
go.run(instance); // returns once the engine has installed its API
const engine = globalThis.playgroundEngine;
const job = { experiment: "cpu", variant: "process", workers: 1, tasks: 1 };
let fastest = Infinity;
for (let i = 0; i < 10; i++) {
  const t = performance.now();
  await engine.runTasks(job, 0, 1, 0, 0, "");
  fastest = Math.min(fastest, performance.now() - t);
}
console.log(fastest.toFixed(1));
process.exit(0);
