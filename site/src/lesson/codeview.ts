// The code view beside the timeline: the lesson's Python for the variant on screen (in this
// project's words, site/python) and the Go that runs it, cut from the repository's source at
// build time (build/code.go → code.gen.ts, highlighted there). The lines that spend a span's
// time are marked with its state, and linked to the timeline both ways: hovering a span marks
// its lines; hovering or focusing a marked line, or one of the span-kind buttons, lights that
// kind's spans in the timeline. A click (Enter, Space) keeps the mark until clicked again: a
// phone has no hover. What got marked is said in a polite live region.

import { codeViews, goBlocks, pythonBlocks } from "../gen/code.gen";
import { stateLabels } from "../labels";
import { CodeMarks, markedText, type MarksChange } from "./codemarks";
import { browserVariants } from "../presets";
import type { Timeline } from "../timeline/timeline";
import type { RunWhere } from "../run/runs";
import type { Experiment, StateName, Variant } from "../types";

export interface CodeView {
  /** Shows the code of a variant of an experiment, as it runs in the browser or natively. */
  /** where "cpython": the Python is what ran, and its marked lines light the CPython run's spans. */
  show(experiment: Experiment, variant: Variant, where: RunWhere): void;
  /** The timeline's pointer is over a span of this state, or over none (null). */
  spanHovered(state: StateName | null): void;
}

export interface CodeViewDeps {
  /** Lights the timeline's spans of one state (null: none) and says how many there are. */
  lightSpans(state: StateName | null): number;
}

type Block = (typeof goBlocks)[keyof typeof goBlocks] | (typeof pythonBlocks)[keyof typeof pythonBlocks];
type Mark = StateName | "task";

/** What a marked line or a kind's button does when pointed at, pressed or left. */
interface Pointing {
  point(k: StateName | null): void;
  pin(k: StateName): void;
}

/** A block of code with its caption; its marked lines are buttons bound to how. */
function codeBlock(b: Block, caption: string, stateOf: (m: Mark) => StateName, how: Pointing): HTMLElement {
  const box = document.createElement("div");
  box.className = "code-block";
  box.dataset.file = b.file;
  const cap = box.appendChild(document.createElement("p"));
  cap.className = "code-cap";
  const first = b.lines[0]?.n ?? 1;
  cap.innerHTML = `${caption} <code></code>`;
  cap.querySelector("code")!.textContent = `${b.file}:${first}`;
  const pre = box.appendChild(document.createElement("pre"));
  pre.tabIndex = 0; // a long function scrolls: the keyboard must reach it
  pre.setAttribute("role", "group"); // a name for the scrolling box the keyboard reaches
  pre.setAttribute("aria-label", `${caption} ${b.title}, ${b.file}`);
  const code = pre.appendChild(document.createElement("code"));
  for (const l of b.lines) {
    const line = code.appendChild(document.createElement("span"));
    line.className = "cl";
    line.dataset.line = String(l.n);
    line.innerHTML = l.html; // written by the build from the repository's own files
    const mark = "mark" in l ? (l.mark as Mark) : undefined;
    if (mark) {
      const state = stateOf(mark);
      line.dataset.mark = state;
      line.tabIndex = 0;
      line.setAttribute("role", "button");
      line.setAttribute("aria-pressed", "false");
      line.setAttribute("aria-describedby", `code-kind-${state}`);
      bindPointing(line, state, how);
      line.addEventListener("keydown", (e) => {
        if (e.key === "Enter" || e.key === " ") {
          e.preventDefault();
          how.pin(state);
        }
      });
    }
    code.append("\n");
  }
  return box;
}

/** Hover and focus point at k; a click pins it. */
function bindPointing(el: HTMLElement, k: StateName, how: Pointing): void {
  el.addEventListener("mouseenter", () => how.point(k));
  el.addEventListener("mouseleave", () => how.point(null));
  el.addEventListener("focus", () => how.point(k));
  el.addEventListener("blur", () => how.point(null));
  el.addEventListener("click", () => how.pin(k));
}

/** The intro, the kinds' buttons, the two columns and the live region, in el. */
function codeViewParts(el: HTMLElement) {
  const intro = el.appendChild(document.createElement("p"));
  intro.className = "hint";
  // a phone has no hover: its words say tap (style.css shows one or the other)
  intro.innerHTML =
    "Marked lines spent the time of the timeline's spans of their colour. " +
    '<span class="for-pointer">Hover a span to see its lines; hover, focus or press a marked line (or a button below) to light its spans.</span>' +
    '<span class="for-touch">Tap a span to see its lines; tap a marked line (or a button below) to light its spans.</span>';
  const kinds = el.appendChild(document.createElement("div"));
  kinds.className = "code-kinds";
  kinds.setAttribute("role", "group");
  kinds.setAttribute("aria-label", "Mark the lines of one kind of span");
  const kindButtons = new Map<StateName, HTMLButtonElement>();
  for (const k of Object.keys(stateLabels) as StateName[]) {
    const b = kinds.appendChild(document.createElement("button"));
    b.type = "button";
    b.className = `quiet small code-kind ${k}`;
    b.dataset.kind = k;
    b.setAttribute("aria-pressed", "false");
    b.innerHTML = `<span class="swatch ${k}" aria-hidden="true"></span>`;
    b.append(stateLabels[k]);
    kindButtons.set(k, b);
  }
  const cols = el.appendChild(document.createElement("div"));
  cols.className = "code-cols";
  const python = cols.appendChild(document.createElement("figure"));
  python.className = "code-lang";
  python.dataset.testid = "code-python";
  const go = cols.appendChild(document.createElement("figure"));
  go.className = "code-lang";
  go.dataset.testid = "code-go";
  const said = el.appendChild(document.createElement("p"));
  said.className = "sr-only";
  said.setAttribute("aria-live", "polite");
  said.dataset.testid = "code-announce";
  // what a marked line does, said once per kind (aria-describedby)
  for (const k of Object.keys(stateLabels) as StateName[]) {
    const d = el.appendChild(document.createElement("span"));
    d.id = `code-kind-${k}`;
    d.hidden = true;
    d.textContent = `spends ${stateLabels[k]} time: lights those spans in the timeline`;
  }
  return { kindButtons, python, go, said };
}

