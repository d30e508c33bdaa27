// The "Predict, then run" panel (#predict): the variants "Run every variant" will run, in the
// order the reader expects them to finish, fastest first. They reorder them by dragging or with
// each variant's up and down buttons (keyboard and touch). When that batch of runs has ended,
// the panel shows the guess beside the measured order, the score, and why each miss finished
// where it did (predict.ts); the scored guess is kept (predictions.ts) and listed under the
// history (#predict-history), and a share link carries the guess (?guess=pool,process,…).
// An embed with ?predict=1 (the kit's data-predict) asks for a guess before it runs them all.

import { optionalId } from "../dom";
import { count, parseGoDuration } from "../format";
import { Guess } from "./guess";
import { onePerVariant, ordinal, scorePrediction, type Measured, type Scored } from "./predict";
import { drawItems, drawKept, drawOutcome, panelMarkup } from "./predictdraw";
import { clearPredictions, keepPrediction, loadPredictions, type KeptPrediction } from "./predictions";
import { connectionLimit, variantNames } from "../presets";
import { hasEnded, type Run, type RunWhere } from "../run/runs";
import { describeWork, type PlaygroundState } from "../state";
import { State, type Variant } from "../types";

export interface PredictDeps {
  state(): PlaygroundState;
  /** The variants "Run every variant" runs now (in the browser, and on the backend if connected). */
  offered(): Variant[];
  /** An embed's data-predict: no run of every variant before a guess. */
  required: boolean;
  /** Runs every variant (the panel's "Run without a guess"). */
  runAll(): void;
}

export interface PredictView {
  /** The form or the backend changed: the list follows the variants on offer. */
  update(): void;
  /** Whether runs for where may start now; when not, it says why. */
  allow(where: RunWhere | "all"): boolean;
  /** Whether "Run every variant" waits for a guess the page requires (an embed's predict=1); no side effect. */
  awaits(): boolean;
  /** Runs were queued: a run of every variant with a guess made is scored once they end. */
  launched(where: RunWhere | "all", runs: Run[]): void;
  /** A run ended. */
  ended(run: Run): void;
  /** What a share link adds: the guess, when there is one. */
  linkParams(): Record<string, string>;
  /** Where "Run every variant" stands: at the panel's foot, after the guess (null: no panel). */
  readonly runSlot: HTMLElement | null;
}

const guessParam = "guess";

const nobody: PredictView = { update() {}, allow: () => true, awaits: () => false, launched() {}, ended() {}, linkParams: () => ({}), runSlot: null };

/**
 * Scores guess against a batch of runs that ended: the score and what is kept of it, or why
 * there is nothing to score.
 */
function scoreBatch(runs: Run[], guess: Variant[]): { s: Scored; kept: KeptPrediction } | string {
  const done = runs.filter((r) => r.result);
  const measured = onePerVariant(done.map(measuredOf));
  if (measured.length < 2) return `${measured.length === 1 ? "Only one variant" : "No variant"} finished: there is nothing to rank. Run every variant again to score your guess.`;
  const first = done[0]!.result!;
  const delay = first.spec.delay ? parseGoDuration(first.spec.delay) : undefined;
  const s = scorePrediction(guess, measured, {
    experiment: first.experiment,
    tasks: first.tasks,
    ...(delay !== undefined && !Number.isNaN(delay) ? { delayNs: delay } : {}),
    connections: connectionLimit(),
  });
  const kept: KeptPrediction = {
    at: Date.now(), experiment: first.experiment, work: describeWork(first.spec), guess: s.predicted,
    measured: s.measured.map((m) => ({ variant: m.variant, where: m.where, durationNs: m.durationNs })), correct: s.correct, total: s.total,
  };
  return { s, kept };
}

/** A run's figures as the score reads them: its duration, and its processes' median start-up. */
function measuredOf(run: Run): Measured {
  const r = run.result!;
  const m: Measured = { variant: r.variant, where: r.where, durationNs: r.duration_ns, workers: r.workers };
  const spawns: number[] = [];
  for (let i = 0; i < run.spans.n; i++) if (run.spans.state[i] === State.Spawn) spawns.push(run.spans.end[i]! - run.spans.start[i]!);
  if (spawns.length) m.spawnNs = spawns.sort((a, b) => a - b)[Math.floor(spawns.length / 2)]! * 1e6;
  return m;
}

