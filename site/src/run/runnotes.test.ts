import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { Run } from "./runs";
import { spansNote, startupNote } from "./runnotes";
import type { Result } from "../types";

const runWith = (r: Partial<Result>) => ({ result: { spans: 1000, ...r } }) as unknown as Run;

describe("spansNote says when the timeline is not every span the run made", () => {
  test("a full timeline says nothing", () => assert.equal(spansNote(runWith({})), ""));
  test("spans the server merged for a slow page are said, with how many", () => {
    assert.match(spansNote(runWith({ spans_coarsened: 417_697 })), /^; 417,697 spans were merged with the next of its lane because the page read them slower/);
  });
  test("merged and unrecorded spans are both said", () => {
    const note = spansNote(runWith({ spans_coarsened: 1, spans_dropped: 2 }));
    assert.match(note, /1 span was merged/);
    assert.match(note, /2 more spans were not recorded/);
  });
});

describe("startupNote sets a CPU process pool against a perfect split of the sequential run", () => {
  const ms = 1e6;
  const cpu = (variant: Result["variant"], workers: number, duration: number, cores = 2, tasks = 20) =>
    ({ experiment: "cpu", variant, workers, tasks, duration_ns: duration * ms, machine: { cores } }) as unknown as Result;
  const sequential = cpu("sequential", 1, 578);

  test("the ideal is the sequential run over the cores, and the processes' start is said", () => {
    assert.equal(
      startupNote(cpu("process", 2, 346), sequential, [28.4, 36.1]),
      "Split perfectly over 2 cores, the sequential run's 578 ms would take 289 ms; this pool's fastest repeat took 346 ms, " +
        "and its 2 processes took 28.4–36.1 ms each to start (the grey spans) before computing.",
    );
  });
  test("tasks that do not share out evenly: the busiest process runs ceil(tasks / processes) of them", () => {
    // 20 tasks on 3 processes: one runs 7, so 7/20 of the sequential run
    assert.match(startupNote(cpu("process", 3, 300, 4), sequential, [30, 30, 30]), /over 3 cores, the sequential run's 578 ms would take 202 ms/);
  });
  test("processes beyond the cores only queue: the ideal counts the cores", () => {
    assert.match(startupNote(cpu("process", 8, 400), sequential, Array(8).fill(40)), /over 2 cores, the sequential run's 578 ms would take 289 ms;.* its 8 processes took 40.0 ms each/);
  });
  test("a pool faster than a perfect split says the machine's speed changed", () => {
    assert.match(
      startupNote(cpu("process", 2, 280), cpu("sequential", 1, 770), [35, 35]),
      /less than that although its 2 processes took 35.0 ms each to start .*the machine's speed changed between the two runs\. Run both again\.$/,
    );
  });
  test("a timeline that lost spans, or a spawn short of one per process, says nothing of the start", () => {
    assert.equal(startupNote({ ...cpu("process", 2, 346), spans_coarsened: 10 }, sequential, [30, 30]), "");
    assert.equal(startupNote({ ...cpu("process", 2, 346), spans_dropped: 1 }, sequential, [30, 30]), "");
    assert.equal(startupNote(cpu("process", 2, 346), sequential, [30]), "");
  });
  test("nothing to say without a sequential run, spawn spans, or CPU work in a process pool", () => {
    assert.equal(startupNote(cpu("process", 2, 346), undefined, [30, 30]), "");
    assert.equal(startupNote(cpu("process", 2, 346), sequential, []), "");
    assert.equal(startupNote(cpu("pool", 2, 346), sequential, [30, 30]), "");
    assert.equal(startupNote({ ...cpu("process", 2, 346), experiment: "io" }, sequential, [30, 30]), "");
  });
});
