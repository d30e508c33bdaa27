// Predict, then run: the reader orders the variants by the duration they expect, "Run every
// variant" measures them, and this module scores the guess and explains each miss. Pure (no
// DOM, no storage): predictview.ts shows it, predictions.ts keeps it.
//
// The explanations are the lesson's reasons, but each is chosen by the run's own figures, not
// by the variant's name alone: "threads don't speed up CPU work under the interpreter lock" is
// said when the GIL run took about as long as sequential, "process start-up outweighs a job
// this small" when the processes' start-up was a large share of their run, the browser's six
// connections when the event loop's time matches six downloads at a time. Where the figures
// show none of these, the sentence says what they do show.

import { count, duration, speedup } from "../format";
import { variantNames, variantOrder } from "../presets";
import type { Experiment, Variant, Where } from "../types";

/** One variant's measured run, as far as the prediction needs it. */
export interface Measured {
  variant: Variant;
  where: Where;
  /** The run's wall time (the fastest repeat), ns. */
  durationNs: number;
  workers: number;
  /** The median start-up of one of its processes (its spawn spans), ns; absent without any. */
  spawnNs?: number;
}

/** The work every variant did, as the explanations need it. */
export interface Work {
  experiment: Experiment;
  tasks: number;
  /** io: the farm's latency per page, ns. */
  delayNs?: number;
  /** io in the browser: the connections the event loop shared (6 over HTTP/1.1), null if unbounded. */
  connections?: number | null;
}

/** Runs closer than this share of the slower one count as a tie: a guess either way is right. */
export const tieShare = 0.1;

/** Below this much sequential work, a pool's own start and hand-out costs are a large part of it. */
const smallJobNs = 20e6;

export const isTie = (a: number, b: number): boolean => Math.abs(a - b) <= tieShare * Math.max(a, b);

export interface Miss {
  variant: Variant;
  /** 1-based places, fastest first. */
  predictedPlace: number;
  measuredPlace: number;
  /** Why it finished where it did, from the run's figures. */
  reason: string;
}

export interface Scored {
  /** The guess, narrowed to the variants that were measured, fastest first. */
  predicted: Variant[];
  /** The measured runs, fastest first. */
  measured: Measured[];
  /** Pairs of variants the guess put in the measured order (or that tied). */
  correct: number;
  total: number;
  misses: Miss[];
  /**
   * Each place of the guess (fastest first), right by the score's own rule: its variant is in
   * no wrong pair, ties within tieShare forgiven. The table colours its rows by this, so its
   * colours never contradict the score.
   */
  placeRight: boolean[];
}

/**
 * One run per variant from a batch: where a variant ran both in the browser and on the
 * backend, the backend's run counts, since the pools it is ranked against ran there too.
 */
export function onePerVariant(runs: Measured[]): Measured[] {
  const by = new Map<Variant, Measured>();
  for (const r of runs) {
    const had = by.get(r.variant);
    if (!had || (had.where !== "native" && r.where === "native")) by.set(r.variant, r);
  }
  return variantOrder.filter((v) => by.has(v)).map((v) => by.get(v)!);
}

/** Scores a guess (fastest first) against one measured run per variant. */
export function scorePrediction(guess: Variant[], runs: Measured[], work: Work): Scored {
  const measured = [...runs].filter((m) => guess.includes(m.variant)).sort((a, b) => a.durationNs - b.durationNs);
  const predicted = guess.filter((v) => measured.some((m) => m.variant === v));
  const dur = new Map(measured.map((m) => [m.variant, m.durationNs]));
  let correct = 0;
  let total = 0;
  const wrong = new Set<Variant>();
  for (let i = 0; i < predicted.length; i++) {
    for (let j = i + 1; j < predicted.length; j++) {
      const a = predicted[i]!;
      const b = predicted[j]!;
      total++;
      const da = dur.get(a)!;
      const db = dur.get(b)!;
      if (da <= db || isTie(da, db)) correct++;
      else wrong.add(a).add(b);
    }
  }
  const misses: Miss[] = [];
  measured.forEach((m, i) => {
    const p = predicted.indexOf(m.variant) + 1;
    if (wrong.has(m.variant) && p !== i + 1) misses.push({ variant: m.variant, predictedPlace: p, measuredPlace: i + 1, reason: reason(m, measured, work) });
  });
  return { predicted, measured, correct, total, misses, placeRight: predicted.map((v) => !wrong.has(v)) };
}

