import assert from "node:assert/strict";
import { beforeEach, describe, test } from "node:test";
import { RunHistory } from "./history";
import { resultsCSV, resultsJSON } from "./export";
import type { Machine, Result, Spec } from "../types";

// The history reads the browser's localStorage and listens for other tabs' saves: Node has
// neither, so a plain map stands in for the storage (the history's own checks are under test).
const store = new Map<string, string>();
Object.assign(globalThis, {
  localStorage: { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => void store.set(k, v), removeItem: (k: string) => void store.delete(k) },
  addEventListener: () => {},
});

const native: Machine = { where: "native", os: "linux", arch: "amd64", cores: 2, gomaxprocs: 2, go_version: "go1.26.8" };
const spec: Spec = { preset: "cpu_mp", experiment: "cpu", variant: "process", workers: 2, tasks: 4, n: 1000 };
const result: Result = {
  preset: "cpu_mp", experiment: "cpu", variant: "process", where: "native", workers: 2, tasks: 4,
  duration_ns: 2_500_000, results: [], checksum: "0123456789abcdef", spec, machine: native, spans: 0,
};

describe("a stored history entry's time", () => {
  beforeEach(() => store.clear());

  test("beyond what a Date holds is dropped as damaged, and both exports still work", () => {
    const runs = [1e300, 8.64e15 + 1, -1, 1.5, Number.NaN, Date.UTC(2026, 0, 2)].map((at, i) => ({ key: `s:${i}`, at, result }));
    store.set("playground.history.v1", JSON.stringify({ runs }));
    const h = new RunHistory();
    assert.deepEqual(h.runs.map((r) => r.key), ["s:5"], "only the entry with a real time is kept");
    assert.match(h.note, /5/, `the note says how many were dropped: ${h.note}`);
    assert.doesNotThrow(() => resultsCSV(h.runs));
    assert.doesNotThrow(() => resultsJSON(h.runs));
  });
});