export function mountPredict(panel: HTMLElement | null, deps: PredictDeps): PredictView {
  if (!panel) return nobody;
  const el: HTMLElement = panel;
  el.innerHTML = panelMarkup;
  const list = el.querySelector<HTMLOListElement>(".predict-list")!;
  const status = el.querySelector<HTMLElement>("[data-status]")!;
  const skip = el.querySelector<HTMLButtonElement>("[data-testid=predict-skip]")!;
  const outcome = el.querySelector<HTMLElement>("[data-outcome]")!;
  const historyEl = optionalId("predict-history");
  const experiment = () => deps.state().experiment;
  const guess = new Guess(deps.offered, experiment);
  /** The runs of every variant queued with a guess, and the guess as it was then. */
  let pending: { runs: Run[]; guess: Variant[] } | null = null;
  /** What the list was last drawn for (its variants and experiment): it is redrawn when that changes. */
  let drawnFor = "";
  const said = (text: string) => (status.textContent = text);

  // A guess from the address belongs to the page's own (a share link's): in an embed that
  // asks for one (required), the host page writes the address and would skip the gate with it.
  const linkGuess = deps.required ? null : new URLSearchParams(location.search).get(guessParam);
  const linkProblem = linkGuess === null ? "" : guess.fromLinkText(linkGuess);

  function describeStatus(): string {
    if (!guess.made()) return deps.required ? "Make your guess first: order the variants, or press “This is my guess”." : "Not predicted yet: order the variants, or press “This is my guess”.";
    return `${guess.fromLink ? "The link's guess" : "Your guess"}: ${guess.list.map((v) => variantNames[v]).join(" < ")}. Running every variant scores it.`;
  }

  function drawList(focus?: { variant: Variant; dir: "up" | "down" }): void {
    drawItems(list, guess.list, (v, dir) => reorder(v, dir === "up" ? -1 : 1, dir));
    if (focus) {
      const b = list.querySelector<HTMLButtonElement>(`li[data-variant="${focus.variant}"] [data-dir="${focus.dir}"]`);
      // at the top or the bottom the arrow that moved it is disabled: keep the focus in the item
      (b && !b.disabled ? b : list.querySelector<HTMLButtonElement>(`li[data-variant="${focus.variant}"] button:not(:disabled)`))?.focus();
    }
    said(describeStatus());
    drawnFor = `${guess.list.join()} ${experiment()}`;
  }

  function reorder(v: Variant, delta: number, dir?: "up" | "down"): void {
    guess.move(v, delta);
    skip.hidden = true;
    drawList(dir ? { variant: v, dir } : undefined);
    said(`${variantNames[v]} is now ${ordinal(guess.list.indexOf(v) + 1)} of ${guess.list.length}. ${describeStatus()}`);
  }

  bindDragging(list, (dragged, target) => reorder(dragged, guess.list.indexOf(target) - guess.list.indexOf(dragged)));
  el.querySelector("[data-testid=predict-keep]")!.addEventListener("click", () => {
    guess.keep();
    skip.hidden = true;
    drawList();
  });
  skip.addEventListener("click", () => {
    guess.skip();
    skip.hidden = true;
    deps.runAll();
  });

  function score(): void {
    const scored = scoreBatch(pending!.runs, pending!.guess);
    pending = null;
    if (typeof scored === "string") {
      said(scored);
      return;
    }
    const { s, kept } = scored;
    drawOutcome(el, s);
    said(`Scored: ${count(s.correct)} of ${count(s.total)} pairs right${s.misses.length ? `; ${s.misses.length === 1 ? "one miss" : `${s.misses.length} misses`}, each explained below` : ""}.`);
    if (historyEl && !keepPrediction(kept)) said(`${status.textContent} This browser does not let the page keep it (storage is disabled or full).`);
    drawHistory();
  }

  function drawHistory(): void {
    if (!historyEl) return;
    drawKept(historyEl, loadPredictions(), () => {
      clearPredictions();
      drawHistory();
      said("The kept predictions were removed.");
    });
  }

  drawList();
  if (linkProblem) said(`The link's ${linkProblem}.`);
  drawHistory();

  return {
    runSlot: el.querySelector<HTMLElement>("[data-run]"),
    update() {
      if (drawnFor !== `${guess.list.join()} ${experiment()}`) drawList();
    },
    awaits: () => deps.required && !guess.made(),
    allow(where) {
      if (where !== "all") return true;
      const gate = guess.gate(deps.required);
      if (gate === "run") return true;
      // said in the panel's live region; the focus stays where the reader (or the host page) has it
      if (gate === "hold") said(describeStatus());
      else {
        said("Which will be fastest? Order the variants above first, then press “Run every variant” again; or run them without a guess.");
        skip.hidden = false;
      }
      return false;
    },
    launched(where, runs) {
      if (where !== "all" || runs.length === 0) return;
      skip.hidden = true;
      if (!guess.made()) return;
      pending = { runs, guess: guess.list };
      outcome.hidden = true;
      said(`Your guess is locked in for these ${runs.length} runs: ${guess.list.map((v) => variantNames[v]).join(" < ")}.`);
    },
    ended(run) {
      if (pending && pending.runs.includes(run) && pending.runs.every(hasEnded)) score();
    },
    linkParams(): Record<string, string> {
      return guess.made() ? { [guessParam]: guess.list.join(",") } : {};
    },
  };
}

/** Dragging: the item dropped onto another takes its place (drop(dragged, target)). */
function bindDragging(list: HTMLElement, drop: (dragged: Variant, target: Variant) => void): void {
  let dragged: Variant | null = null;
  list.addEventListener("dragstart", (e) => {
    const li = (e.target as HTMLElement).closest<HTMLElement>("li[data-variant]");
    dragged = (li?.dataset.variant as Variant) ?? null;
    if (li && e.dataTransfer) {
      e.dataTransfer.effectAllowed = "move";
      e.dataTransfer.setData("text/plain", li.dataset.variant!);
    }
  });
  list.addEventListener("dragover", (e) => {
    if (dragged) e.preventDefault();
  });
  list.addEventListener("drop", (e) => {
    e.preventDefault();
    const target = (e.target as HTMLElement).closest<HTMLElement>("li[data-variant]")?.dataset.variant as Variant | undefined;
    if (dragged && target && target !== dragged) drop(dragged, target);
    dragged = null;
  });
  list.addEventListener("dragend", () => (dragged = null));
}
