import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { isTie, move, onePerVariant, ordinal, parseGuess, reason, reconcile, scorePrediction, type Measured, type Work } from "./predict";

const ms = 1e6;
const cpu: Work = { experiment: "cpu", tasks: 20 };
/** A CPU batch shaped like the lesson's on two cores: the GIL about sequential, the pools about half. */
const cpuBatch: Measured[] = [
  { variant: "sequential", where: "native", durationNs: 480 * ms, workers: 1 },
  { variant: "pool", where: "native", durationNs: 245 * ms, workers: 5 },
  { variant: "gil", where: "native", durationNs: 470 * ms, workers: 5 },
  { variant: "process", where: "native", durationNs: 260 * ms, workers: 2, spawnNs: 20 * ms },
];

describe("scorePrediction counts the pairs the guess put in the measured order", () => {
  test("the measured order itself scores every pair", () => {
    const s = scorePrediction(["pool", "process", "gil", "sequential"], cpuBatch, cpu);
    assert.equal(s.total, 6);
    assert.equal(s.correct, 6);
    assert.deepEqual(s.misses, []);
    assert.deepEqual(s.measured.map((m) => m.variant), ["pool", "process", "gil", "sequential"]);
  });
  test("runs closer than the tie share count as right either way", () => {
    // pool and process are 6 % apart, gil and sequential 2 %: swapping within those ties costs nothing
    const s = scorePrediction(["process", "pool", "sequential", "gil"], cpuBatch, cpu);
    assert.equal(s.correct, 6);
    assert.deepEqual(s.misses, []);
    assert.deepEqual(s.placeRight, [true, true, true, true], "the table colours no forgiven swap as a miss");
  });
  test("expecting threads to beat sequential on CPU under the GIL is a miss, explained by the lock", () => {
    const s = scorePrediction(["gil", "pool", "process", "sequential"], cpuBatch, cpu);
    assert.equal(s.total, 6);
    assert.equal(s.correct, 4); // gil before pool and before process are the two wrong pairs
    const gil = s.misses.find((m) => m.variant === "gil");
    assert.ok(gil, "the GIL run is a miss");
    assert.equal(gil.predictedPlace, 1);
    assert.equal(gil.measuredPlace, 3);
    assert.match(gil.reason, /Threads don't speed up CPU work under the interpreter lock/);
    assert.match(gil.reason, /470 ms against sequential's 480 ms/);
    // the places the table colours: gil, pool and process are in a wrong pair, sequential in none
    assert.deepEqual(s.placeRight, [false, false, false, true]);
  });
  test("a guess narrows to the variants that were measured", () => {
    const s = scorePrediction(["eventloop", "pool", "sequential"], cpuBatch.slice(0, 2), cpu);
    assert.deepEqual(s.predicted, ["pool", "sequential"]);
    assert.equal(s.total, 1);
  });
});

describe("the reason is chosen by the figures, not by the variant's name", () => {
  test("a GIL run far from sequential does not get the lesson's sentence", () => {
    const odd: Measured[] = [cpuBatch[0]!, { variant: "gil", where: "native", durationNs: 900 * ms, workers: 5 }];
    const r = reason(odd[1]!, odd, cpu);
    assert.doesNotMatch(r, /don't speed up/);
    assert.match(r, /slower than sequential's 480 ms/);
  });
  test("processes whose start-up is a large share of the run: start-up outweighs the job", () => {
    const small: Measured[] = [
      { variant: "sequential", where: "native", durationNs: 10 * ms, workers: 1 },
      { variant: "process", where: "native", durationNs: 30 * ms, workers: 2, spawnNs: 18 * ms },
    ];
    assert.match(reason(small[1]!, small, cpu), /Process start-up outweighs a job this small: each process took 18.0 ms to start, 60 % of the pool's 30.0 ms/);
  });
  test("processes that beat sequential by far are said to use the cores, start-up included", () => {
    assert.match(reason(cpuBatch[3]!, cpuBatch, cpu), /processes computed on several cores at once: 260 ms, 1.8× faster/);
  });
  test("a pool no faster than a tiny sequential job: the job is too small to share", () => {
    const tiny: Measured[] = [
      { variant: "sequential", where: "native", durationNs: 5 * ms, workers: 1 },
      { variant: "pool", where: "native", durationNs: 8 * ms, workers: 5 },
    ];
    assert.match(reason(tiny[1]!, tiny, cpu), /A job this small \(5.00 ms in one piece\) leaves little to share: starting and feeding 5 workers/);
    // the same slowdown on a large job is not blamed on its size
    const big: Measured[] = [
      { variant: "sequential", where: "native", durationNs: 500 * ms, workers: 1 },
      { variant: "pool", where: "native", durationNs: 800 * ms, workers: 5 },
    ];
    assert.match(reason(big[1]!, big, cpu), /No gain from more workers/);
  });
  test("the event loop's I/O time matching six downloads at a time names the browser's connections", () => {
    const io: Work = { experiment: "io", tasks: 24, delayNs: 60 * ms, connections: 6 };
    const runs: Measured[] = [
      { variant: "sequential", where: "browser", durationNs: 1500 * ms, workers: 1 },
      { variant: "eventloop", where: "browser", durationNs: 260 * ms, workers: 24 },
    ];
    assert.match(reason(runs[1]!, runs, io), /The browser's 6 connections cap the event loop: 24 downloads go 6 at a time, ⌈24 ÷ 6⌉ × 60.0 ms = 240 ms; it took 260 ms/);
    // the same run without a connection cap (HTTP/2): the overlap, not the six
    assert.doesNotMatch(reason(runs[1]!, runs, { ...io, connections: null }), /connections/);
  });
  test("threads with the interpreter lock match the thread pool on I/O: the lock is let go while waiting", () => {
    const io: Work = { experiment: "io", tasks: 40, delayNs: 50 * ms };
    const runs: Measured[] = [
      { variant: "sequential", where: "native", durationNs: 2000 * ms, workers: 1 },
      { variant: "pool", where: "native", durationNs: 410 * ms, workers: 5 },
      { variant: "gil", where: "native", durationNs: 420 * ms, workers: 5 },
    ];
    assert.match(reason(runs[2]!, runs, io), /let go while a thread waits on I\/O/);
  });
});

test("onePerVariant prefers the backend's run, where the pools ran", () => {
  const runs: Measured[] = [
    { variant: "sequential", where: "browser", durationNs: 600 * ms, workers: 1 },
    { variant: "eventloop", where: "browser", durationNs: 610 * ms, workers: 20 },
    { variant: "sequential", where: "native", durationNs: 480 * ms, workers: 1 },
  ];
  assert.deepEqual(onePerVariant(runs).map((m) => `${m.variant}@${m.where}`), ["sequential@native", "eventloop@browser"]);
});

describe("parseGuess reads a shared guess and says what is wrong with a bad one", () => {
  test("a list of variants", () => assert.deepEqual(parseGuess("pool,process,sequential"), ["pool", "process", "sequential"]));
  test("an unknown name", () => assert.match(parseGuess("pool,threads") as string, /guess: "threads" is not a variant; the variants are sequential, eventloop, pool, gil, process/));
  test("a name twice", () => assert.match(parseGuess("pool,pool") as string, /named twice/));
  test("one name", () => assert.match(parseGuess("pool") as string, /at least two/));
});

test("move and reconcile keep the guess a permutation of what is offered", () => {
  assert.deepEqual(move(["a", "b", "c"] as never, 2, -1), ["a", "c", "b"]);
  assert.deepEqual(move(["a", "b", "c"] as never, 0, -1), ["a", "b", "c"]);
  assert.deepEqual(reconcile(["pool", "sequential", "gil"], ["sequential", "eventloop", "pool"]), ["pool", "sequential", "eventloop"]);
});

test("isTie and ordinal", () => {
  assert.ok(isTie(100, 109));
  assert.ok(!isTie(100, 112));
  assert.deepEqual([1, 2, 3, 4, 11, 12, 13, 21, 22].map(ordinal), ["1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd"]);
});

describe("every reason is a sentence", () => {
  test("it starts with a capital letter", () => {
    const batches: [Measured[], Work][] = [
      [cpuBatch, cpu],
      [cpuBatch.map((m) => (m.variant === "process" ? { ...m, spawnNs: 1 * ms, durationNs: 200 * ms } : m)), cpu],
      [cpuBatch, { experiment: "io", tasks: 160, delayNs: 50 * ms, connections: 6 }],
      [cpuBatch, { experiment: "race", tasks: 5000 }],
    ];
    for (const [batch, work] of batches) {
      for (const m of batch) {
        const r = reason(m, batch, work);
        assert.match(r, /^[A-Z⌈0-9]/, `${m.variant}: ${r}`);
      }
    }
  });
});
