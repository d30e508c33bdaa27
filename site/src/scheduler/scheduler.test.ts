import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { allFinished, blocked, initialState, lost, nextStep, program, stale, step, type AwaitPlace, type SchedulerMode, type SchedulerState, type ThreadName } from "./scheduler";

/** Steps the threads in the order given ("AABB…"); returns the final state and what was said. */
function play(mode: SchedulerMode, order: string, awaitAfter: AwaitPlace = "read"): { s: SchedulerState; said: string[] } {
  let s = initialState(mode, awaitAfter);
  const said: string[] = [];
  for (const t of order) {
    const out = step(s, t as ThreadName);
    s = out.state;
    said.push(out.said);
  }
  return { s, said };
}

describe("unsafe: read, add and write are separate steps", () => {
  test("one thread after the other loses nothing", () => {
    const { s } = play("unsafe", "AAABBB");
    assert.equal(s.counter, 2);
    assert.equal(lost(s), 0);
    assert.ok(allFinished(s));
  });
  test("both reads before either write lose an update, and the write that loses it says so", () => {
    const { s, said } = play("unsafe", "ABAABB");
    assert.equal(s.counter, 1);
    assert.equal(lost(s), 1);
    assert.match(said[5]!, /A's increment is lost: B read 0 before A wrote 1/);
    assert.match(said[5]!, /counter is 1 of 2, 1 update lost/);
  });
  test("the lost update shows at the write that overwrites, not only at the end", () => {
    const { s } = play("unsafe", "ABAAB"); // A has written 1; B read 0, added, and now writes 1
    assert.equal(lost(s), 0);
    assert.ok(stale(s, "B"), "B's copy was read before A's write");
    const after = step(s, "B").state;
    assert.equal(lost(after), 1);
  });
  test("a finished thread cannot step, and says why", () => {
    const { s } = play("unsafe", "AAA");
    assert.equal(blocked(s, "A"), "A has finished");
    assert.equal(blocked(s, "B"), null);
    assert.throws(() => step(s, "A"), /A cannot step: A has finished/);
  });
});

describe("mutex: the lock makes the other thread wait", () => {
  test("while A holds the lock, B waits at its acquire and its button says why", () => {
    const { s } = play("mutex", "AA"); // A acquired and read
    assert.equal(s.lockHolder, "A");
    assert.equal(nextStep(s, "B")?.kind, "acquire");
    assert.equal(blocked(s, "B"), "B waits: A holds the lock");
    assert.throws(() => step(s, "B"), /B waits: A holds the lock/);
  });
  test("B goes on once A releases, and nothing is lost in any allowed order", () => {
    for (const order of ["AAAAABBBBB", "BBBBBAAAAA"]) {
      const { s } = play("mutex", order);
      assert.equal(s.counter, 2, order);
      assert.equal(lost(s), 0, order);
      assert.equal(s.lockHolder, null);
    }
  });
});

describe("atomic: read-add-write is one step", () => {
  test("each thread finishes in one step and the counter reaches 2", () => {
    assert.equal(program("atomic").length, 1);
    const { s } = play("atomic", "BA");
    assert.equal(s.counter, 2);
    assert.equal(lost(s), 0);
    assert.ok(allFinished(s));
  });
});

describe("event loop: a switch happens only at an await", () => {
  test("the running task keeps the loop until it awaits", () => {
    let s = step(initialState("eventloop", "add"), "A").state; // A read
    assert.equal(blocked(s, "B"), "B waits: the loop runs A until it awaits");
    s = step(s, "A").state; // A added
    assert.equal(nextStep(s, "A")?.kind, "await");
    s = step(s, "A").state; // A awaits: either may go
    assert.equal(blocked(s, "B"), null);
    assert.equal(blocked(s, "A"), null);
  });
  test("an await between the read and the write loses an update when the other task runs there", () => {
    const { s } = play("eventloop", "AABBBBAA", "read");
    assert.equal(s.counter, 1);
    assert.equal(lost(s), 1);
  });
  test("with no await, no order can interleave the tasks: nothing is lost", () => {
    let s = initialState("eventloop", "none");
    s = step(s, "B").state;
    assert.match(blocked(s, "A") ?? "", /waits/);
    s = step(step(s, "B").state, "B").state;
    s = step(step(step(s, "A").state, "A").state, "A").state;
    assert.equal(s.counter, 2);
    assert.equal(lost(s), 0);
  });
  test("the await sits where the reader placed it", () => {
    assert.deepEqual(program("eventloop", "read").map((x) => x.kind), ["read", "await", "add", "write"]);
    assert.deepEqual(program("eventloop", "add").map((x) => x.kind), ["read", "add", "await", "write"]);
    assert.deepEqual(program("eventloop", "none").map((x) => x.kind), ["read", "add", "write"]);
  });
});

test("a step returns a new state and leaves the old one as it was", () => {
  const s0 = initialState("unsafe");
  const s1 = step(s0, "A").state;
  assert.equal(s0.threads.A.pc, 0);
  assert.equal(s0.threads.A.copy, null);
  assert.equal(s1.threads.A.pc, 1);
});
