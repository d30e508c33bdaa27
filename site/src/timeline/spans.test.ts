import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { SpanStore } from "./spans";
import { SPAN_FIELDS, State } from "../types";

/** A batch as the engine and the backend hand it over: [worker, task, state, start_ns, end_ns]… */
const batch = (...spans: [worker: number, task: number, state: State, startMs: number, endMs: number][]) =>
  Float64Array.from(spans.flatMap(([w, t, s, a, b]) => [w, t, s, a * 1e6, b * 1e6]));

const spanOf = (st: SpanStore, i: number) => [st.lane[i], st.task[i], st.state[i], st.start[i], st.end[i]];

describe("SpanStore.append", () => {
  test("keeps every field, times in ms", () => {
    const st = new SpanStore();
    st.append(batch([0, -1, State.Spawn, 0.125, 7.5], [1, 3, State.Wait, 2, 52.75]));
    assert.equal(st.n, 2);
    assert.deepEqual(spanOf(st, 0), [0, -1, State.Spawn, 0.125, 7.5]);
    assert.deepEqual(spanOf(st, 1), [1, 3, State.Wait, 2, 52.75]);
  });
  test("counts the spawn spans, one per process started", () => {
    const st = new SpanStore();
    st.append(batch([0, -1, State.Spawn, 0, 50], [1, -1, State.Spawn, 0, 60], [0, 0, State.Run, 50, 80]));
    st.append(batch([1, 1, State.Run, 60, 90]));
    assert.equal(st.spawns, 2);
  });
  test("counts lanes by the highest worker and the run by its latest end", () => {
    const st = new SpanStore();
    st.append(batch([3, 0, State.Run, 0, 40]));
    st.append(batch([1, 1, State.Run, 5, 10]));
    assert.equal(st.lanes, 4);
    assert.equal(st.maxEnd, 40);
  });
  test("grows past its first arrays without losing a span", () => {
    const st = new SpanStore();
    const n = 1000;
    for (let i = 0; i < n; i += 100) {
      st.append(batch(...Array.from({ length: 100 }, (_, j) => [(i + j) % 3, i + j, State.Run, i + j, i + j + 0.5] as [number, number, State, number, number])));
    }
    assert.equal(st.n, n);
    for (const i of [0, 255, 256, 999]) assert.deepEqual(spanOf(st, i), [i % 3, i, State.Run, i, i + 0.5], `span ${i}`);
  });
  test("ignores a trailing partial span", () => {
    const st = new SpanStore();
    st.append(Float64Array.from([0, 0, State.Run, 0, 1e6, 1, 1]));
    assert.equal(st.n, 1);
    assert.equal(SPAN_FIELDS, 5);
  });
});

describe("SpanStore.find: the span under the pointer", () => {
  const st = new SpanStore();
  // lane 0: [0,10] [20,30] [40,50]; the middle one arrives last, as a late span may
  st.append(batch([0, 0, State.Run, 0, 10], [0, 2, State.Run, 40, 50]));
  st.append(batch([0, 1, State.Run, 20, 30]));
  const task = (i: number) => (i < 0 ? -1 : st.task[i]!);
  const cases: [name: string, lane: number, t: number, slack: number, wantTask: number][] = [
    ["inside a span", 0, 5, 0, 0],
    ["at a span's start", 0, 20, 0, 1],
    ["at a span's end", 0, 30, 0, 1],
    ["inside the late span", 0, 25, 0, 1],
    ["in a gap, no slack", 0, 35, 0, -1],
    ["just after a span, within slack", 0, 31, 2, 1],
    ["just before the next span, within slack", 0, 39, 2, 2],
    ["before the first span, within slack", 0, -1, 2, 0],
    ["past the last span", 0, 60, 2, -1],
    ["a lane with no spans", 5, 5, 100, -1],
  ];
  for (const [name, lane, t, slack, want] of cases) test(`${name}: ${want < 0 ? "none" : `task ${want}`}`, () => assert.equal(task(st.find(lane, t, slack)), want));
});

describe("SpanStore.laneTotals", () => {
  test("sums each state per lane, with the lane's first start and last end", () => {
    const st = new SpanStore();
    st.append(batch([0, -1, State.Spawn, 0, 2], [0, 0, State.Run, 2, 12], [1, 1, State.Wait, 1, 6], [0, 1, State.Wait, 12, 15]));
    assert.deepEqual(st.laneTotals(), [
      { spans: 3, run: 10, wait: 3, spawn: 2, first: 0, last: 15 },
      { spans: 1, run: 0, wait: 5, spawn: 0, first: 1, last: 6 },
    ]);
  });
  test("a lane with no span yet is all zero", () => {
    const st = new SpanStore();
    st.append(batch([1, 0, State.Run, 1, 2]));
    assert.deepEqual(st.laneTotals()[0], { spans: 0, run: 0, wait: 0, spawn: 0, first: Infinity, last: 0 });
  });
});

describe("SpanStore.spawnsWithin", () => {
  test("gives how long each spawn span starting in the window lasted, and no other span", () => {
    const st = new SpanStore();
    // two repeats of two processes, end to end: 0–100 ms and 100–190 ms
    st.append(batch([0, -1, State.Spawn, 0.5, 30.5], [1, -1, State.Spawn, 1, 37], [0, 0, State.Run, 30.5, 100]));
    st.append(batch([0, -1, State.Spawn, 100.25, 128.25], [1, -1, State.Spawn, 100.5, 140.5], [1, 1, State.Run, 140.5, 190]));
    assert.deepEqual(st.spawnsWithin(0, 100), [30, 36]);
    assert.deepEqual(st.spawnsWithin(100, 190), [28, 40]);
    assert.deepEqual(st.spawnsWithin(200, 300), []);
  });
});
