import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { Handout, type Batch } from "./handout";

/**
 * Runs a pool of processes on handout, each process taking a task `cost[p]` ms to run, and
 * answering at once: which batches each process ran, and when each ended.
 */
function simulate(h: Handout, cost: number[]): { ran: Batch[][]; ended: number[] } {
  const ran: Batch[][] = cost.map(() => []);
  const held: Batch[][] = cost.map(() => []);
  const answered = cost.map(() => 0);
  const free = cost.map(() => 0); // when each process ended its last batch
  const fill = (p: number) => {
    for (let b = h.take(held[p]!.length, answered[p]!); b; b = h.take(held[p]!.length, answered[p]!)) held[p]!.push(b);
  };
  cost.forEach((_, p) => fill(p));
  for (;;) {
    // the process whose running batch ends first answers it, and is handed more
    const ends = (q: number) => free[q]! + (held[q]![0]!.to - held[q]![0]!.from) * cost[q]!;
    let p = -1;
    for (let q = 0; q < cost.length; q++) if (held[q]!.length && (p < 0 || ends(q) < ends(p))) p = q;
    if (p < 0) break;
    free[p] = ends(p);
    const b = held[p]!.shift()!;
    ran[p]!.push(b);
    answered[p]!++;
    fill(p);
  }
  return { ran, ended: free };
}

const tasksOf = (ran: Batch[][]) => ran.flat().flatMap((b) => Array.from({ length: b.to - b.from }, (_, i) => b.from + i));

describe("Handout", () => {
  test("hands every task out once, in order, in batches of chunk", () => {
    const h = new Handout(10, 3, 2);
    const got: Batch[] = [];
    for (let b = h.take(0, 0); b; b = h.take(0, 0)) got.push(b);
    assert.deepEqual(got, [{ from: 0, to: 3 }, { from: 3, to: 6 }, { from: 6, to: 9 }, { from: 9, to: 10 }]);
    assert.equal(h.left, 0);
    assert.equal(h.take(0, 0), undefined);
  });

  test("a process that runs holds one batch besides while more are left than processes", () => {
    const h = new Handout(20, 1, 2);
    assert.deepEqual(h.take(0, 0), { from: 0, to: 1 });
    assert.equal(h.take(1, 0), undefined, "not before its first answer: the other process may still be starting");
    assert.deepEqual(h.take(0, 1), { from: 1, to: 2 });
    assert.deepEqual(h.take(1, 1), { from: 2, to: 3 });
    assert.equal(h.take(2, 1), undefined, "never three");
  });

  test("near the end a process holds only the batch it runs", () => {
    const h = new Handout(5, 1, 2);
    assert.deepEqual(h.take(0, 0), { from: 0, to: 1 }, "process 1");
    assert.deepEqual(h.take(0, 0), { from: 1, to: 2 }, "process 2");
    assert.deepEqual(h.take(0, 1), { from: 2, to: 3 }, "process 1, after its first answer");
    assert.equal(h.left, 2);
    assert.equal(h.take(1, 1), undefined, "2 left for 2 processes: whoever is free first takes each");
    assert.deepEqual(h.take(0, 1), { from: 3, to: 4 }, "process 2, after its first answer");
  });

  test("processes of equal speed share the lesson's 20 tasks evenly", () => {
    const { ran, ended } = simulate(new Handout(20, 1, 2), [30, 30]);
    assert.deepEqual(tasksOf(ran).sort((a, b) => a - b), [...Array(20).keys()]);
    assert.deepEqual(ran.map((r) => r.length), [10, 10]);
    assert.deepEqual(ended, [300, 300]);
  });

  test("a slower process is left at most one task behind at the end", () => {
    for (const cost of [[30, 45], [30, 31], [45, 30, 30], [30, 60, 33, 31]]) {
      for (const tasks of [5, 20, 21, 100]) {
        const { ran, ended } = simulate(new Handout(tasks, 1, cost.length), cost);
        assert.equal(tasksOf(ran).length, tasks);
        const last = Math.max(...ended);
        // no process idles at the end for longer than the slowest process's task
        for (const [p, e] of ended.entries()) assert.ok(last - e <= Math.max(...cost), `${cost} × ${tasks}: process ${p} idles ${last - e} ms`);
      }
    }
  });

  test("the race's chunks: Pool.map's four chunks a process", () => {
    const { ran } = simulate(new Handout(5000, Math.ceil(5000 / 8), 2), [1, 1]);
    assert.equal(ran.flat().length, 8);
    assert.deepEqual(tasksOf(ran).sort((a, b) => a - b).length, 5000);
  });
});
