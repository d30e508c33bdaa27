import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { Run } from "./runs";
import { againstLessonNote, spansNote, startupNote } from "./runnotes";
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

describe("againstLessonNote says when a pool's figure goes against the lesson", () => {
  const ms = 1e6;
  const cpu = (variant: Result["variant"], workers: number, duration: number, extra: Partial<Result> = {}) =>
    ({ experiment: "cpu", variant, workers, tasks: 20, duration_ns: duration * ms, where: "native", machine: { cores: 2 }, ...extra }) as unknown as Result;
  const sequential = cpu("sequential", 1, 578);

  test("a process pool no faster than sequential, repeats close together: said, with the cause and a rerun", () => {
    const note = againstLessonNote(cpu("process", 2, 596, { repeats: [596, 601, 610].map((d) => d * ms) }), sequential);
    assert.match(note, /^This goes against the lesson: 2 processes computed 0\.97× as fast as the sequential run's 578 ms, no faster than the sequential run, and its repeats agree/);
    assert.match(note, /something else used a core of the backend's machine while it ran/);
    assert.match(note, /run it again/);
  });
  test("a browser process pool below half its ideal on 4 cores is said", () => {
    const note = againstLessonNote(cpu("process", 4, 300, { where: "browser", machine: { cores: 4 } } as Partial<Result>), { ...sequential, where: "browser" } as Result);
    assert.match(note, /1\.93× as fast .*below half of the 4\.0× that 4 cores allow, and it ran once\. Likely something else used a core of this machine/);
  });
  test("the browser's 0.79× is said", () => {
    assert.match(againstLessonNote(cpu("process", 2, 732, { where: "browser" }), sequential), /0\.79× as fast/);
  });
  test("a pool at its lesson, a wide spread, the GIL, the browser's goroutine pool or I/O: nothing", () => {
    assert.equal(againstLessonNote(cpu("process", 2, 300), sequential), "");
    assert.equal(againstLessonNote(cpu("pool", 2, 600, { repeats: [600, 900, 1200].map((d) => d * ms) }), sequential), "");
    assert.equal(againstLessonNote(cpu("gil", 2, 600), sequential), "");
    assert.equal(againstLessonNote(cpu("pool", 2, 600, { where: "browser" }), sequential), "");
    assert.equal(againstLessonNote({ ...cpu("pool", 2, 600), experiment: "io" } as Result, sequential), "");
    assert.equal(againstLessonNote(cpu("pool", 2, 600), undefined), "");
    assert.equal(againstLessonNote(cpu("pool", 1, 600), sequential), "");
  });
});
