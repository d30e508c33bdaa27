import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { groupLanes, groupingNote, rowLanes } from "./lanes";

describe("groupLanes", () => {
  test("keeps a lane per row while they fit", () => {
    assert.deepEqual(groupLanes(1, 50), { group: 1, rows: 1 });
    assert.deepEqual(groupLanes(50, 50), { group: 1, rows: 50 });
  });

  test("groups by round sizes past the rows that fit", () => {
    assert.deepEqual(groupLanes(5000, 50), { group: 100, rows: 50 });
    assert.deepEqual(groupLanes(5000, 34), { group: 200, rows: 25 });
    assert.deepEqual(groupLanes(51, 50), { group: 2, rows: 26 });
    assert.deepEqual(groupLanes(160, 50), { group: 5, rows: 32 });
    assert.deepEqual(groupLanes(10_000, 1), { group: 10_000, rows: 1 });
  });

  test("never draws more rows than fit, nor a group larger than needed", () => {
    for (const lanes of [2, 7, 99, 101, 640, 4999, 5001, 12_345]) {
      for (const fit of [1, 3, 10, 34, 50]) {
        const g = groupLanes(lanes, fit);
        assert.ok(g.rows <= fit, `${lanes} lanes in ${fit} rows: ${g.rows}`);
        assert.equal(g.rows, Math.ceil(lanes / g.group));
      }
    }
  });
});

test("groupingNote says what is aggregated, and nothing when nothing is", () => {
  assert.equal(groupingNote(5000, { group: 100, rows: 50 }, "thread"), "5,000 threads shown as 50 lanes of 100: each lane draws every span of its threads.");
  assert.equal(groupingNote(4, { group: 1, rows: 4 }, "thread"), "");
  assert.equal(groupingNote(64, { group: 2, rows: 32 }, "process"), "64 processes shown as 32 lanes of 2: each lane draws every span of its processes.");
});

test("rowLanes: the last row holds what is left", () => {
  assert.deepEqual(rowLanes(0, { group: 100, rows: 50 }, 5000), { first: 0, last: 99 });
  assert.deepEqual(rowLanes(2, { group: 5, rows: 3 }, 12), { first: 10, last: 11 });
});
