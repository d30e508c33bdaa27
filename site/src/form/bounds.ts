// The bounds of the whole-number parameters and the one wording of what is wrong with a value,
// shared by the form (typing), a link's query and the postMessage API's "set", so the three
// agree with each other and with the Go side, whose limits they are (facts.gen.ts).

import { limits } from "../gen/facts.gen";
import type { Variant } from "../types";

/** The whole numbers of the state and their bounds: the Go side's limits (workload.Limits). */
export const intParams = {
  workers: [1, limits.workers],
  tasks: [1, limits.tasks],
  n: [1, limits.n],
  delay: [0, limits.delayMs],
  size: [0, limits.size],
  repeat: [1, limits.repeat],
} as const satisfies Record<string, readonly [number, number]>;
export type IntParam = keyof typeof intParams;

/**
 * The most workers variant may have: a process pool is bounded by the processes the backend
 * starts (processWorkers), every other pool by the goroutines (workers). maxProcesses is a
 * connected backend's own limit where it said one.
 */
export function workersMax(variant: Variant, maxProcesses: number = limits.processWorkers, maxWorkers: number = limits.workers): number {
  return variant === "process" ? maxProcesses : maxWorkers;
}

/** The bounds of name for variant: the workers' depend on the variant. */
export function boundsOf(name: IntParam, variant: Variant): readonly [number, number] {
  return name === "workers" ? [1, workersMax(variant)] : intParams[name];
}

/**
 * What is wrong with raw as a whole number in lo..hi, in one sentence naming the field and the
 * allowed form; null when it is fine. Only digits count: "2.5" and "1e3" are not whole numbers as
 * a link or a form writes them; "-1" is one below the least allowed.
 */
export function wholeNumberError(name: string, raw: string, lo: number, hi: number): string | null {
  const text = raw.trim();
  const want = `a whole number in ${lo}..${hi}`;
  if (text === "") return `${name}: ${want} is needed.`;
  // "-5" is a whole number to a reader: what is wrong is its sign, so say the least allowed
  if (/^-\d+$/.test(text)) return `${name}: ${text} is below ${lo}; it must be at least ${lo} (a whole number in ${lo}..${hi}).`;
  if (!/^\d+$/.test(text)) return `${name}: ${text} is not a whole number; ${want} is needed.`;
  const n = Number(text);
  return n < lo || n > hi ? `${name}: ${text} is out of range ${lo}..${hi}.` : null;
}
