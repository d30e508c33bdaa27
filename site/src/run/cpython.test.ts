import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { cpythonVariantsForAll } from "./launch";
import { cpythonRaceNote } from "./runnotes";
import { hasEnded, isFinishedRun, type Run } from "./runs";
import { pythonLabel, whereLabel } from "../labels";
import { cpythonRuns, stateForPreset } from "../state";
import type { Result } from "../types";

const run = (r: Partial<Run>) => ({ status: "done", purpose: "run", result: {}, ...r }) as unknown as Run;

describe("a finished run is tested in one place", () => {
  test("done, the reader's own, with a result", () => assert.ok(isFinishedRun(run({}))));
  test("a sweep's run, a failed one or one without a result is not", () => {
    assert.ok(!isFinishedRun(run({ purpose: "sweep" })));
    assert.ok(!isFinishedRun(run({ status: "failed" })));
    assert.ok(!isFinishedRun(run({ result: undefined })));
  });
  test("a run has ended once done, failed or canceled", () => {
    for (const status of ["done", "failed", "canceled"] as const) assert.ok(hasEnded(run({ status })));
    for (const status of ["queued", "running"] as const) assert.ok(!hasEnded(run({ status })));
  });
});

describe("what CPython runs", () => {
  const race = stateForPreset("race_condition", 2)!;
  test("the race as the lesson wrote it, and every io and cpu variant", () => {
    assert.ok(cpythonRuns(race));
    assert.ok(cpythonRuns(stateForPreset("cpu_mp", 2)!));
  });
  test("not the race under a lock, atomic, or with a yield", () => {
    assert.ok(!cpythonRuns({ ...race, params: { ...race.params, mode: "mutex" } }));
    assert.ok(!cpythonRuns({ ...race, params: { ...race.params, yield: true } }));
  });
  test("run every variant runs the threads' script once: the gil is the pool's in CPython", () => {
    const s = stateForPreset("cpu_threading", 2)!;
    assert.deepEqual(cpythonVariantsForAll({ ...s, variants: ["sequential", "pool", "gil", "process"] }), ["sequential", "pool", "process"]);
    assert.deepEqual(cpythonVariantsForAll({ ...s, variants: ["sequential", "gil"] }), ["sequential", "gil"]);
  });
});

describe("a CPython run names its interpreter", () => {
  test("version and GIL", () => {
    assert.equal(pythonLabel({ version: "3.11.2", gil: true }), "CPython 3.11.2, GIL on");
    assert.equal(pythonLabel({ version: "3.14.0", gil: false }), "CPython 3.14.0, GIL off");
  });
  test("in the runs table", () => {
    const r = { where: "cpython", python: { version: "3.11.2", gil: true }, machine: { cores: 2 } } as unknown as Result;
    assert.equal(whereLabel(r), "cpython · CPython 3.11.2, GIL on · 2 cores");
  });
});

describe("CPython's race is said for what it is", () => {
  const race = (lost: number, gil: boolean) =>
    ({ where: "cpython", variant: "pool", python: { version: "3.13.0", gil }, race: { expected: 500000, counted: 500000 - lost, lost } }) as unknown as Result;
  test("with a GIL and nothing lost: luck, not safety", () => assert.match(cpythonRaceNote(race(0, true)), /luck, not safety/));
  test("with a GIL and updates lost: the switch interval", () => assert.match(cpythonRaceNote(race(3, true)), /^The GIL switched/));
  test("without a GIL: the threads run at once", () => assert.match(cpythonRaceNote(race(4000, false)), /without a GIL/));
  test("Go's runs and CPython's processes say nothing here", () => {
    assert.equal(cpythonRaceNote({ ...race(0, true), where: "native" }), "");
    assert.equal(cpythonRaceNote({ ...race(0, true), variant: "process" }), "");
  });
});
