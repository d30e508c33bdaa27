import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { defaults } from "./gen/facts.gen";
import { defaultParams, presets, variantOrder } from "./presets";
import { describeWork, fixesWorkers, jobFor, lessonPoolWorkers, stateForPreset, workKey, type PlaygroundState } from "./state";
import type { Job, Spec, Variant } from "./types";

describe("stateForPreset", () => {
  const cases: { preset: string; cores: number; want: Pick<PlaygroundState, "preset" | "experiment" | "variant" | "workers"> }[] = [
    { preset: "cpu_mp", cores: 4, want: { preset: "cpu_mp", experiment: "cpu", variant: "process", workers: 4 } },
    { preset: "cpu_mp", cores: 0, want: { preset: "cpu_mp", experiment: "cpu", variant: "process", workers: 1 } },
    { preset: "io_threading", cores: 8, want: { preset: "io_threading", experiment: "io", variant: "pool", workers: 5 } },
    { preset: "race_condition", cores: 2, want: { preset: "race_condition", experiment: "race", variant: "pool", workers: 5000 } },
    // sequential and the event loop fix their own count: the pools get the lesson's five threads
    { preset: "io_non_concurrent", cores: 8, want: { preset: "io_non_concurrent", experiment: "io", variant: "sequential", workers: lessonPoolWorkers } },
    { preset: "io_asyncio", cores: 8, want: { preset: "io_asyncio", experiment: "io", variant: "eventloop", workers: lessonPoolWorkers } },
    { preset: "no_such_preset", cores: 2, want: { preset: "io_non_concurrent", experiment: "io", variant: "sequential", workers: lessonPoolWorkers } },
    { preset: "", cores: 2, want: { preset: "io_non_concurrent", experiment: "io", variant: "sequential", workers: lessonPoolWorkers } },
  ];
  for (const { preset, cores, want } of cases) {
    test(`${JSON.stringify(preset)} on ${cores} cores: ${want.variant}, ${want.workers} workers`, () => {
      const s = stateForPreset(preset, cores);
      assert.deepEqual({ preset: s.preset, experiment: s.experiment, variant: s.variant, workers: s.workers }, want);
      assert.deepEqual(s.params, defaultParams(want.experiment));
      assert.deepEqual(s.variants, variantOrder, "every variant is offered");
    });
  }
  test("every preset starts from its experiment's defaults", () => {
    for (const p of presets) assert.equal(stateForPreset(p.name, 2).experiment, p.experiment, p.name);
  });
  test("a state's variants are its own copy", () => {
    stateForPreset("cpu_mp", 2).variants.pop();
    assert.deepEqual(stateForPreset("cpu_mp", 2).variants, variantOrder);
  });
});

describe("fixesWorkers: sequential and the event loop pin their own count", () => {
  const want: Record<Variant, boolean> = { sequential: true, eventloop: true, pool: false, gil: false, process: false };
  for (const v of variantOrder) test(`${v}: ${want[v]}`, () => assert.equal(fixesWorkers(v), want[v]));
});

