// The run history: every finished run kept in this browser's localStorage, so a reload (or
// tomorrow) still has what was measured. Bounded by count and by bytes, since the origin's
// quota (about 5 MB) is shared with the rest of the page: a run is kept without its spans and
// without its per-task results (a race has 5,000 of them), which the checksum stands for.
// Runs opened from a shared link join the list in memory only: they are someone else's.

import type { ExportedRun } from "./export";
import { checkResult, checkTime } from "./snapshot";
import type { Result } from "../types";

export interface SavedRun extends ExportedRun {
  /** Unique: the page load's session and the run's number there, or "shared:…". */
  key: string;
  /** From a shared link: shown and compared, never stored. */
  shared?: boolean;
}

const storageKey = "playground.history.v1";
export const historyLimits = { runs: 200, bytes: 256 * 1024 };

/** A result as kept: everything but the per-task results. */
export function slim(r: Result): Result {
  return { ...r, results: [] };
}

export class RunHistory {
  /** Oldest first. */
  runs: SavedRun[] = [];
  /** What the last save could not keep, in words; "" when all went well. */
  note = "";
  private listeners: (() => void)[] = [];

  constructor() {
    this.runs = this.load();
    if (this.dropped) this.note = damagedNote(this.dropped);
    // another tab of the playground saved a run: show it here too
    addEventListener("storage", (e) => {
      if (e.key !== storageKey) return;
      const shared = this.runs.filter((r) => r.shared);
      this.runs = [...this.load(), ...shared];
      this.note = this.dropped ? damagedNote(this.dropped) : "";
      this.changed();
    });
  }

  onChange(fn: () => void): void {
    this.listeners.push(fn);
  }

  private changed(): void {
    for (const fn of this.listeners) fn();
  }

  /** How many stored entries the last load dropped as damaged or of an older format. */
  private dropped = 0;

  /**
   * The stored runs, each checked field by field (as a shared link's are): an entry written by
   * an older page, or damaged, is dropped and counted rather than trusted, so one bad entry
   * cannot stop the page from starting.
   */
  private load(): SavedRun[] {
    this.dropped = 0;
    let data: any;
    try {
      const raw = localStorage.getItem(storageKey);
      if (!raw) return [];
      data = JSON.parse(raw);
    } catch {
      return []; // storage disabled (a sandboxed frame) or text that is not JSON: start afresh
    }
    if (!Array.isArray(data?.runs)) {
      this.dropped = 1;
      return [];
    }
    const runs: SavedRun[] = [];
    const keys = new Set<string>();
    for (const r of data.runs as any[]) {
      const result = checkResult(r?.result);
      if (!result || typeof r.key !== "string" || r.key.length > 100 || keys.has(r.key) || r.key.startsWith("shared:") || !checkTime(r.at)) {
        this.dropped++;
        continue;
      }
      keys.add(r.key);
      runs.push({ key: r.key, at: r.at, result });
    }
    return runs;
  }

  add(run: SavedRun): void {
    this.runs.push({ ...run, result: slim(run.result) });
    this.save();
    this.changed();
  }

  /** Shows runs from a shared link beside the reader's own (not stored). */
  addShared(runs: ExportedRun[]): void {
    this.runs = this.runs.filter((r) => !r.shared);
    runs.forEach((r, i) => this.runs.push({ ...r, key: `shared:${i}`, shared: true }));
    this.changed();
  }

  remove(key: string): void {
    this.runs = this.runs.filter((r) => r.key !== key);
    this.save();
    this.changed();
  }

  clear(): void {
    this.runs = [];
    this.dropped = 0;
    this.save();
    this.changed();
  }

  /**
   * Writes the kept runs, newest last, dropping the oldest while over the bounds; on a full
   * quota (QuotaExceededError) it halves what it keeps until it fits, and says so.
   */
  private save(): void {
    this.note = this.dropped ? damagedNote(this.dropped) : "";
    const own = this.runs.filter((r) => !r.shared);
    let keep = own.slice(-historyLimits.runs);
    let text = JSON.stringify({ runs: keep });
    while (text.length > historyLimits.bytes && keep.length > 1) {
      keep = keep.slice(Math.ceil(keep.length / 10));
      text = JSON.stringify({ runs: keep });
    }
    for (;;) {
      try {
        if (keep.length) localStorage.setItem(storageKey, text);
        else localStorage.removeItem(storageKey);
        break;
      } catch (e) {
        const full = e instanceof DOMException && (e.name === "QuotaExceededError" || e.code === 22);
        if (!full || keep.length <= 1) {
          this.note = full ? "The browser's storage is full: this run is not kept after a reload." : "This browser does not let the page keep runs (storage is disabled): the history lasts for this visit.";
          return;
        }
        keep = keep.slice(Math.ceil(keep.length / 2));
        text = JSON.stringify({ runs: keep });
      }
    }
    if (keep.length < own.length) {
      this.note = `${this.note ? `${this.note} ` : ""}The history keeps the newest ${keep.length} runs; older ones were dropped.`;
      const kept = new Set(keep.map((r) => r.key));
      this.runs = this.runs.filter((r) => r.shared || kept.has(r.key));
    }
  }
}

function damagedNote(n: number): string {
  return `${n} stored ${n === 1 ? "run was" : "runs were"} damaged or written by an older version of the page, and ${n === 1 ? "was" : "were"} dropped.`;
}
