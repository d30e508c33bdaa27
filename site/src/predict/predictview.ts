// The "Predict, then run" panel (#predict): the variants "Run every variant" will run, in the
// order the reader expects them to finish, fastest first. They reorder them by dragging or with
// each variant's up and down buttons (keyboard and touch). When that batch of runs has ended,
// the panel shows the guess beside the measured order, the score, and why each miss finished
// where it did (predict.ts); the scored guess is kept (predictions.ts) and listed under the
// history (#predict-history), and a share link carries the guess (?guess=pool,process,…).
// An embed with ?predict=1 (the kit's data-predict) asks for a guess before it runs them all.

import { optionalId } from "../dom";
import { count, duration, parseGoDuration } from "../format";
import { onePerVariant, move, ordinal, parseGuess, reconcile, scorePrediction, type Measured, type Scored } from "./predict";
import { clearPredictions, keepPrediction, loadPredictions, type KeptPrediction } from "./predictions";
import { connectionLimit, variantNames, variantOrder } from "../presets";
import { hasEnded, type Run, type RunWhere } from "../run/runs";
import { describeWork, type PlaygroundState } from "../state";
import { State, type Experiment, type Variant } from "../types";

export interface PredictDeps {
  state(): PlaygroundState;
  /** The variants "Run every variant" runs now (in the browser, and on the backend if connected). */
  offered(): Variant[];
  /** An embed's data-predict: no run of every variant before a guess. */
  required: boolean;
}

export interface PredictView {
  /** The form or the backend changed: the list follows the variants on offer. */
  update(): void;
  /** Whether runs for where may start now; when not, it says why. */
  allow(where: RunWhere | "all"): boolean;
  /** Runs were queued: a run of every variant with a guess made is scored once they end. */
  launched(where: RunWhere | "all", runs: Run[]): void;
  /** A run ended. */
  ended(run: Run): void;
  /** What a share link adds: the guess, when there is one. */
  linkParams(): Record<string, string>;
}

const guessParam = "guess";

const nobody: PredictView = { update() {}, allow: () => true, launched() {}, ended() {}, linkParams: () => ({}) };

