// How far a batch has got ("3 of 8 · process pool on the backend"): the runs queued while the
// queue was busy belong to the batch that was going (a run of every variant, a sweep); once the
// queue is idle the next run starts a new one. A batch of one says nothing: the timeline's
// title says how far a single run has got.

import { count } from "../format";
import { variantNames } from "../presets";
import type { Run } from "./runs";

type BatchRun = Pick<Run, "id" | "status" | "where" | "variant" | "purpose" | "job">;

const active = (r: BatchRun) => r.status === "queued" || r.status === "running";

export class BatchProgress {
  private batch: BatchRun[] = [];

  /** Follows the queue's runs (any order); returns what to say, "" when there is nothing to. */
  update(runs: readonly BatchRun[]): string {
    const going = runs.filter(active);
    if (going.length === 0) {
      this.batch = [];
      return "";
    }
    for (const r of going) if (!this.batch.includes(r)) this.batch.push(r);
    this.batch.sort((a, b) => a.id - b.id);
    if (this.batch.length < 2) return "";
    const now = this.batch.find((r) => r.status === "running") ?? going.sort((a, b) => a.id - b.id)[0]!;
    const place = this.batch.indexOf(now) + 1;
    // a sweep's runs differ only in their workers: name them
    const workers = now.purpose === "sweep" && now.job.workers ? ` × ${count(now.job.workers)}` : "";
    const where = now.where === "browser" ? "in this browser" : "on the backend";
    return `${count(place)} of ${count(this.batch.length)} · ${variantNames[now.variant]}${workers} ${where}`;
  }
}
