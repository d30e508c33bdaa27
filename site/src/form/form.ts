// The experiment form's markup, the one source for both pages: the main page's full form
// (index.html) and the embed's compact card (embed.html, <form data-layout="card">), which
// words its labels shorter and leaves out the variant chips and the results option. The
// fields' bounds are the Go side's limits (bounds.ts, from facts.gen.ts), never written here. controls.ts
// gives the form its behaviour.

import { intParams, type IntParam } from "./bounds";
import { raceModes, type RaceMode } from "../gen/facts.gen";

export type FormLayout = "page" | "card";

/** Fills form with its fields, as its data-layout asks ("card", or the full page's by default). */
export function renderForm(form: HTMLFormElement): void {
  form.innerHTML = formMarkup(form.dataset.layout === "card" ? "card" : "page");
}

/** A whole-number input: its bounds from intParams (the Go side's limits), its hooks from id. */
function numberInput(id: IntParam, describedBy = ""): string {
  const [min, max] = intParams[id];
  const aria = describedBy ? ` aria-describedby="${describedBy}"` : "";
  return `<input id="${id}" name="${id}" data-testid="${id}" type="number" min="${min}" max="${max}" step="1" inputmode="numeric"${aria}>`;
}

export function formMarkup(layout: FormLayout): string {
  const card = layout === "card";
  const presetSelect = `<select id="preset" name="preset" data-testid="preset"></select>`;
  // the page gives the preset a row of its own above the lesson; the card puts it among the fields
  const top = card
    ? `<div class="lesson" id="lesson" aria-live="polite">
  <p class="lesson-text" id="lesson-text"></p>
</div>
<fieldset class="params">
  <legend class="sr-only">Parameters</legend>
  <div class="field wide">
    <label for="preset">Preset</label>
    ${presetSelect}
  </div>`
    : `<div class="field preset-field">
  <label for="preset">Preset: one of the lesson's scripts</label>
  ${presetSelect}
</div>
<div class="lesson" id="lesson" aria-live="polite">
  <p class="lesson-text" id="lesson-text"></p>
  <p class="lesson-script" id="lesson-script"></p>
</div>
${actions(card)}
<fieldset class="params">
  <legend>Parameters</legend>`;
  const modes: Record<RaceMode, string> = card
    ? { unsafe: "unsafe", mutex: "mutex", atomic: "atomic" }
    : { unsafe: "unsafe: read, then write", mutex: "mutex: under a lock", atomic: "atomic: one add" };
  return `${top}
  <div class="field wide">
    <label for="variant">Variant</label>
    <select id="variant" name="variant" data-testid="variant" aria-describedby="variant-hint"></select>
  </div>
  <div class="field">
    <label for="workers">Workers</label>
    ${numberInput("workers", "workers-hint")}
    <small id="workers-hint" class="hint"></small>
  </div>
  <div class="field">
    <label for="tasks">Tasks</label>
    ${numberInput("tasks")}
  </div>
  <div class="field" data-for="cpu">
    <label for="n">${card ? "n" : "n (sum of i² below n + task)"}</label>
    ${numberInput("n")}
  </div>
  <div class="field">
    <label for="repeat">Repeats</label>
    ${numberInput("repeat", "repeat-hint")}
    <small id="repeat-hint" class="hint">${card ? "the fastest counts" : "the same run again; the fastest counts, as in the lesson"}</small>
  </div>
  <div class="field" data-for="io">
    <label for="delay">${card ? "Latency (ms)" : "Latency per page (ms)"}</label>
    ${numberInput("delay")}
  </div>
  <div class="field" data-for="io">
    <label for="size">Page size (bytes)</label>
    ${numberInput("size")}
  </div>
  <div class="field" data-for="race">
    <label for="mode">Race mode</label>
    <select id="mode" name="mode" data-testid="mode">
      ${raceModes.map((m) => `<option value="${m}">${modes[m]}</option>`).join("\n      ")}
    </select>
  </div>
  <div class="field check" data-for="race">
    <input id="yield" name="yield" data-testid="yield" type="checkbox">
    <label for="yield">Yield between read and write${card ? "" : ` <small class="hint">(an <code>await</code> in the event loop)</small>`}</label>
  </div>
</fieldset>
<div class="work-note" data-for="cpu">
  <p class="hint" id="work-text"></p>
  <button type="button" id="lesson-n" data-testid="lesson-n" class="quiet small"></button>
</div>
${card ? "" : `<fieldset class="variants-field">
  <legend>Variants to compare <small class="hint">(the variant list offers these; “Run every variant” runs them)</small></legend>
  <div id="variants" class="chips"></div>
</fieldset>
`}${card ? actions(card) : `<p id="run-note" class="note" role="status" aria-live="polite"></p>`}`;
}

/**
 * The run buttons, what they can run and why not (#variant-hint, under them so a long
 * reason does not push them down), the batch's progress, the run note (the card's; the page says it under the
 * parameters, just above the timeline, where a run's outcome is read) and the share box. The
 * page puts them right under the lesson, so the preset and a run button share the first screen.
 */
function actions(card: boolean): string {
  return `<div class="actions">
  <button type="button" id="run-browser" data-testid="run-browser" class="primary">Run in this browser</button>
  <button type="button" id="run-native" data-testid="run-native">Run on the backend</button>
  <button type="button" id="run-cpython" data-testid="run-cpython" hidden>Run in CPython</button>
  <button type="button" id="run-all" data-testid="run-all">${card ? "Run all" : "Run every variant"}</button>
  <span class="field check" id="all-cpython-field" hidden>
    <input id="all-cpython" type="checkbox" data-testid="all-cpython">
    <label for="all-cpython">and in CPython</label>
  </span>
  <button type="button" id="cancel" data-testid="cancel" class="quiet" hidden>Cancel</button>
  <span class="spacer"></span>
  <button type="button" id="share" data-testid="share" class="quiet${card ? " small" : ""}">Share</button>
  <button type="button" id="embed" data-testid="embed" class="quiet${card ? " small" : ""}">Embed</button>
</div>
<p class="hint" id="variant-hint"></p>
<p id="batch-progress" class="batch-progress" data-testid="batch-progress" role="status" hidden></p>
${card ? `<p id="run-note" class="note" role="status" aria-live="polite"></p>\n` : ""}<div id="share-box" class="share-box" hidden>
  <label for="share-text" id="share-label">Link</label>
  <textarea id="share-text" rows="2" readonly spellcheck="false"></textarea>
${card ? "" : `  <div class="field check" id="share-results-field">
    <input id="share-results" type="checkbox" data-testid="share-results">
    <label for="share-results" id="share-results-label">Include my results</label>
  </div>
`}  <div class="kit-field">
    <label for="share-kit">${card ? "Or the embed kit" : "Or the embed kit: a div that the script turns into the iframe, sized to its content"}</label>
    <textarea id="share-kit" rows="2" readonly spellcheck="false"></textarea>
  </div>
</div>`;
}