import assert from "node:assert/strict";
import { test } from "node:test";
import { tickDecimals, tickLabels } from "./ticks";

test("ticks at a run's first instant read apart, not 0.000 0.000 0.001", () => {
  const labels = tickLabels([0, 0.0002, 0.0004, 0.0006, 0.0008, 0.001]);
  assert.deepEqual(labels, ["0", "0.0002", "0.0004", "0.0006", "0.0008", "0.0010"]);
  assert.equal(new Set(labels).size, labels.length);
});

test("each step gets the decimals it needs", () => {
  assert.deepEqual(tickLabels([0, 50, 100, 150]), ["0", "50", "100", "150"]);
  assert.deepEqual(tickLabels([0.25, 0.5, 0.75]), ["0.25", "0.50", "0.75"]);
  assert.deepEqual(tickLabels([1000, 2000]), ["1000", "2000"]);
  assert.deepEqual(tickLabels([3.1, 3.2, 3.3]), ["3.1", "3.2", "3.3"]);
  assert.equal(tickDecimals(0.05), 2);
  assert.equal(tickDecimals(0.1), 1);
  assert.equal(tickDecimals(5), 0);
});
