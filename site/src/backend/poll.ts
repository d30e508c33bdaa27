// The page's patience while the visitor runs the install command.

/**
 * Tries the backend again every few seconds while the install command is shown, so the page
 * connects by itself once the visitor's command has started it; for ten minutes at most.
 */
export class Poll {
  static readonly everyMs = 3000;
  static readonly maxTries = 200;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private trying = false;
  private tries = 0;

  constructor(private readonly tryAgain: () => void) {}

  /** Waiting for the next try, or in one. */
  get active(): boolean {
    return this.timer !== undefined || this.trying;
  }

  /** Schedules the next try (the last one failed, or none was made yet). */
  start(): void {
    this.trying = false;
    if (this.timer !== undefined || this.tries >= Poll.maxTries) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.trying = true;
      this.tries++;
      this.tryAgain();
    }, Poll.everyMs);
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.trying = false;
    this.tries = 0;
  }
}
