// How the browser's process pool hands out its tasks (pool.ts). Each process runs one batch at a
// time, in order. Once it has answered a batch (it runs; others may still be starting), a
// process may hold one batch more than it runs while more batches are left than there are
// processes: it starts that one the moment it answers the last, instead of idling until the
// page has heard its answer and sent the next (a round trip of about 1 ms a task here, more
// while the page draws). Near the end a process holds only the batch it runs, so the last
// batches go to whichever process is free first, as Pool.map's do.
//
// It is internal/workload's Handout.Take, the native pool's rule, kept beside the pool: a call on
// the page's engine for every batch cost the pool a round trip of that engine's thread per
// answer. The batch size is Go's alone (workload.BatchSize, through the engine's handout call).

/** Tasks [from, to) of a run, handed to one process. */
export interface Batch {
  from: number;
  to: number;
}

export class Handout {
  private next = 0;

  /**
   * tasks: the run's (or repeat's) tasks; chunk: the tasks in a batch (≥ 1); processes: how
   * many processes take batches.
   */
  constructor(
    private readonly tasks: number,
    private readonly chunk: number,
    private readonly processes: number,
  ) {}

  /** Batches not handed out yet. */
  get left(): number {
    return Math.ceil((this.tasks - this.next) / this.chunk);
  }

  /**
   * The next batch for a process that holds held batches (the one it runs, and any it holds
   * next) and has answered answered batches so far, or undefined when it may take none now:
   * none are left, or it holds enough.
   */
  take(held: number, answered: number): Batch | undefined {
    if (this.next >= this.tasks) return undefined;
    const most = answered > 0 && this.left > this.processes ? 2 : 1;
    if (held >= most) return undefined;
    const from = this.next;
    this.next = Math.min(this.tasks, from + this.chunk);
    return { from, to: this.next };
  }
}
