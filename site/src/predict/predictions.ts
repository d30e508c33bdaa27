// Scored predictions kept in this browser beside the run history (history.ts keeps the runs),
// so a reader can see how their guesses improved. Small by construction: a guess is a handful
// of variant names and the measured order with durations; the newest keptPredictions stay.
// Each stored entry is checked field by field on load: a damaged one is dropped, not trusted.

import { experiments, wheres } from "../gen/facts.gen";
import { variantOrder } from "../presets";
import type { Experiment, Variant, Where } from "../types";

export interface KeptPrediction {
  /** When it was scored, ms since the epoch. */
  at: number;
  experiment: Experiment;
  /** The work in words ("20 sums · n = 100,000,000"). */
  work: string;
  /** The guess, fastest first. */
  guess: Variant[];
  /** What was measured, fastest first. */
  measured: { variant: Variant; where: Where; durationNs: number }[];
  correct: number;
  total: number;
}

const storageKey = "playground.predictions.v1";
const keptPredictions = 50;

const isVariant = (v: unknown): v is Variant => variantOrder.includes(v as Variant);
const int = (v: unknown, hi: number) => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= hi;

function check(p: any): KeptPrediction | null {
  if (typeof p !== "object" || p === null) return null;
  if (!(Number.isFinite(p.at) && p.at >= 0) || !experiments.includes(p.experiment) || typeof p.work !== "string" || p.work.length > 200) return null;
  if (!Array.isArray(p.guess) || p.guess.length > variantOrder.length || !p.guess.every(isVariant)) return null;
  if (!Array.isArray(p.measured) || p.measured.length > variantOrder.length) return null;
  const measured = p.measured.map((m: any) => (isVariant(m?.variant) && wheres.includes(m?.where) && Number.isFinite(m?.durationNs) && m.durationNs > 0 ? { variant: m.variant, where: m.where, durationNs: m.durationNs } : null));
  if (measured.includes(null) || !int(p.total, 100) || !int(p.correct, p.total)) return null;
  return { at: p.at, experiment: p.experiment, work: p.work, guess: [...p.guess], measured, correct: p.correct, total: p.total };
}

/** The kept predictions, oldest first; [] when storage is disabled or holds nothing usable. */
export function loadPredictions(): KeptPrediction[] {
  try {
    const data = JSON.parse(localStorage.getItem(storageKey) ?? "[]");
    return Array.isArray(data) ? data.map(check).filter((p): p is KeptPrediction => p !== null) : [];
  } catch {
    return [];
  }
}

/** Adds p (dropping the oldest beyond keptPredictions); false if the browser would not store it. */
export function keepPrediction(p: KeptPrediction): boolean {
  return save([...loadPredictions(), p].slice(-keptPredictions));
}

export function clearPredictions(): boolean {
  return save([]);
}

function save(list: KeptPrediction[]): boolean {
  try {
    if (list.length) localStorage.setItem(storageKey, JSON.stringify(list));
    else localStorage.removeItem(storageKey);
    return true;
  } catch {
    return false; // storage disabled (a sandboxed frame) or full: the prediction lasts for this visit
  }
}