export function mountPredict(panel: HTMLElement | null, deps: PredictDeps): PredictView {
  if (!panel) return nobody;
  const el: HTMLElement = panel;
  el.innerHTML = `
<div class="panel-head"><h2 id="predict-h">Predict, then run</h2></div>
<p class="hint" id="predict-help">Which will be fastest? Put the variants in the order you expect for this work, fastest first: drag them, or use the arrows. “Run every variant” then scores your guess against what it measures.</p>
<ol class="predict-list" aria-labelledby="predict-h" aria-describedby="predict-help"></ol>
<div class="predict-actions">
  <button type="button" class="quiet small" data-testid="predict-keep">This is my guess</button>
  <p class="predict-status" data-status role="status" aria-live="polite"></p>
</div>
<div class="predict-outcome" data-outcome hidden>
  <p class="predict-score" data-testid="predict-score"></p>
  <div class="table-scroll" tabindex="0" role="region" aria-label="Your guess beside what was measured">
    <table class="results predict-table">
      <caption class="sr-only">Your guess beside the measured order, fastest first</caption>
      <thead><tr><th scope="col">place</th><th scope="col">your guess</th><th scope="col">measured</th><th scope="col" class="num">duration</th></tr></thead>
      <tbody></tbody>
    </table>
  </div>
  <ul class="predict-misses"></ul>
</div>`;
  const list = el.querySelector<HTMLOListElement>(".predict-list")!;
  const status = el.querySelector<HTMLElement>("[data-status]")!;
  const keep = el.querySelector<HTMLButtonElement>("[data-testid=predict-keep]")!;
  const outcome = el.querySelector<HTMLElement>("[data-outcome]")!;
  const historyEl = optionalId("predict-history");

  /** The reader's order of every variant, fastest first, those not on offer now included. */
  let order: Variant[] = [...variantOrder];
  /** The variants on offer, in that order: the list shown, and what is scored. */
  const onOffer = () => order.filter((v) => deps.offered().includes(v));
  let guess: Variant[] = onOffer();
  /** The experiment the reader made the guess for; null until they make one. */
  let madeFor: Experiment | null = null;
  let fromLink = false;
  /** The runs of every variant queued with a guess, and the guess as it was then. */
  let pending: { runs: Run[]; guess: Variant[] } | null = null;
  /** The experiment the list was last drawn for: its status says whether the guess is for it. */
  let drawnFor: Experiment | null = null;

  const linkGuess = new URLSearchParams(location.search).get(guessParam);
  if (linkGuess !== null) {
    const parsed = parseGuess(linkGuess);
    if (typeof parsed === "string") status.textContent = `The link's ${parsed}.`;
    else {
      order = reconcile(parsed, variantOrder);
      guess = onOffer();
      madeFor = deps.state().experiment;
      fromLink = true;
    }
  }

  const made = () => madeFor === deps.state().experiment;

  function said(text: string): void {
    status.textContent = text;
  }

  function describeStatus(): string {
    if (!made()) return deps.required ? "Make your guess first: order the variants, or press “This is my guess”." : "Not predicted yet: order the variants, or press “This is my guess”.";
    return `${fromLink ? "The link's guess" : "Your guess"}: ${guess.map((v) => variantNames[v]).join(" < ")}. Running every variant scores it.`;
  }

  function drawList(focus?: { variant: Variant; dir: "up" | "down" }): void {
    list.replaceChildren(
      ...guess.map((v, i) => {
        const li = document.createElement("li");
        li.className = "predict-item";
        li.draggable = true;
        li.dataset.variant = v;
        const place = document.createElement("span");
        place.className = "place";
        place.textContent = ordinal(i + 1);
        const nameEl = document.createElement("span");
        nameEl.className = "name";
        nameEl.textContent = variantNames[v];
        const up = arrow("up", v, i === 0);
        const down = arrow("down", v, i === guess.length - 1);
        li.append(place, nameEl, up, down);
        return li;
      }),
    );
    if (focus) {
      const b = list.querySelector<HTMLButtonElement>(`li[data-variant="${focus.variant}"] [data-dir="${focus.dir}"]`);
      // at the top or the bottom the arrow that moved it is disabled: keep the focus in the item
      (b && !b.disabled ? b : list.querySelector<HTMLButtonElement>(`li[data-variant="${focus.variant}"] button:not(:disabled)`))?.focus();
    }
    status.textContent = describeStatus();
    drawnFor = deps.state().experiment;
  }

  function arrow(dir: "up" | "down", v: Variant, disabled: boolean): HTMLButtonElement {
    const b = document.createElement("button");
    b.type = "button";
    b.className = "quiet small";
    b.dataset.dir = dir;
    b.disabled = disabled;
    b.textContent = dir === "up" ? "↑" : "↓";
    b.setAttribute("aria-label", `Move ${variantNames[v]} ${dir === "up" ? "up (faster)" : "down (slower)"}`);
    b.addEventListener("click", () => reorder(v, dir === "up" ? -1 : 1, dir));
    return b;
  }

  function reorder(v: Variant, delta: number, dir?: "up" | "down"): void {
    const i = guess.indexOf(v);
    guess = move(guess, i, delta);
    order = [...guess, ...order.filter((x) => !guess.includes(x))];
    madeFor = deps.state().experiment;
    fromLink = false;
    drawList(dir ? { variant: v, dir } : undefined);
    said(`${variantNames[v]} is now ${ordinal(guess.indexOf(v) + 1)} of ${guess.length}. ${describeStatus()}`);
  }

  // dragging: the item dropped onto another takes its place
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
    if (dragged && target && target !== dragged) reorder(dragged, guess.indexOf(target) - guess.indexOf(dragged));
    dragged = null;
  });
  list.addEventListener("dragend", () => (dragged = null));

  keep.addEventListener("click", () => {
    madeFor = deps.state().experiment;
    fromLink = false;
    drawList();
  });

  function measuredOf(run: Run): Measured {
    const r = run.result!;
    const m: Measured = { variant: r.variant, where: r.where, durationNs: r.duration_ns, workers: r.workers };
    const spawns: number[] = [];
    for (let i = 0; i < run.spans.n; i++) if (run.spans.state[i] === State.Spawn) spawns.push(run.spans.end[i]! - run.spans.start[i]!);
    if (spawns.length) m.spawnNs = spawns.sort((a, b) => a - b)[Math.floor(spawns.length / 2)]! * 1e6;
    return m;
  }

  function score(): void {
    const batch = pending!;
    pending = null;
    const done = batch.runs.filter((r) => r.result);
    const measured = onePerVariant(done.map(measuredOf));
    if (measured.length < 2) {
      said(`${measured.length === 1 ? "Only one variant" : "No variant"} finished: there is nothing to rank. Run every variant again to score your guess.`);
      return;
    }
    const first = done[0]!.result!;
    const delay = first.spec.delay ? parseGoDuration(first.spec.delay) : undefined;
    const s = scorePrediction(batch.guess, measured, {
      experiment: first.experiment,
      tasks: first.tasks,
      ...(delay !== undefined && !Number.isNaN(delay) ? { delayNs: delay } : {}),
      connections: connectionLimit(),
    });
    showOutcome(s);
    const kept: KeptPrediction = {
      at: Date.now(), experiment: first.experiment, work: describeWork(first.spec), guess: s.predicted,
      measured: s.measured.map((m) => ({ variant: m.variant, where: m.where, durationNs: m.durationNs })), correct: s.correct, total: s.total,
    };
    if (historyEl && !keepPrediction(kept)) said(`${status.textContent} This browser does not let the page keep it (storage is disabled or full).`);
    drawHistory();
  }

  function showOutcome(s: Scored): void {
    outcome.hidden = false;
    const scoreEl = el.querySelector<HTMLElement>("[data-testid=predict-score]")!;
    scoreEl.dataset.correct = String(s.correct);
    scoreEl.dataset.total = String(s.total);
    scoreEl.dataset.value = (s.correct / s.total).toFixed(3);
    scoreEl.textContent = `Your guess put ${count(s.correct)} of ${count(s.total)} pairs in the measured order${s.correct === s.total ? ": all of them." : "."} Runs within 10 % of each other count either way.`;
    el.querySelector("tbody")!.replaceChildren(
      ...s.measured.map((m, i) => {
        const tr = document.createElement("tr");
        const g = s.predicted[i]!;
        tr.className = g === m.variant ? "hit" : "miss";
        const cells = [ordinal(i + 1), variantNames[g], `${variantNames[m.variant]} (${m.where === "native" ? "backend" : m.where})`, duration(m.durationNs)];
        cells.forEach((text, c) => {
          const td = document.createElement(c === 0 ? "th" : "td");
          if (c === 0) td.setAttribute("scope", "row");
          if (c === 3) td.className = "num";
          td.textContent = text;
          tr.appendChild(td);
        });
        return tr;
      }),
    );
    el.querySelector(".predict-misses")!.replaceChildren(
      ...s.misses.map((m) => {
        const li = document.createElement("li");
        li.dataset.variant = m.variant;
        const b = document.createElement("strong");
        b.textContent = `${variantNames[m.variant]}: you said ${ordinal(m.predictedPlace)}, it was ${ordinal(m.measuredPlace)}. `;
        li.append(b, m.reason);
        return li;
      }),
    );
    said(`Scored: ${count(s.correct)} of ${count(s.total)} pairs right${s.misses.length ? `; ${s.misses.length === 1 ? "one miss" : `${s.misses.length} misses`}, each explained below` : ""}.`);
  }

  function drawHistory(): void {
    if (!historyEl) return;
    const kept = loadPredictions();
    historyEl.hidden = kept.length === 0;
    historyEl.innerHTML = `<h3>Your predictions</h3><ol class="predict-kept" reversed></ol><button type="button" class="quiet small" data-testid="predict-clear">Remove predictions</button>`;
    historyEl.querySelector("ol")!.replaceChildren(
      ...kept.reverse().map((p) => {
        const li = document.createElement("li");
        li.dataset.testid = "predict-kept";
        const when = new Date(p.at).toLocaleString();
        li.textContent = `${when} · ${p.work}: ${p.correct} of ${p.total} pairs. Guess ${p.guess.map((v) => variantNames[v]).join(" < ")}; measured ${p.measured.map((m) => `${variantNames[m.variant]} ${duration(m.durationNs)}`).join(" < ")}.`;
        return li;
      }),
    );
    historyEl.querySelector("button")!.addEventListener("click", () => {
      clearPredictions();
      drawHistory();
      said("The kept predictions were removed.");
    });
  }

  drawList();
  drawHistory();

  return {
    update() {
      const next = onOffer();
      if (next.join() !== guess.join() || drawnFor !== deps.state().experiment) {
        guess = next;
        drawList();
      }
    },
    allow(where) {
      if (where !== "all" || !deps.required || made()) return true;
      // said in the panel's live region; the focus stays where the reader (or the host page) has it
      said(describeStatus());
      return false;
    },
    launched(where, runs) {
      if (where !== "all" || !made() || runs.length === 0) return;
      pending = { runs, guess: [...guess] };
      outcome.hidden = true;
      said(`Your guess is locked in for these ${runs.length} runs: ${guess.map((v) => variantNames[v]).join(" < ")}.`);
    },
    ended(run) {
      if (pending && pending.runs.includes(run) && pending.runs.every(hasEnded)) score();
    },
    linkParams(): Record<string, string> {
      return made() ? { [guessParam]: guess.join(",") } : {};
    },
  };
}
