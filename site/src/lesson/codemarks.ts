// The code view's state: which kind of span (computing, waiting, starting) has its lines
// marked and its spans lit, from what the reader points at (a line, a kind's button), the span
// under the timeline's pointer, and what a click pinned. codeview.ts binds it to the DOM.

import { count } from "../format";
import { stateLabels } from "../labels";
import type { StateName } from "../types";

type Kind = StateName | null;

/** What changed after a move: the kind to mark, and the spans to light when they changed. */
export interface MarksChange {
  /** The kind whose lines are marked now (null: none). */
  marked: Kind;
  /** The kind whose spans to light, when that changed (undefined: as it was). */
  lightSpans?: Kind;
  /** Whether the marked kind changed (then it is said). */
  markChanged: boolean;
}

export class CodeMarks {
  /** The kind a click keeps marked. */
  pinned: Kind = null;
  private pointed: Kind = null;
  private spanKind: Kind = null;
  private lit: Kind = null;
  private litSpans: Kind = null;

  /** The reader points at a line or a button of kind k, or at none (null). */
  point(k: Kind): MarksChange {
    this.pointed = k;
    return this.change();
  }

  /** A click on a line or a button of kind k: pins it, or unpins it if it was. */
  pin(k: StateName): MarksChange {
    this.pinned = this.pinned === k ? null : k;
    return this.change();
  }

  /** The timeline's pointer is over a span of kind k, or over none; null when nothing changed. */
  span(k: Kind): MarksChange | null {
    if (k === this.spanKind) return null;
    this.spanKind = k;
    return this.change();
  }

  /** New lines are shown: their marks are set, and said, afresh. */
  shown(): MarksChange {
    this.lit = null;
    return this.change();
  }

  /**
   * The lines of the kind pointed at (a line, a button) are marked, else of the hovered span,
   * else of the pinned one; the spans of the kind pointed at or pinned are lit (a hovered
   * span's are under the pointer already).
   */
  private change(): MarksChange {
    const marked = this.pointed ?? this.spanKind ?? this.pinned;
    const spans = this.pointed ?? this.pinned;
    const out: MarksChange = { marked, markChanged: marked !== this.lit };
    if (spans !== this.litSpans) out.lightSpans = this.litSpans = spans;
    this.lit = marked;
    return out;
  }

  /** Whether the spans of kind k are the ones lit. */
  spansLit(k: Kind): boolean {
    return k !== null && this.litSpans === k;
  }
}

/** What the live region says of a marked kind: its lines, and its spans when they are lit. */
export function markedText(k: StateName, python: number, go: number, spans: number | null): string {
  const lines = python + go ? `${count(python)} Python and ${count(go)} Go lines marked` : "no line of this code";
  return `${stateLabels[k]}: ${lines}${spans !== null ? `; ${count(spans)} ${stateLabels[k]} spans lit in the timeline` : ""}.`;
}
