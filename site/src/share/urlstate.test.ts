import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { limits } from "../gen/facts.gen";
import { defaultParams, presets, variantOrder } from "../presets";
import { stateForPreset, type PlaygroundState } from "../state";
import { intParams } from "../form/bounds";
import { applyParams, parseVariants, queryFromState, stateFromQuery, stateKeys } from "./urlstate";

const cores = 4;
const parse = (query: string) => stateFromQuery(new URLSearchParams(query), cores);
const serialize = (s: PlaygroundState) => queryFromState(s, cores).toString();

/** States worth a link, each with the query it is written as. */
const written: [name: string, s: PlaygroundState, query: string][] = [
  ["a preset as it starts", stateForPreset("cpu_mp", cores), "preset=cpu_mp"],
  ["a preset with more workers", { ...stateForPreset("cpu_mp", cores), workers: 8 }, "preset=cpu_mp&workers=8"],
  ["a preset on another variant", { ...stateForPreset("io_threading", cores), variant: "eventloop" }, "preset=io_threading&variant=eventloop"],
  [
    "a preset's repeats changed",
    { ...stateForPreset("cpu_threading", cores), params: { ...defaultParams("cpu"), repeat: 7 } },
    "preset=cpu_threading&repeat=7",
  ],
  [
    "io without a preset, every parameter changed",
    { ...stateForPreset("io_threading", cores), preset: "", workers: 3, params: { ...defaultParams("io"), tasks: 20, delay: 5, size: 100, repeat: 2 } },
    "experiment=io&variant=pool&workers=3&tasks=20&delay=5&size=100&repeat=2",
  ],
  [
    "cpu without a preset, another n",
    { ...stateForPreset("cpu_mp", cores), preset: "", params: { ...defaultParams("cpu"), n: 5_000_000 } },
    "experiment=cpu&variant=process&workers=4&n=5000000",
  ],
  [
    "race with a mode and a yield",
    { ...stateForPreset("race_condition", cores), params: { ...defaultParams("race"), mode: "mutex", yield: true } },
    "preset=race_condition&mode=mutex&yield=1",
  ],
  [
    "an embed offering two variants",
    { ...stateForPreset("io_threading", cores), variant: "pool", variants: ["sequential", "pool"] },
    "preset=io_threading&variants=sequential%2Cpool",
  ],
];

describe("queryFromState writes only what differs from the preset", () => {
  for (const [name, s, query] of written) test(`${name}: ${query}`, () => assert.equal(serialize(s), query));
});

describe("stateFromQuery(queryFromState(s)) is s", () => {
  for (const [name, s] of written) test(name, () => assert.deepEqual(parse(serialize(s)), s));
  for (const p of presets) test(`the preset ${p.name}`, () => assert.deepEqual(parse(serialize(stateForPreset(p.name, cores))), stateForPreset(p.name, cores)));
});

describe("stateFromQuery: a value it cannot use falls back to the preset's", () => {
  const base = stateForPreset("cpu_mp", cores);
  const cases: [query: string, field: string, got: (s: PlaygroundState) => unknown, want: unknown][] = [
    ["workers=abc", "workers", (s) => s.workers, base.workers],
    ["workers=0", "workers", (s) => s.workers, base.workers],
    ["workers=-3", "workers", (s) => s.workers, base.workers],
    ["workers=2.5", "workers", (s) => s.workers, base.workers],
    [`workers=${intParams.workers[1] + 1}`, "workers", (s) => s.workers, base.workers],
    ["repeat=0", "repeat", (s) => s.params.repeat, base.params.repeat],
    [`repeat=${limits.repeat + 1}`, "repeat", (s) => s.params.repeat, base.params.repeat],
    ["repeat=two", "repeat", (s) => s.params.repeat, base.params.repeat],
    [`repeat=${limits.repeat}`, "repeat", (s) => s.params.repeat, limits.repeat],
    ["repeat=1", "repeat", (s) => s.params.repeat, 1],
    [`n=${limits.n + 1}`, "n", (s) => s.params.n, base.params.n],
    ["variant=thread", "variant", (s) => s.variant, base.variant],
    ["mode=lock", "mode", (s) => s.params.mode, base.params.mode],
    ["experiment=gpu", "experiment", (s) => s.experiment, base.experiment],
  ];
  for (const [query, field, got, want] of cases) {
    test(`preset=cpu_mp&${query}: ${field} is ${JSON.stringify(want)}`, () => assert.deepEqual(got(parse(`preset=cpu_mp&${query}`)), want));
  }
  test("an unknown preset is the first preset", () => assert.deepEqual(parse("preset=nope"), stateForPreset("io_non_concurrent", cores)));
  test("an experiment without a preset takes that experiment's defaults", () => {
    const s = parse("experiment=race");
    assert.equal(s.preset, "");
    assert.equal(s.experiment, "race");
    assert.deepEqual(s.params, defaultParams("race"));
  });
  test("a preset wins over an experiment", () => assert.equal(parse("preset=cpu_mp&experiment=io").experiment, "cpu"));
  test("a variant the link does not offer gives way to the first offered", () => {
    const s = parse("preset=cpu_mp&variants=gil,pool&variant=process");
    assert.deepEqual(s.variants, ["pool", "gil"]);
    assert.equal(s.variant, "pool");
  });
  test("yield is on only for 1", () => {
    assert.equal(parse("preset=race_condition&yield=1").params.yield, true);
    assert.equal(parse("preset=race_condition&yield=yes").params.yield, false);
  });
});

