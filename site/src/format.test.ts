import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { duration, parseGoDuration, ratio, speedup } from "./format";

describe("parseGoDuration reads Go's duration text", () => {
  const cases: [text: string, ns: number][] = [
    ["50ms", 50e6],
    ["0s", 0],
    ["0", 0], // Go writes a zero duration as "0s", but time.ParseDuration takes a bare 0 too
    ["1.5s", 1.5e9],
    ["1m0s", 60e9],
    ["1h2m3s", 3723e9],
    ["250us", 250e3],
    ["250µs", 250e3],
    ["7ns", 7],
    ["10s", 10e9],
    ["1m30.5s", 90.5e9],
  ];
  for (const [text, ns] of cases) {
    test(`"${text}" is ${ns} ns`, () => assert.equal(parseGoDuration(text), ns));
  }
});

describe("parseGoDuration refuses what is not a duration with NaN", () => {
  for (const text of ["", "50", "ms", "50 ms", "50ms ", " 50ms", "50sec", "-1s", "1d", "5m3", "0x10s", "NaNs"]) {
    test(`${JSON.stringify(text)} is no duration`, () => assert.ok(Number.isNaN(parseGoDuration(text)), `parseGoDuration(${JSON.stringify(text)}) = ${parseGoDuration(text)}`));
  }
});

describe("duration prints three significant figures in the unit that reads best", () => {
  const cases: [ns: number, text: string][] = [
    [0, "0 ns"],
    [850, "850 ns"],
    [850_000, "850 µs"],
    [1_234_567, "1.23 ms"],
    [12_345_678, "12.3 ms"],
    [123_456_789, "123 ms"],
    [1_240_000_000, "1.24 s"],
    [12_400_000_000, "12.4 s"],
  ];
  for (const [ns, text] of cases) test(`${ns} ns is "${text}"`, () => assert.equal(duration(ns), text));
});

describe("speedup never prints a bare 0.0×", () => {
  const cases: [x: number, text: string][] = [
    [48.2, "48×"],
    [5.24, "5.2×"],
    [1, "1.0×"],
    [0.0204, "0.020×"],
  ];
  for (const [x, text] of cases) test(`${x} is "${text}"`, () => assert.equal(speedup(x), text));
});

describe("ratio is no figure where a run measured 0 ns (below the browser clock's step)", () => {
  test("a ratio of two durations", () => assert.equal(ratio(300, 100), 3));
  test("0 on either side gives null, never Infinity or 0", () => {
    assert.equal(ratio(300, 0), null);
    assert.equal(ratio(0, 300), null);
  });
});