/** "2nd", "3rd" */
export function ordinal(n: number): string {
  const t = n % 100;
  const s = t >= 11 && t <= 13 ? "th" : n % 10 === 1 ? "st" : n % 10 === 2 ? "nd" : n % 10 === 3 ? "rd" : "th";
  return `${n}${s}`;
}

const name = (v: Variant) => variantNames[v];
const pct = (x: number) => `${Math.round(x * 100)} %`;
const within = (x: number, lo: number, hi: number) => x >= lo && x <= hi;

/** Why m took the time it did, from the figures of the batch it ran in: a sentence or two. */
export function reason(m: Measured, all: Measured[], work: Work): string {
  // a variant's name leads many of them, and names are lower-case ("thread pool took …")
  const text = reasonText(m, all, work);
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function reasonText(m: Measured, all: Measured[], work: Work): string {
  const d = duration(m.durationNs);
  // the yardstick: the sequential run on the same machine if there is one, else any
  const seq = all.find((x) => x.variant === "sequential" && x.where === m.where) ?? all.find((x) => x.variant === "sequential");
  const vsSeq = seq && m.variant !== "sequential" ? m.durationNs / seq.durationNs : null;
  const seqText = seq ? `sequential's ${duration(seq.durationNs)}` : "";
  const spawnShare = m.spawnNs ? m.spawnNs / m.durationNs : 0;
  const spawnText = m.spawnNs ? `each process took ${duration(m.spawnNs)} to start, ${pct(spawnShare)} of the pool's ${d}` : "";
  const general = vsSeq === null ? `${name(m.variant)} took ${d}.` : `${name(m.variant)} took ${d} against ${seqText} (a speedup of ${speedup(1 / vsSeq)}).`;

  if (m.variant === "process" && m.spawnNs && (spawnShare >= 0.2 || (vsSeq !== null && vsSeq > 1 / 1.2))) {
    return `Process start-up outweighs a job this small: ${spawnText}.`;
  }
  if (m.variant === "sequential") {
    const faster = all.filter((x) => x !== m && x.durationNs < m.durationNs && !isTie(x.durationNs, m.durationNs)).map((x) => name(x.variant));
    return `Sequential, one task after another, took ${d}: ${faster.length ? `${faster.join(", ")} beat it by doing several tasks at once` : "nothing beat it, since nothing here overlapped enough work to pay for its own cost"}.`;
  }
  switch (work.experiment) {
    case "cpu":
      if (m.variant === "gil" && vsSeq !== null && within(vsSeq, 0.8, 1.25)) {
        return `Threads don't speed up CPU work under the interpreter lock: threads + GIL took ${d} against ${seqText}, since only the thread holding the lock computes.`;
      }
      if (m.variant === "gil" && vsSeq !== null && vsSeq > 1.25) {
        return `Threads + GIL took ${d}, slower than ${seqText}: the threads computed one at a time under the interpreter lock, and handing it over cost more.`;
      }
      if (m.variant === "eventloop" && vsSeq !== null && within(vsSeq, 0.8, 1.25)) {
        return `An event loop runs CPU work one task after another on one thread: it took ${d}, about ${seqText}. Nothing waits, so nothing overlaps.`;
      }
      if ((m.variant === "pool" || m.variant === "process") && vsSeq !== null && vsSeq < 1 / 1.2) {
        const how = m.variant === "pool" ? "Go's threads have no interpreter lock, so the thread pool computed" : "The processes computed";
        return `${how} on several cores at once: ${d}, ${speedup(1 / vsSeq)} faster than ${seqText}${m.spawnNs ? ` (${spawnText})` : ""}.`;
      }
      if ((m.variant === "pool" || m.variant === "process") && seq && seq.durationNs < smallJobNs) {
        return `${general} A job this small (${duration(seq.durationNs)} in one piece) leaves little to share: starting and feeding ${count(m.workers)} workers costs about as much as the work.`;
      }
      if ((m.variant === "pool" || m.variant === "process") && vsSeq !== null) {
        return `${general} No gain from more workers: the cores were busy with something else, or there is only one.`;
      }
      return general;
    case "io": {
      const delay = work.delayNs ?? 0;
      const bound = (k: number) => Math.ceil(work.tasks / Math.max(1, k)) * delay;
      if (m.variant === "eventloop" && m.where === "browser" && work.connections && delay > 0 && within(m.durationNs / bound(work.connections), 0.7, 2.5)) {
        return `The browser's ${work.connections} connections cap the event loop: ${count(work.tasks)} downloads go ${work.connections} at a time, ⌈${count(work.tasks)} ÷ ${work.connections}⌉ × ${duration(delay)} = ${duration(bound(work.connections))}; it took ${d}.`;
      }
      if (m.variant === "eventloop" && vsSeq !== null && vsSeq < 1 / 1.2) {
        return `The event loop overlapped its waits: ${d}, ${speedup(1 / vsSeq)} faster than ${seqText}.`;
      }
      if (m.variant === "gil") {
        const pool = all.find((x) => x.variant === "pool");
        if (pool && within(m.durationNs / pool.durationNs, 0.8, 1.25)) {
          return `The interpreter lock is let go while a thread waits on I/O: threads + GIL took ${d}, about the thread pool's ${duration(pool.durationNs)}.`;
        }
      }
      if ((m.variant === "pool" || m.variant === "gil" || m.variant === "process") && delay > 0 && within(m.durationNs / bound(m.workers), 0.7, 2.5)) {
        return `${count(m.workers)} ${m.variant === "process" ? "processes" : "threads"} wait ${count(m.workers)} pages at a time: ⌈${count(work.tasks)} ÷ ${count(m.workers)}⌉ × ${duration(delay)} = ${duration(bound(m.workers))}; it took ${d}.`;
      }
      return general;
    }
    case "race":
      if (m.spawnNs) return `${general} Starting its processes took ${duration(m.spawnNs)} each.`;
      return `${general} ${count(work.tasks)} tiny tasks: the cost of handing them out is most of the run.`;
  }
}

/** "pool,process,sequential" → the variants, or what is wrong with the text. */
export function parseGuess(text: string): Variant[] | string {
  const parts = text.split(",").map((p) => p.trim());
  const bad = parts.filter((p) => !variantOrder.includes(p as Variant));
  if (bad.length) return `guess: ${bad.map((b) => JSON.stringify(b)).join(", ")} is not a variant; the variants are ${variantOrder.join(", ")}`;
  if (new Set(parts).size !== parts.length) return "guess: a variant is named twice";
  if (parts.length < 2) return "guess: want at least two variants, fastest first";
  return parts as Variant[];
}

/**
 * The guess kept in step with the variants on offer: the order of those it had, then the new
 * ones in the page's order.
 */
export function reconcile(guess: Variant[], offered: readonly Variant[]): Variant[] {
  return [...guess.filter((v) => offered.includes(v)), ...offered.filter((v) => !guess.includes(v))];
}

/** The guess with the variant at index i moved by delta places (clamped to the list). */
export function move(guess: Variant[], i: number, delta: number): Variant[] {
  const j = Math.min(guess.length - 1, Math.max(0, i + delta));
  const out = [...guess];
  const [v] = out.splice(i, 1);
  out.splice(j, 0, v!);
  return out;
}
