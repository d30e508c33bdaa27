import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { CodeMarks, markedText } from "./codemarks";

describe("CodeMarks", () => {
  test("a pointed kind wins over the hovered span's, which wins over the pinned one", () => {
    const m = new CodeMarks();
    assert.deepEqual(m.pin("wait"), { marked: "wait", markChanged: true, lightSpans: "wait" });
    assert.deepEqual(m.span("run"), { marked: "run", markChanged: true });
    assert.deepEqual(m.point("spawn"), { marked: "spawn", markChanged: true, lightSpans: "spawn" });
    assert.deepEqual(m.point(null), { marked: "run", markChanged: true, lightSpans: "wait" });
    assert.deepEqual(m.span(null), { marked: "wait", markChanged: true });
  });
  test("a second click unpins; a span already hovered changes nothing", () => {
    const m = new CodeMarks();
    m.pin("run");
    assert.deepEqual(m.pin("run"), { marked: null, markChanged: true, lightSpans: null });
    assert.equal(m.pinned, null);
    m.span("wait");
    assert.equal(m.span("wait"), null);
  });
  test("new lines are marked and said again", () => {
    const m = new CodeMarks();
    m.pin("wait");
    assert.deepEqual(m.shown(), { marked: "wait", markChanged: true });
    assert.ok(m.spansLit("wait"));
  });
});

test("markedText says the lines, and the spans when lit", () => {
  assert.equal(markedText("wait", 0, 1, 8), "waiting: 0 Python and 1 Go lines marked; 8 waiting spans lit in the timeline.");
  assert.equal(markedText("run", 0, 0, null), "computing: no line of this code.");
});
