// The playground's shared vocabulary, as the Go side writes it in JSON (internal/workload,
// internal/trace, internal/protocol). The names and the wire's shapes are generated from Go
// (gen/facts.gen.ts, gen/protocol.gen.ts); only what the page adds to them is written here.

import type { Result as WireResult, Spec as WireSpec } from "./gen/protocol.gen";

export { State, stateNames } from "./gen/facts.gen";
export type { Experiment, RaceMode, StateName, Variant, Where } from "./gen/facts.gen";
export type { Info, Machine, RaceOutcome } from "./gen/protocol.gen";
// A job as the page asks for it: the run message's (a workload.Job, and for a run in CPython
// the id of an interpreter the backend offers).
export type { RunJob as Job } from "./gen/protocol.gen";
/** A CPython run's interpreter: its version and whether its GIL was on. */
export type { PythonRun as PythonVersion } from "./gen/protocol.gen";
/** A CPython interpreter the backend offers, by id (never by path). */
export type { InfoPython as OfferedPython } from "./gen/protocol.gen";

/**
 * A job resolved and validated: what actually ran. Repeat is absent in specs kept by a page
 * older than repeats (one), and in specs the page writes for its own comparisons.
 */
export type Spec = Omit<WireSpec, "repeat"> & { repeat?: number };

/**
 * One finished run: the same object from the browser engine, the WebSocket and `run -json`.
 * duration_ns is the fastest repeat, what every speedup compares; repeats (every repeat's
 * duration in ns, in the order they ran) is absent in results kept by an older page.
 */
export type Result = Omit<WireResult, "repeats" | "spec"> & { repeats?: number[]; spec: Spec };

/**
 * A batch of spans, flat: 5 numbers per span, [worker, task, state, start_ns, end_ns], times
 * from the start of the run. Task is -1 for a span that belongs to no task (a process spawn).
 */
export type SpanBatch = Float64Array;
export const SPAN_FIELDS = 5;
