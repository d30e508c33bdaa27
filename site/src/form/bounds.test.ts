import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { boundsOf, wholeNumberError, workersMax } from "./bounds";
import { limits } from "../gen/facts.gen";
import { stateForPreset } from "../state";
import { refusedInQuery, stateFromQuery } from "../share/urlstate";

describe("wholeNumberError words what is wrong, naming the field and the allowed form", () => {
  const cases: [raw: string, want: string | null][] = [
    ["5", null],
    ["1", null],
    ["10", null],
    ["", "workers: a whole number in 1..10 is needed."],
    ["  ", "workers: a whole number in 1..10 is needed."],
    ["2.5", "workers: 2.5 is not a whole number; a whole number in 1..10 is needed."],
    ["1e3", "workers: 1e3 is not a whole number; a whole number in 1..10 is needed."],
    ["-1", "workers: -1 is below 1; it must be at least 1 (a whole number in 1..10)."],
    ["-5", "workers: -5 is below 1; it must be at least 1 (a whole number in 1..10)."],
    ["abc", "workers: abc is not a whole number; a whole number in 1..10 is needed."],
    ["0", "workers: 0 is out of range 1..10."],
    ["11", "workers: 11 is out of range 1..10."],
  ];
  for (const [raw, want] of cases) test(JSON.stringify(raw), () => assert.equal(wholeNumberError("workers", raw, 1, 10), want));
});

describe("the workers' bound is the variant's, from the Go side's limits", () => {
  test("a process pool is bounded by the processes", () => assert.deepEqual(boundsOf("workers", "process"), [1, limits.processWorkers]));
  test("the other pools by the goroutines", () => assert.deepEqual(boundsOf("workers", "pool"), [1, limits.workers]));
  test("a backend's own limit replaces the engine's", () => assert.equal(workersMax("process", 8), 8));
  test("other fields do not depend on the variant", () => assert.deepEqual(boundsOf("tasks", "process"), [1, limits.tasks]));
});

describe("a link's whole numbers that the state could not take are named", () => {
  const cores = 4;
  const refused = (query: string) => {
    const q = new URLSearchParams(query);
    return refusedInQuery(q, stateFromQuery(q, cores));
  };
  test("workers over the process pool's limit", () => {
    assert.deepEqual(refused(`preset=cpu_mp&workers=${limits.processWorkers + 36}`), [["workers", String(limits.processWorkers + 36)]]);
    assert.equal(stateFromQuery(new URLSearchParams("preset=cpu_mp&workers=100"), cores).workers, stateForPreset("cpu_mp", cores).workers);
  });
  test("the same count on a thread pool is taken", () => assert.deepEqual(refused("preset=cpu_threading&workers=100"), []));
  test("a fraction and a zero", () => assert.deepEqual(refused("preset=cpu_threading&tasks=2.5&repeat=0"), [["tasks", "2.5"], ["repeat", "0"]]));
  test("leading zeros are the same number", () => assert.deepEqual(refused("preset=cpu_threading&workers=08"), []));
  test("nothing asked, nothing refused", () => assert.deepEqual(refused("preset=io_threading"), []));
});
