import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { BatchProgress } from "./batch";
import type { Run } from "./runs";
import type { Variant } from "../types";

type R = Pick<Run, "id" | "status" | "where" | "variant" | "purpose" | "job">;
const run = (id: number, variant: Variant, where: Run["where"], purpose: Run["purpose"] = "run", workers = 2): R => ({ id, variant, where, purpose, status: "queued", job: { workers } });

describe("BatchProgress says how far a batch has got", () => {
  test("a run of every variant, as it goes", () => {
    const b = new BatchProgress();
    const runs = [run(1, "sequential", "browser"), run(2, "eventloop", "browser"), run(3, "process", "native")];
    runs[0]!.status = "running";
    assert.equal(b.update(runs), "1 of 3 · sequential in this browser");
    runs[0]!.status = "done";
    runs[1]!.status = "running";
    assert.equal(b.update(runs), "2 of 3 · event loop in this browser");
    runs[1]!.status = "failed";
    runs[2]!.status = "running";
    assert.equal(b.update(runs), "3 of 3 · process pool on the backend");
    runs[2]!.status = "done";
    assert.equal(b.update(runs), "", "an idle queue ends the batch");
  });
  test("a single run says nothing", () => {
    const b = new BatchProgress();
    const r = run(1, "pool", "native");
    r.status = "running";
    assert.equal(b.update([r]), "");
  });
  test("a sweep names each run's workers", () => {
    const b = new BatchProgress();
    const runs = [1, 2, 4].map((w, i) => run(10 + i, "pool", "native", "sweep", w));
    runs[0]!.status = "done";
    runs[1]!.status = "running";
    assert.equal(b.update(runs.slice(1)), "1 of 2 · thread pool × 2 on the backend", "the batch is what was going when it was first seen");
  });
  test("a new batch after an idle queue starts counting again", () => {
    const b = new BatchProgress();
    const first = [run(1, "sequential", "browser"), run(2, "pool", "native")];
    first[0]!.status = "running";
    b.update(first);
    for (const r of first) r.status = "done";
    b.update(first);
    const next = [...first, run(3, "sequential", "native"), run(4, "gil", "native")];
    next[2]!.status = "running";
    assert.equal(b.update(next), "1 of 2 · sequential on the backend");
  });
});
