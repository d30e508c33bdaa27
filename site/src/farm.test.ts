import assert from "node:assert/strict";
import { test } from "node:test";
import { explainFarmFailure } from "./farm";
import type { Job } from "./types";

const io: Job = { experiment: "io", variant: "sequential", tasks: 4 };

test("a download that got no answer names the farm and why it matters", () => {
  const e = explainFarmFailure(new Error("task 0: TypeError: Failed to fetch"), io, "http://127.0.0.1:8080") as Error;
  assert.match(e.message, /no answer from the farm at http:\/\/127\.0\.0\.1:8080\/farm\//);
  assert.match(e.message, /the server that served this page/);
  assert.doesNotMatch(e.message, /TypeError/);
});

test("other errors, and other experiments, pass as they are", () => {
  const canceled = Object.assign(new Error("canceled"), { code: "canceled" });
  assert.equal(explainFarmFailure(canceled, io, "x"), canceled);
  const cpu = new Error("TypeError: Failed to fetch");
  assert.equal(explainFarmFailure(cpu, { ...io, experiment: "cpu" }, "x"), cpu);
});
