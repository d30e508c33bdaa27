// "Be the scheduler": two threads, A and B, each do counter += 1 once, and the reader decides
// which thread takes its next step. Plain data and pure functions (no DOM): the state after a
// step is a new state, so the view only draws it and the unit tests drive it directly.
//
// The steps are the ones the lesson's race is made of: read the counter into the thread's own
// copy, add one to the copy, write the copy back. The modes change what a step is and who may
// take one:
//   unsafe     read, add, write: any interleaving is allowed, and two reads before a write lose
//              an update
//   mutex      acquire the lock, read, add, write, release: a thread whose next step is acquire
//              waits while the other holds the lock
//   atomic     one step does all three, so there is nothing to interleave
//   eventloop  read, add, write as one coroutine; the loop switches tasks only at an await,
//              which the reader places (after the read, after the add, or nowhere)

import { raceModes, type RaceMode } from "../gen/facts.gen";

/** The race experiment's modes (the Go side's), and the event loop's way of taking turns. */
export type SchedulerMode = RaceMode | "eventloop";
export const schedulerModes: readonly SchedulerMode[] = [...raceModes, "eventloop"];

export type ThreadName = "A" | "B";
export const threadNames: ThreadName[] = ["A", "B"];

/** Where the event loop's await goes: after the read, after the add, or nowhere. */
export type AwaitPlace = "read" | "add" | "none";
export const awaitPlaces: AwaitPlace[] = ["read", "add", "none"];

export type StepKind = "acquire" | "read" | "add" | "write" | "release" | "atomic" | "await";

/** One step of a thread's program: what it does and the line of code that does it. */
export interface Step {
  kind: StepKind;
  code: string;
}

export interface ThreadState {
  /** The index of the next step in the program; program.length once the thread has finished. */
  pc: number;
  /** The thread's own copy of the counter (null until it reads). */
  copy: number | null;
  /** The counter's value when the thread read it (null until it reads). */
  readValue: number | null;
}

export interface SchedulerState {
  mode: SchedulerMode;
  awaitAfter: AwaitPlace;
  program: Step[];
  threads: Record<ThreadName, ThreadState>;
  counter: number;
  /** mutex: the thread that holds the lock. */
  lockHolder: ThreadName | null;
  /** eventloop: the task the loop is running, which keeps it until an await or its end. */
  running: ThreadName | null;
  /** Increments written back to the counter (each thread writes once). */
  writes: number;
}

const read: Step = { kind: "read", code: "copy = counter" };
const add: Step = { kind: "add", code: "copy = copy + 1" };
const write: Step = { kind: "write", code: "counter = copy" };
const awaitStep: Step = { kind: "await", code: "await asyncio.sleep(0)" };

/** The program each thread runs in mode (both threads run the same one). */
export function program(mode: SchedulerMode, awaitAfter: AwaitPlace = "read"): Step[] {
  switch (mode) {
    case "unsafe":
      return [read, add, write];
    case "mutex":
      return [{ kind: "acquire", code: "lock.acquire()" }, read, add, write, { kind: "release", code: "lock.release()" }];
    case "atomic":
      return [{ kind: "atomic", code: "counter += 1  # one indivisible step" }];
    case "eventloop":
      if (awaitAfter === "read") return [read, awaitStep, add, write];
      if (awaitAfter === "add") return [read, add, awaitStep, write];
      return [read, add, write];
  }
}

export function initialState(mode: SchedulerMode, awaitAfter: AwaitPlace = "read"): SchedulerState {
  const fresh = (): ThreadState => ({ pc: 0, copy: null, readValue: null });
  return { mode, awaitAfter, program: program(mode, awaitAfter), threads: { A: fresh(), B: fresh() }, counter: 0, lockHolder: null, running: null, writes: 0 };
}

export const other = (t: ThreadName): ThreadName => (t === "A" ? "B" : "A");

export const finished = (s: SchedulerState, t: ThreadName): boolean => s.threads[t].pc >= s.program.length;