describe("jobFor sends every parameter of the state's experiment, and only those", () => {
  const io = stateForPreset("io_threading", 2);
  const cpu = stateForPreset("cpu_mp", 4);
  const race = { ...stateForPreset("race_condition", 2), params: { ...defaultParams("race"), mode: "atomic" as const, yield: true } };
  const cases: { name: string; s: PlaygroundState; variant: Variant; workers?: number; want: Job }[] = [
    {
      name: "io on the preset's own variant names the preset",
      s: io, variant: "pool",
      want: { experiment: "io", variant: "pool", tasks: defaults.ioTasks, repeat: 1, preset: "io_threading", workers: 5, delay: `${defaults.delayMs}ms`, size: defaults.size },
    },
    {
      name: "another variant is no preset's run",
      s: io, variant: "process", workers: 3,
      want: { experiment: "io", variant: "process", tasks: defaults.ioTasks, repeat: 1, workers: 3, delay: `${defaults.delayMs}ms`, size: defaults.size },
    },
    {
      name: "sequential runs one worker whatever the state's count",
      s: io, variant: "sequential",
      want: { experiment: "io", variant: "sequential", tasks: defaults.ioTasks, repeat: 1, workers: 1, delay: `${defaults.delayMs}ms`, size: defaults.size },
    },
    {
      name: "the event loop sends no count: one coroutine per task",
      s: io, variant: "eventloop",
      want: { experiment: "io", variant: "eventloop", tasks: defaults.ioTasks, repeat: 1, delay: `${defaults.delayMs}ms`, size: defaults.size },
    },
    {
      name: "cpu sends n and its repeats, no delay",
      s: cpu, variant: "process",
      want: { experiment: "cpu", variant: "process", tasks: defaults.cpuTasks, repeat: defaults.cpuRepeat, preset: "cpu_mp", workers: 4, n: defaults.n },
    },
    {
      name: "race sends the mode and the yield",
      s: race, variant: "gil",
      want: { experiment: "race", variant: "gil", tasks: defaults.raceTasks, repeat: 1, workers: 5000, mode: "atomic", yield: true },
    },
  ];
  for (const c of cases) test(c.name, () => assert.deepEqual(jobFor(c.s, c.variant, c.workers), c.want));
  test("a state that left its preset names none", () => {
    assert.equal(jobFor({ ...cpu, preset: "" }, "process").preset, undefined);
  });
  test("a state whose experiment is not its preset's names none", () => {
    assert.equal(jobFor({ ...io, preset: "cpu_mp" }, "process").preset, undefined);
  });
});

describe("workKey: runs are comparable when they did the same work", () => {
  const io: Spec = { experiment: "io", variant: "pool", workers: 5, tasks: 160, delay: "50ms", size: 25000 };
  const cpu: Spec = { experiment: "cpu", variant: "process", workers: 2, tasks: 20, n: 1000 };
  const race: Spec = { experiment: "race", variant: "pool", workers: 5, tasks: 10, mode: "unsafe", yield: true };
  const same: [name: string, a: Spec, b: Spec][] = [
    ["another variant and count", io, { ...io, variant: "sequential", workers: 1 }],
    ["another preset label", cpu, { ...cpu, preset: "cpu_mp" }],
    ["another repeat count: the fastest is compared", cpu, { ...cpu, repeat: 3 }],
    ["a missing jitter is 0s", io, { ...io, jitter: "0s" }],
    ["a missing mode is unsafe", { ...race, mode: undefined }, race],
  ];
  for (const [name, a, b] of same) test(`the same work: ${name}`, () => assert.equal(workKey(a), workKey(b)));
  const different: [name: string, a: Spec, b: Spec][] = [
    ["more tasks", io, { ...io, tasks: 161 }],
    ["another delay", io, { ...io, delay: "10ms" }],
    ["another size", io, { ...io, size: 1 }],
    ["another n", cpu, { ...cpu, n: 1001 }],
    ["another mode", race, { ...race, mode: "mutex" }],
    ["no yield", race, { ...race, yield: false }],
    ["another experiment", { ...cpu, experiment: "race" }, cpu],
  ];
  for (const [name, a, b] of different) test(`other work: ${name}`, () => assert.notEqual(workKey(a), workKey(b)));
});

describe("describeWork", () => {
  const cases: [spec: Spec | Job, text: string][] = [
    [{ experiment: "io", tasks: 160, delay: "50ms", size: 25000 }, "160 downloads · latency 50ms · 25,000 bytes"],
    [{ experiment: "cpu", tasks: 20, n: 100_000_000 }, "20 sums · n = 100,000,000"],
    [{ experiment: "race", tasks: 5000, mode: "mutex" }, "5,000 tasks × 100 increments · mutex"],
    [{ experiment: "race", tasks: 10, yield: true }, "10 tasks × 100 increments · unsafe · yield between read and write"],
    [{ tasks: 3 }, "3 tasks"],
  ];
  for (const [spec, text] of cases) test(text, () => assert.equal(describeWork(spec), text));
});
