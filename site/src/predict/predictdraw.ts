// What the "Predict, then run" panel draws (predictview.ts binds it): its markup, the list of
// variants to order, the outcome of a scored guess, and the guesses kept in this browser.

import { count, duration } from "../format";
import { ordinal, type Scored } from "./predict";
import type { KeptPrediction } from "./predictions";
import { variantNames } from "../presets";
import type { Variant } from "../types";

export const panelMarkup = `
<div class="panel-head"><h2 id="predict-h">Predict, then run</h2></div>
<p class="hint" id="predict-help">Which will be fastest? Put the variants in the order you expect for this work, fastest first: drag them, or use the arrows. “Run every variant” then scores your guess against what it measures.</p>
<ol class="predict-list" aria-labelledby="predict-h" aria-describedby="predict-help"></ol>
<div class="predict-actions">
  <button type="button" class="quiet small" data-testid="predict-keep">This is my guess</button>
  <p class="predict-status" data-status role="status" aria-live="polite"></p>
</div>
<div class="actions predict-run" data-run>
  <button type="button" class="quiet" data-testid="predict-skip" hidden>Run without a guess</button>
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

/** The list's items, each with its up and down buttons; arrow(v, dir) is a press of one. */
export function drawItems(list: HTMLOListElement, guess: Variant[], arrow: (v: Variant, dir: "up" | "down") => void): void {
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
      li.append(place, nameEl, arrowButton("up", v, i === 0, arrow), arrowButton("down", v, i === guess.length - 1, arrow));
      return li;
    }),
  );
}

function arrowButton(dir: "up" | "down", v: Variant, disabled: boolean, arrow: (v: Variant, dir: "up" | "down") => void): HTMLButtonElement {
  const b = document.createElement("button");
  b.type = "button";
  b.className = "quiet small";
  b.dataset.dir = dir;
  b.disabled = disabled;
  b.textContent = dir === "up" ? "↑" : "↓";
  b.setAttribute("aria-label", `Move ${variantNames[v]} ${dir === "up" ? "up (faster)" : "down (slower)"}`);
  b.addEventListener("click", () => arrow(v, dir));
  return b;
}

/** The score, the guess beside the measured order (coloured by the score's own rule), the misses explained. */
export function drawOutcome(panel: HTMLElement, s: Scored): void {
  panel.querySelector<HTMLElement>("[data-outcome]")!.hidden = false;
  const scoreEl = panel.querySelector<HTMLElement>("[data-testid=predict-score]")!;
  scoreEl.dataset.correct = String(s.correct);
  scoreEl.dataset.total = String(s.total);
  scoreEl.dataset.value = (s.correct / s.total).toFixed(3);
  scoreEl.textContent = `Your guess put ${count(s.correct)} of ${count(s.total)} pairs in the measured order${s.correct === s.total ? ": all of them." : "."} Runs within 10 % of each other count either way.`;
  panel.querySelector("tbody")!.replaceChildren(
    ...s.measured.map((m, i) => {
      const tr = document.createElement("tr");
      const g = s.predicted[i]!;
      tr.className = s.placeRight[i] ? "hit" : "miss";
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
  panel.querySelector(".predict-misses")!.replaceChildren(
    ...s.misses.map((m) => {
      const li = document.createElement("li");
      li.dataset.variant = m.variant;
      const b = document.createElement("strong");
      b.textContent = `${variantNames[m.variant]}: you said ${ordinal(m.predictedPlace)}, it was ${ordinal(m.measuredPlace)}. `;
      li.append(b, m.reason);
      return li;
    }),
  );
}

/** The guesses kept in this browser, newest first, with a button that removes them (clear). */
export function drawKept(el: HTMLElement, kept: KeptPrediction[], clear: () => void): void {
  el.hidden = kept.length === 0;
  el.innerHTML = `<h3>Your predictions</h3><ol class="predict-kept" reversed></ol><button type="button" class="quiet small" data-testid="predict-clear">Remove predictions</button>`;
  el.querySelector("ol")!.replaceChildren(
    ...[...kept].reverse().map((p) => {
      const li = document.createElement("li");
      li.dataset.testid = "predict-kept";
      const when = new Date(p.at).toLocaleString();
      li.textContent = `${when} · ${p.work}: ${p.correct} of ${p.total} pairs. Guess ${p.guess.map((v) => variantNames[v]).join(" < ")}; measured ${p.measured.map((m) => `${variantNames[m.variant]} ${duration(m.durationNs)}`).join(" < ")}.`;
      return li;
    }),
  );
  el.querySelector("button")!.addEventListener("click", clear);
}
