import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { wideSpread } from "../gen/facts.gen";
import { fastestRepeat, percent, rangeText, repeatsText, spreadOf, spreadWarning } from "./spread";

describe("spreadOf: min, median and max of the repeats", () => {
  const cases: { name: string; repeats: number[]; min: number; median: number; max: number }[] = [
    { name: "two repeats: the median is their mean", repeats: [30, 10], min: 10, median: 20, max: 30 },
    { name: "three repeats, in any order: the middle one", repeats: [50, 10, 20], min: 10, median: 20, max: 50 },
    { name: "four repeats: the mean of the middle two", repeats: [4, 1, 3, 2], min: 1, median: 2.5, max: 4 },
    { name: "equal repeats spread nothing", repeats: [7, 7, 7], min: 7, median: 7, max: 7 },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const s = spreadOf(c.repeats)!;
      assert.deepEqual([s.n, s.min, s.median, s.max], [c.repeats.length, c.min, c.median, c.max]);
      assert.equal(s.spread, (c.max - c.min) / c.min);
    });
  }
  test("leaves the result's repeats in the order they ran", () => {
    const repeats = [3, 1, 2];
    spreadOf(repeats);
    assert.deepEqual(repeats, [3, 1, 2]);
  });
  test("one repeat, none, or a result from an older page has no spread", () => {
    assert.equal(spreadOf([5]), null);
    assert.equal(spreadOf([]), null);
    assert.equal(spreadOf(undefined), null);
  });
});

describe("a spread is wide above facts.gen's wideSpread of the fastest repeat", () => {
  const min = 100_000_000;
  const bound = min + min * wideSpread; // exactly: (bound − min) ÷ min is wideSpread to the last bit
  test("the bound is exact", () => assert.equal(spreadOf([min, bound])!.spread, wideSpread));
  const cases: [name: string, max: number, wide: boolean][] = [
    ["well inside", min * 1.05, false],
    ["exactly at the bound is still trusted", bound, false],
    ["just over the bound", bound + 1, true],
    ["twice the fastest", min * 2, true],
  ];
  for (const [name, max, wide] of cases) {
    test(`${name}: wide is ${wide}`, () => assert.equal(spreadOf([min, max])!.wide, wide));
  }
});

describe("rangeText reads min–median–max as one range", () => {
  const cases: [repeats: number[], text: string][] = [
    [[18_400_000, 39_000_000, 61_000_000], "18.4–39.0–61.0 ms"],
    [[1_500_000_000, 1_600_000_000, 2_000_000_000], "1.50–1.60–2.00 s"],
    [[19_200_000, 26_100_000, 1_130_000_000], "19.2 ms – 26.1 ms – 1.13 s"],
  ];
  for (const [repeats, text] of cases) test(text, () => assert.equal(rangeText(spreadOf(repeats)!), text));
  test("repeatsText says how many ran", () =>
    assert.equal(repeatsText(spreadOf([48_900_000, 50_100_000, 61_000_000])!), "fastest of 3 · 48.9–50.1–61.0 ms"));
});

describe("percent", () => {
  const cases: [x: number, text: string][] = [
    [0.23, "23 %"],
    [0.15, "15 %"],
    [0.012, "1.2 %"],
  ];
  for (const [x, text] of cases) test(`${x} is "${text}"`, () => assert.equal(percent(x), text));
});

describe("spreadWarning", () => {
  test("a narrow spread says nothing", () => assert.equal(spreadWarning({ where: "native", repeats: [100, 101, 102] }), ""));
  test("a single repeat says nothing", () => assert.equal(spreadWarning({ where: "native", repeats: [100] }), ""));
  test("a wide spread on the backend names the machine's cores as the likely cause", () => {
    const w = spreadWarning({ where: "native", repeats: [100_000_000, 150_000_000, 200_000_000] });
    assert.match(w, /^Its 3 repeats spread 100 % \(100–150–200 ms, fastest–median–slowest\), more than 15 %/);
    assert.match(w, /machine's cores/);
  });
  test("a wide spread in the browser names the browser's other work", () => {
    assert.match(spreadWarning({ where: "browser", repeats: [10_000_000, 20_000_000] }), /this browser's time/);
  });
});

describe("fastestRepeat is the fastest's index in the order they ran", () => {
  const cases: [repeats: number[] | undefined, index: number][] = [
    [[30, 10, 20], 1],
    [[5], 0],
    [[2, 1, 1], 1], // a tie goes to the earlier repeat
    [[], -1],
    [undefined, -1],
  ];
  for (const [repeats, index] of cases) test(`${JSON.stringify(repeats)} → ${index}`, () => assert.equal(fastestRepeat(repeats), index));
});