/** el is the panel: the module adds to what it holds (a heading). */
function mountCodeView(el: HTMLElement, deps: CodeViewDeps): CodeView {
  const { kindButtons, python, go, said } = codeViewParts(el);
  const marks = new CodeMarks();
  let experiment: Experiment = "io";
  let shownKey = "";
  let spanCount = 0;

  /** A task's line waits in the I/O experiment and computes in the others. */
  const stateOf = (m: Mark): StateName => (m === "task" ? (experiment === "io" ? "wait" : "run") : m);

  /** Shows a change of the marks: the lines, the buttons, the spans, and what is said. */
  function render(c: MarksChange | null): void {
    if (!c) return;
    const k = c.marked;
    for (const [kind, b] of kindButtons) b.setAttribute("aria-pressed", String(kind === marks.pinned));
    for (const line of el.querySelectorAll<HTMLElement>(".cl[data-mark]")) {
      line.classList.toggle("lit", line.dataset.mark === k);
      line.setAttribute("aria-pressed", String(line.dataset.mark === marks.pinned));
    }
    el.dataset.lit = k ?? "";
    if (c.lightSpans !== undefined) spanCount = deps.lightSpans(c.lightSpans);
    if (!c.markChanged) return;
    if (!k) {
      said.textContent = "";
      return;
    }
    const py = python.querySelectorAll(`.cl[data-mark="${k}"]`).length;
    const g = go.querySelectorAll(`.cl[data-mark="${k}"]`).length;
    said.textContent = markedText(k, py, g, marks.spansLit(k) ? spanCount : null);
  }

  const how: Pointing = { point: (k) => render(marks.point(k)), pin: (k) => render(marks.pin(k)) };
  for (const [k, b] of kindButtons) bindPointing(b, k, how);

  return {
    show(e, variant, where) {
      const key = `${e}/${variant}/${where}`;
      const views = codeViews as Record<string, { python: string; go: readonly string[] }>;
      // a variant the browser cannot run is shown as it runs natively; CPython runs the Python
      const ran = views[key] ? where : "native";
      const view = views[`${e}/${variant}/${ran}`];
      if (!view || key === shownKey) return;
      shownKey = key;
      experiment = e;
      el.dataset.view = key;
      python.textContent = "";
      go.textContent = "";
      const pcap = python.appendChild(document.createElement("figcaption"));
      pcap.textContent = where === "cpython" ? "The lesson's Python, in our words: this ran, in CPython" : "The lesson's Python, in our words";
      python.dataset.ran = String(where === "cpython");
      python.appendChild(codeBlock(pythonBlocks[view.python as keyof typeof pythonBlocks], "Python", stateOf, how));
      const gcap = go.appendChild(document.createElement("figcaption"));
      gcap.textContent =
        where === "cpython"
          ? "The Go that runs the same work on the native backend, from this repository"
          : `The Go that runs it ${ran === "browser" ? "in this browser" : "on the native backend"}, from this repository`;
      for (const k of view.go) go.appendChild(codeBlock(goBlocks[k as keyof typeof goBlocks], "Go", stateOf, how));
      render(marks.shown()); // the new lines are marked afresh, and said
    },
    spanHovered(state) {
      render(marks.span(state));
    },
  };
}

/**
 * Mounts the code view in el (none if the page left it out) and links it with timeline both
 * ways.
 */
export function mountCodePanel(el: HTMLElement | null, timeline: Timeline): CodeView | null {
  if (!el) return null;
  const view = mountCodeView(el, { lightSpans: (k) => timeline.highlight(k) });
  timeline.onSpan = (k) => view.spanHovered(k);
  return view;
}

/**
 * Where the form's variant would run, before a run says: the event loop is the browser's
 * (its lesson is the browser's connections), a variant the browser cannot run is native, and
 * the others are native when a backend is connected.
 */
export function likelyWhere(v: Variant, backendConnected: boolean): "browser" | "native" {
  if (v === "eventloop") return "browser";
  return backendConnected || !browserVariants.includes(v) ? "native" : "browser";
}