export const allFinished = (s: SchedulerState): boolean => threadNames.every((t) => finished(s, t));

/** The step thread t takes next, or null once it has finished. */
export const nextStep = (s: SchedulerState, t: ThreadName): Step | null => s.program[s.threads[t].pc] ?? null;

/** Updates lost so far: increments written back minus what the counter shows. */
export const lost = (s: SchedulerState): number => s.writes - s.counter;

/** What the counter should show once both threads have finished. */
export const expected = threadNames.length;

/**
 * Why thread t cannot take a step now, in words for its button; null when it can. A thread
 * waits for a lock the other holds, or (event loop) while the loop runs the other task, which
 * keeps it until that task reaches an await or ends; and a finished thread has nothing left.
 */
export function blocked(s: SchedulerState, t: ThreadName): string | null {
  if (finished(s, t)) return `${t} has finished`;
  const o = other(t);
  if (s.mode === "mutex" && nextStep(s, t)?.kind === "acquire" && s.lockHolder === o) return `${t} waits: ${o} holds the lock`;
  if (s.mode === "eventloop" && s.running === o) return `${t} waits: the loop runs ${o} until it awaits`;
  return null;
}

/**
 * The copy is stale when the counter changed after the thread read it: writing it back will
 * overwrite the other thread's increment.
 */
export function stale(s: SchedulerState, t: ThreadName): boolean {
  const th = s.threads[t];
  return th.readValue !== null && nextStep(s, t) !== null && s.program.slice(th.pc).some((x) => x.kind === "write") && s.counter !== th.readValue;
}

export interface StepOutcome {
  state: SchedulerState;
  /** What happened, in a sentence (the page announces it). */
  said: string;
}

/** Thread t takes its next step; throws if it may not (the view disables its button then). */
export function step(s: SchedulerState, t: ThreadName): StepOutcome {
  const why = blocked(s, t);
  if (why) throw new Error(`thread ${t} cannot step: ${why}`);
  const st = nextStep(s, t)!;
  const th: ThreadState = { ...s.threads[t], pc: s.threads[t].pc + 1 };
  const next: SchedulerState = { ...s, threads: { ...s.threads, [t]: th } };
  let said: string;
  switch (st.kind) {
    case "acquire":
      next.lockHolder = t;
      said = `${t} takes the lock.`;
      break;
    case "release":
      next.lockHolder = null;
      said = `${t} lets the lock go.`;
      break;
    case "read":
      th.copy = s.counter;
      th.readValue = s.counter;
      said = `${t} reads the counter: its copy is ${s.counter}.`;
      break;
    case "add":
      th.copy = (th.copy ?? 0) + 1;
      said = `${t} adds 1 to its copy: ${th.copy}.`;
      break;
    case "write": {
      const overwrites = s.counter !== th.readValue;
      next.counter = th.copy ?? 0;
      next.writes = s.writes + 1;
      said = `${t} writes its copy back: the counter is ${next.counter}.`;
      if (overwrites) said += ` ${other(t)}'s increment is lost: ${t} read ${th.readValue} before ${other(t)} wrote ${s.counter}.`;
      break;
    }
    case "atomic":
      next.counter = s.counter + 1;
      next.writes = s.writes + 1;
      th.readValue = s.counter;
      th.copy = next.counter;
      said = `${t} adds 1 to the counter in one step: the counter is ${next.counter}.`;
      break;
    case "await":
      said = `${t} awaits: the loop may now run either task.`;
      break;
  }
  if (s.mode === "eventloop") {
    // the loop keeps running t until t awaits or ends
    next.running = st.kind === "await" || th.pc >= s.program.length ? null : t;
  }
  if (th.pc >= s.program.length) said += ` ${t} has finished.`;
  if (allFinished(next)) {
    const n = lost(next);
    said += ` Both threads finished: the counter is ${next.counter} of ${expected}${n ? `, ${n} update lost` : ", nothing lost"}.`;
  }
  return { state: next, said };
}
