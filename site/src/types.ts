// The playground's shared vocabulary, as the Go side writes it in JSON (internal/workload,
// internal/trace, internal/protocol). Field names are the Go JSON tags: keep them in step.

import { stateNames } from "./gen/facts.gen";

export type Experiment = "io" | "cpu" | "race";
export type Variant = "sequential" | "eventloop" | "pool" | "gil" | "process";
export type RaceMode = "unsafe" | "mutex" | "atomic";
export type Where = "browser" | "native" | "edge" | "cpython";

/** A job as the user asks for it: any field may be left out (the preset or defaults fill it). */
export interface Job {
  preset?: string;
  experiment?: Experiment;
  variant?: Variant;
  workers?: number;
  tasks?: number;
  n?: number;
  delay?: string; // Go duration text: "50ms"
  jitter?: string;
  size?: number;
  mode?: RaceMode;
  yield?: boolean; // race: yield (await) between the read and the write
  repeat?: number; // run the spec this many times (1..limits.repeat); the result is the fastest
  /** Run the lesson's own Python script in this interpreter (an id of Info.pythons), not Go. */
  python?: string;
}

/** A job resolved and validated: what actually ran. */
export interface Spec {
  preset?: string;
  experiment: Experiment;
  variant: Variant;
  workers: number;
  tasks: number;
  n?: number;
  delay?: string;
  jitter?: string;
  size?: number;
  mode?: RaceMode;
  yield?: boolean;
  /** How many times it ran; absent in results kept by an older page (one). */
  repeat?: number;
}

export interface Machine {
  where: Where;
  os: string;
  arch: string;
  cores: number;
  gomaxprocs: number;
  go_version: string;
  agent?: string;
}

export interface RaceOutcome {
  expected: number;
  counted: number;
  lost: number;
  /** Lost in each repeat, in the order they ran. */
  lost_repeats?: number[];
  /** The process variant: each worker process's own counter at the end (counted is their sum). */
  processes?: number[];
  /** The process variant: the parent's counter, which no process shares (always 0). */
  parent?: number;
}

/** One finished run: the same object from the browser engine, the WebSocket and `run -json`. */
export interface Result {
  preset?: string;
  experiment: Experiment;
  variant: Variant;
  where: Where;
  workers: number;
  tasks: number;
  /** The fastest repeat: what every speedup compares. */
  duration_ns: number;
  /** Every repeat's duration in ns, in the order they ran; absent in results of an older page. */
  repeats?: number[];
  results: string[];
  checksum: string;
  race?: RaceOutcome;
  spec: Spec;
  machine: Machine;
  spans: number;
  spans_dropped?: number;
  /** Native: spans merged in pairs because the page read them slower than the run made them (docs/protocol.md). */
  spans_coarsened?: number;
  /** Where "cpython": the interpreter's version and whether its GIL was on. */
  python?: PythonVersion;
}

export interface PythonVersion {
  version: string;
  gil: boolean;
}

/** A CPython interpreter the backend offers (never by path). */
export interface OfferedPython extends PythonVersion {
  id: string;
}

/** Span states, as numbers in a flat span batch and as names in the protocol. */
export const enum State {
  Run = 0, // computing: blue
  Wait = 1, // waiting on I/O or a lock: red
  Spawn = 2, // a process starting: grey
}
/** The states' names, by number: the Go side's (internal/trace, through facts.gen.ts). */
export { stateNames };
export type StateName = (typeof stateNames)[number];

/**
 * A batch of spans, flat: 5 numbers per span, [worker, task, state, start_ns, end_ns], times
 * from the start of the run. Task is -1 for a span that belongs to no task (a process spawn).
 */
export type SpanBatch = Float64Array;
export const SPAN_FIELDS = 5;

/** GET /api/info and the WebSocket's hello. */
export interface Info {
  version: string;
  protocol: number;
  where: Where;
  go_version: string;
  os: string;
  arch: string;
  cores: number;
  gomaxprocs: number;
  variants: Variant[];
  presets: string[];
  limits: {
    workers: number;
    process_workers: number;
    tasks: number;
    n: number;
    work: number;
    delay: string;
    jitter: string;
    size: number;
    repeat?: number;
  };
  /** The CPython interpreters the backend offers; absent when none. */
  pythons?: OfferedPython[];
}
