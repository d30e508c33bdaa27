// The reader's guess, without the page: the order of every variant (fastest first), whether it
// was made for the experiment in the form, whether it came from a link, and whether "Run every
// variant" has already asked for one. predictview.ts only draws it and binds the buttons.

import { move, parseGuess, reconcile } from "./predict";
import { variantOrder } from "../presets";
import type { Experiment, Variant } from "../types";

/** What a press of "Run every variant" does: run, ask for a guess first (once), or hold the runs. */
export type Gate = "run" | "ask" | "hold";

export class Guess {
  /** Every variant in the reader's order, fastest first, those not on offer now included. */
  private order: Variant[] = [...variantOrder];
  /** The experiment the reader made the guess for; null until they make one. */
  private madeFor: Experiment | null = null;
  /** The guess is the one a share link carried (until the reader changes it). */
  fromLink = false;
  /** "Run every variant" asked for a guess once already: the next press runs without one. */
  private asked = false;

  constructor(
    /** The variants on offer now. */
    private offered: () => Variant[],
    /** The experiment in the form. */
    private experiment: () => Experiment,
  ) {}

  /** The variants on offer in the reader's order: the list shown, and what is scored. */
  get list(): Variant[] {
    const offered = this.offered();
    return this.order.filter((v) => offered.includes(v));
  }

  made(): boolean {
    return this.madeFor === this.experiment();
  }

  /** Takes a link's ?guess=; returns what is wrong with it, or "" once taken. */
  fromLinkText(text: string): string {
    const parsed = parseGuess(text);
    if (typeof parsed === "string") return parsed;
    this.order = reconcile(parsed, variantOrder);
    this.madeFor = this.experiment();
    this.fromLink = true;
    return "";
  }

  /** The reader keeps the order shown as their guess. */
  keep(): void {
    this.madeFor = this.experiment();
    this.fromLink = false;
  }

  /** Moves v delta places in the list shown (negative: faster); that makes it the reader's guess. */
  move(v: Variant, delta: number): void {
    const list = this.list;
    const moved = move(list, list.indexOf(v), delta);
    this.order = [...moved, ...this.order.filter((x) => !moved.includes(x))];
    this.keep();
  }

  /**
   * A press of "Run every variant": with a guess made it runs; without one it asks once (the
   * next press, or the skip, runs), unless a guess is required (an embed's data-predict).
   */
  gate(required: boolean): Gate {
    if (this.made()) return "run";
    if (required) return "hold";
    if (this.asked) return "run";
    this.asked = true;
    return "ask";
  }

  /** The reader chose to run without a guess: nothing asks again. */
  skip(): void {
    this.asked = true;
  }
}
