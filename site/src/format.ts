// Numbers as the page prints them: durations with a sensible unit, counts with separators.

export function ms(ns: number): number {
  return ns / 1e6;
}

/** "12.3 ms", "1.24 s", "850 µs": three significant figures, the unit that reads best. */
export function duration(ns: number): string {
  const { value, unit } = durationParts(ns);
  return `${value} ${unit}`;
}

/** duration's number and unit apart, for text that shares one unit between several values. */
export function durationParts(ns: number): { value: string; unit: string } {
  const abs = Math.abs(ns);
  if (abs >= 1e9) return { value: (ns / 1e9).toFixed(abs >= 1e10 ? 1 : 2), unit: "s" };
  if (abs >= 1e6) return { value: (ns / 1e6).toFixed(abs >= 1e8 ? 0 : abs >= 1e7 ? 1 : 2), unit: "ms" };
  if (abs >= 1e3) return { value: (ns / 1e3).toFixed(0), unit: "µs" };
  return { value: ns.toFixed(0), unit: "ns" };
}

export function count(n: number): string {
  return n.toLocaleString("en-US");
}

/**
 * a ÷ b as a speedup, or null when b is 0: a browser run shorter than its clock's step (0.1 ms
 * where the page is not cross-origin isolated) measures 0 ns, and no ratio to it is a figure.
 */
export function ratio(a: number, b: number): number | null {
  return a > 0 && b > 0 ? a / b : null;
}

/** "5.2×", "48×"; a slowdown keeps two significant digits ("0.020×"), never a bare "0.0×". */
export function speedup(x: number): string {
  return `${x >= 10 ? x.toFixed(0) : x >= 1 ? x.toFixed(1) : x.toPrecision(2)}×`;
}

/** Go's duration text ("50ms", "1.5s", "1m0s") in nanoseconds; NaN if it is not one. */
export function parseGoDuration(s: string): number {
  const units: Record<string, number> = { ns: 1, us: 1e3, "µs": 1e3, ms: 1e6, s: 1e9, m: 6e10, h: 3.6e12 };
  const re = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/gy;
  let total = 0;
  let m: RegExpExecArray | null;
  let end = 0;
  while ((m = re.exec(s)) !== null) {
    total += parseFloat(m[1]!) * units[m[2]!]!;
    end = re.lastIndex;
  }
  return end === s.length && s !== "" ? total : s === "0" ? 0 : NaN;
}
