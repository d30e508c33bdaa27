// The time axis's labels. uPlot picks ticks at round steps (0.0002 ms apart at a run's first
// instant, 50 ms apart across a whole run); each label gets the decimals its step needs, so
// no two ticks read the same ("0.000 0.000 0.001" was three ticks 0.0004 ms apart).

/** The decimals that tell ticks step apart: 0 for a step of 1 or more, 2 for 0.05, 4 for 0.0002. */
export function tickDecimals(step: number): number {
  if (!(step > 0) || !Number.isFinite(step)) return 0;
  // a little under the step's own power of ten, so 0.1 (stored as 0.1000…01) needs one decimal
  return Math.max(0, Math.ceil(-Math.log10(step) - 1e-9));
}

/** The labels of ticks splits (ms), in order: each with the decimals of its step, "0" for zero. */
export function tickLabels(splits: readonly number[]): string[] {
  let step = Infinity;
  for (let i = 1; i < splits.length; i++) step = Math.min(step, Math.abs(splits[i]! - splits[i - 1]!));
  if (!Number.isFinite(step)) step = Math.abs(splits[0] ?? 1) || 1;
  // 0.25 between ticks needs two decimals: the step's own digits, up to 3 past its first
  let d = tickDecimals(step);
  while (d < tickDecimals(step) + 3 && Math.abs(Number(step.toFixed(d)) - step) > step * 1e-6) d++;
  return splits.map((v) => (v === 0 ? "0" : v.toFixed(d)));
}