describe("parseVariants", () => {
  const cases: [list: string, want: readonly string[]][] = [
    ["process,sequential", ["sequential", "process"]],
    [" pool , pool,gil", ["pool", "gil"]],
    ["threads,", []],
    ["", []],
    [variantOrder.join(","), variantOrder],
  ];
  for (const [list, want] of cases) test(JSON.stringify(list), () => assert.deepEqual(parseVariants(list), want));
});

describe("applyParams refuses bad parameters with the reason", () => {
  const current = stateForPreset("cpu_mp", cores);
  const processes = limits.processWorkers; // cpu_mp's variant is the process pool
  const cases: [params: unknown, errors: string[]][] = [
    [null, ['params: want an object such as {"preset":"cpu_mp","workers":4}']],
    [[1, 2], ['params: want an object such as {"preset":"cpu_mp","workers":4}']],
    ["preset=cpu_mp", ['params: want an object such as {"preset":"cpu_mp","workers":4}']],
    [{ workerz: 2 }, [`workerz: not a parameter; the parameters are ${stateKeys.join(", ")}`]],
    [{ workers: [2] }, ["workers: want a string or a number"]],
    [{ workers: 0 }, [`workers: 0 is out of range 1..${processes}`]],
    [{ workers: 2.5 }, [`workers: 2.5 is not a whole number; a whole number in 1..${processes} is needed`]],
    [{ workers: limits.workers }, [`workers: ${limits.workers} is out of range 1..${processes}`]],
    [{ variant: "process", workers: limits.workers }, [`workers: ${limits.workers} is out of range 1..${processes}`]],
    [{ variant: "pool", workers: 0 }, [`workers: 0 is out of range 1..${intParams.workers[1]}`]],
    [{ repeat: limits.repeat + 1 }, [`repeat: ${limits.repeat + 1} is out of range 1..${limits.repeat}`]],
    [{ repeat: 0 }, [`repeat: 0 is out of range 1..${limits.repeat}`]],
    [{ preset: "cpu_gpu" }, ["preset: cpu_gpu is not a preset"]],
    [{ experiment: "gpu" }, ["experiment: gpu is not one of io, cpu, race"]],
    [{ variant: "threads" }, ["variant: threads is not one of sequential, eventloop, pool, gil, process"]],
    [{ variants: "threads" }, ["variants: threads names none of sequential, eventloop, pool, gil, process"]],
    [{ mode: "lock" }, ["mode: lock is not one of unsafe, mutex, atomic"]],
    [{ yield: "maybe" }, ["yield: want true or false"]],
    [{ workers: 0, mode: "lock" }, [`workers: 0 is out of range 1..${processes}`, "mode: lock is not one of unsafe, mutex, atomic"]],
  ];
  for (const [params, errors] of cases) {
    test(JSON.stringify(params) ?? String(params), () => assert.deepEqual(applyParams(current, params, cores), { errors }));
  }
});

describe("applyParams applies good parameters", () => {
  const current: PlaygroundState = { ...stateForPreset("cpu_mp", cores), workers: 3, variants: ["pool", "process"] };
  test("on top of the current state", () => {
    const { state, errors } = applyParams(current, { workers: 8, repeat: 5 }, cores);
    assert.deepEqual(errors, []);
    assert.deepEqual(state, { ...current, workers: 8, params: { ...current.params, repeat: 5 } });
  });
  test("a new preset starts from its own defaults, keeping the offered variants", () => {
    const { state } = applyParams(current, { preset: "race_condition", yield: true }, cores);
    assert.deepEqual(state, { ...stateForPreset("race_condition", cores), variants: ["pool", "process"], params: { ...defaultParams("race"), yield: true } });
  });
  test("numbers may come as text", () => assert.equal(applyParams(current, { workers: "6" }, cores).state?.workers, 6));
  test("a pool takes more workers than a process pool may", () => {
    assert.equal(applyParams(current, { variant: "pool", workers: limits.processWorkers + 1 }, cores).state?.workers, limits.processWorkers + 1);
  });
});
