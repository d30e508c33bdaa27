// A run's spans, kept in flat typed arrays that grow by doubling: the timeline draws tens of
// thousands of them per frame, and an object per span would cost more than the drawing.

import { SPAN_FIELDS, State, type SpanBatch } from "../types";

export class SpanStore {
  n = 0;
  /** Lanes seen so far: the highest lane index + 1. */
  lanes = 0;
  /** The latest end, in ms from the start of the run. */
  maxEnd = 0;
  /** Spans of state spawn: a process starting, once per process and repeat. */
  spawns = 0;
  lane = new Int32Array(256);
  task = new Int32Array(256);
  state = new Uint8Array(256);
  /** ms from the start of the run (the protocol's ns / 1e6), the timeline's unit. */
  start = new Float64Array(256);
  end = new Float64Array(256);
  /** Per lane, the indices of its spans sorted by start: a tooltip is a binary search. */
  private byLane: number[][] = [];

  append(batch: SpanBatch): void {
    const k = Math.floor(batch.length / SPAN_FIELDS);
    this.reserve(this.n + k);
    for (let j = 0; j < k; j++) {
      const o = j * SPAN_FIELDS;
      const i = this.n++;
      const w = batch[o]!;
      const s = batch[o + 3]! / 1e6;
      const e = batch[o + 4]! / 1e6;
      this.lane[i] = w;
      this.task[i] = batch[o + 1]!;
      this.state[i] = batch[o + 2]!;
      if (batch[o + 2] === State.Spawn) this.spawns++;
      this.start[i] = s;
      this.end[i] = e;
      if (e > this.maxEnd) this.maxEnd = e;
      if (w >= this.lanes) this.lanes = w + 1;
      let lane = this.byLane[w];
      if (!lane) lane = this.byLane[w] = [];
      // A lane's spans arrive in order of their end, which within one lane is the order of
      // their start; keep the list sorted for the rare span that comes late.
      let p = lane.length;
      while (p > 0 && this.start[lane[p - 1]!]! > s) p--;
      if (p === lane.length) lane.push(i);
      else lane.splice(p, 0, i);
    }
  }

  private reserve(cap: number): void {
    if (cap <= this.start.length) return;
    let size = this.start.length;
    while (size < cap) size *= 2;
    const grow = <T extends Int32Array | Uint8Array | Float64Array>(a: T, make: (n: number) => T): T => {
      const b = make(size);
      b.set(a);
      return b;
    };
    this.lane = grow(this.lane, (n) => new Int32Array(n));
    this.task = grow(this.task, (n) => new Int32Array(n));
    this.state = grow(this.state, (n) => new Uint8Array(n));
    this.start = grow(this.start, (n) => new Float64Array(n));
    this.end = grow(this.end, (n) => new Float64Array(n));
  }

  /** How long (ms) each spawn span that starts within [from, to) ms lasted, in the order kept. */
  spawnsWithin(from: number, to: number): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.n; i++) {
      if (this.state[i] === State.Spawn && this.start[i]! >= from && this.start[i]! < to) out.push(this.end[i]! - this.start[i]!);
    }
    return out;
  }

  /** The span of lane that covers time t (ms), or the nearest one within slack ms; -1 if none. */
  find(lane: number, t: number, slack = 0): number {
    const list = this.byLane[lane];
    if (!list || list.length === 0) return -1;
    let lo = 0;
    let hi = list.length - 1;
    // the last span that starts at or before t
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.start[list[mid]!]! <= t) lo = mid;
      else hi = mid - 1;
    }
    const i = list[lo]!;
    if (this.start[i]! <= t && t <= this.end[i]! + slack) return i;
    if (lo + 1 < list.length) {
      const next = list[lo + 1]!;
      if (this.start[next]! - t <= slack) return next;
    }
    if (this.start[i]! > t && this.start[i]! - t <= slack) return i;
    return -1;
  }

  /** Totals per lane and state (ms), for the data table behind the chart; lanes: at least that many. */
  laneTotals(lanes = 0): { spans: number; run: number; wait: number; spawn: number; first: number; last: number }[] {
    const out = Array.from({ length: Math.max(this.lanes, lanes) }, () => ({ spans: 0, run: 0, wait: 0, spawn: 0, first: Infinity, last: 0 }));
    for (let i = 0; i < this.n; i++) {
      const t = out[this.lane[i]!]!;
      const d = this.end[i]! - this.start[i]!;
      t.spans++;
      if (this.state[i] === 0) t.run += d;
      else if (this.state[i] === 1) t.wait += d;
      else t.spawn += d;
      t.first = Math.min(t.first, this.start[i]!);
      t.last = Math.max(t.last, this.end[i]!);
    }
    return out;
  }
}
