// A run's repeats: the lesson quotes the fastest of three runs, and so does the page (a result's
// duration_ns is its fastest repeat). The others are not thrown away: their spread says how far
// the figure can be trusted, and a spread too wide is said plainly, with the likely cause.

// wideSpread: above this spread ((slowest − fastest) ÷ fastest) a figure is too noisy to trust
import { wideSpread } from "../gen/facts.gen";
import { durationParts } from "../format";
import type { Result } from "../types";

export interface Spread {
  /** How many repeats ran. */
  n: number;
  min: number;
  median: number;
  max: number;
  /** (max − min) ÷ min */
  spread: number;
  wide: boolean;
}

/** The repeats' spread, or null for a run of one repeat (or a result kept by an older page). */
export function spreadOf(repeats: readonly number[] | undefined): Spread | null {
  if (!repeats || repeats.length < 2) return null;
  const s = [...repeats].sort((a, b) => a - b);
  const mid = s.length >> 1;
  const median = s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
  const min = s[0]!;
  const max = s[s.length - 1]!;
  const spread = min > 0 ? (max - min) / min : 0;
  return { n: s.length, min, median, max, spread, wide: spread > wideSpread };
}

/**
 * "18.4–39.0–61.0 ms": min, median and max, in one unit where they share one, so the three
 * read as one range; "19.2 ms – 26.1 ms – 1.13 s" where they do not.
 */
export function rangeText(s: Spread): string {
  const parts = [s.min, s.median, s.max].map(durationParts);
  if (new Set(parts.map((p) => p.unit)).size > 1) return parts.map((p) => `${p.value} ${p.unit}`).join(" – ");
  return `${parts.map((p) => p.value).join("–")} ${parts[0]!.unit}`;
}

/** "23 %" */
export function percent(x: number): string {
  return `${x >= 0.095 ? (100 * x).toFixed(0) : (100 * x).toFixed(1)} %`;
}

/** The repeats in a few words: "fastest of 3 · 48.9–50.1–61.0 ms (min–median–max)". */
export function repeatsText(s: Spread): string {
  return `fastest of ${s.n} · ${rangeText(s)}`;
}

/**
 * Said beside a run whose repeats spread too wide, "" otherwise: what the spread is, that the
 * figure cannot be trusted, and what usually causes it.
 */
export function spreadWarning(r: Pick<Result, "repeats" | "where">): string {
  const s = spreadOf(r.repeats);
  if (!s?.wide) return "";
  const cause =
    r.where === "browser"
      ? "something else took this browser's time: another tab, a page still loading, or a busy machine"
      : "something else took the machine's cores: another program, a build, a browser tab";
  return (
    `Its ${s.n} repeats spread ${percent(s.spread)} (${rangeText(s)}, fastest–median–slowest), more than ${percent(wideSpread)}: ` +
    `too wide to trust this figure. Likely ${cause}. Close what you can and run it again.`
  );
}

/** The fastest repeat's index (0-based) in the order they ran, or -1 without repeats. */
export function fastestRepeat(repeats: readonly number[] | undefined): number {
  if (!repeats?.length) return -1;
  let best = 0;
  repeats.forEach((d, i) => {
    if (d < repeats[best]!) best = i;
  });
  return best;
}
