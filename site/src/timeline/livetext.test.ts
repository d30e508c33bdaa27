import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { Run } from "../run/runs";
import { LiveRepeats, progressText, repeatMarks, titleText } from "./livetext";

const run = (o: Record<string, unknown>) =>
  ({ id: 1, number: 3, purpose: "run", where: "native", variant: "pool", job: { workers: 4, tasks: 20, repeat: 3 }, progress: { done: 0, total: 60 }, spans: { n: 0, maxEnd: 0 }, ...o }) as unknown as Run;

describe("the timeline panel's words", () => {
  test("progress says the repeat and the tasks", () => {
    assert.equal(progressText(run({ progress: { done: 25, total: 60 } })), "repeat 2 of 3: 5 of 20 tasks");
    assert.equal(progressText(run({ job: { tasks: 20 }, progress: { done: 5, total: 20 } })), "5 of 20 tasks");
  });
  test("the title of a running run, and of one that ended with nothing drawn", () => {
    assert.equal(titleText(run({ status: "running", progress: { done: 5, total: 60 }, spans: { n: 7 } })), "Run 3: thread pool × 4 in the native backend, running: repeat 1 of 3: 5 of 20 tasks, 7 spans so far");
    assert.equal(titleText(run({ status: "canceled", error: "canceled by you" })), "Run 3: thread pool × 4 in the native backend: canceled by you; no task finished, so there is nothing to draw");
    assert.equal(titleText(run({ status: "failed", error: "boom", spans: { n: 2 } })), "Run 3: thread pool × 4 in the native backend: failed (boom)");
  });
});

describe("repeat marks", () => {
  test("live, where the timeline had got when progress passed into each repeat", () => {
    const live = new LiveRepeats();
    live.note(run({ progress: { done: 3, total: 60 }, spans: { maxEnd: 4 } }));
    live.note(run({ progress: { done: 21, total: 60 }, spans: { maxEnd: 12.5 } }));
    assert.deepEqual(live.of(1), [0, 12.5]);
    assert.deepEqual(repeatMarks(run({}), live.of(1)), [
      { start: 0, label: "repeat 1", short: "1" },
      { start: 12.5, label: "repeat 2", short: "2" },
    ]);
    live.forget(1);
    assert.deepEqual(live.of(1), []);
  });
  test("from the result's durations once it is in, the fastest named", () => {
    const marks = repeatMarks(run({ result: { repeats: [3e6, 2e6, 4e6] } }), [0, 99]);
    assert.deepEqual(marks.map((m) => [m.start, m.label]), [[0, "repeat 1"], [3, "repeat 2 · fastest"], [5, "repeat 3"]]);
    assert.deepEqual(repeatMarks(run({ result: { repeats: [3e6] } }), [0, 1]), []);
  });
});
