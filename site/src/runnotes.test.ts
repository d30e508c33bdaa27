import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { Run } from "./runs";
import { spansNote } from "./runnotes";
import type { Result } from "./types";

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
