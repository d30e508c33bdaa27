// The "be the scheduler" panel (#scheduler, shown with the race): the two threads' code with a
// cursor on each thread's next step, a step button per thread, the shared counter and the
// updates lost so far. The state machine is scheduler.ts; this module only draws it and turns
// clicks into steps. Every step is said in a live region, so a screen reader hears what each
// thread did and when an update is lost; a button that cannot act says why in its own label.

import {
  allFinished, awaitPlaces, blocked, expected, initialState, lost, nextStep, schedulerModes, stale, step, threadNames,
  type AwaitPlace, type SchedulerMode, type SchedulerState, type ThreadName,
} from "./scheduler";

const modeNames: Record<SchedulerMode, string> = {
  unsafe: "unsafe: read, add, write",
  mutex: "mutex: under a lock",
  atomic: "atomic: one step",
  eventloop: "event loop: switch at an await",
};

const awaitNames: Record<AwaitPlace, string> = {
  read: "after the read",
  add: "after the add",
  none: "nowhere",
};

const modeHelp: Record<SchedulerMode, string> = {
  unsafe: "Each thread reads the counter, adds one to its own copy, writes the copy back. Let both read before either writes.",
  mutex: "The lock makes read, add and write one block: while one thread holds it, the other waits at its acquire.",
  atomic: "The add is one indivisible step: there is no moment between the read and the write for the other thread.",
  eventloop: "One task runs until it awaits; only there can the loop switch to the other. Move the await and see what it allows.",
};

const label = (k: string): string => ({ acquire: "acquire", read: "read", add: "add", write: "write", release: "release", atomic: "add atomically", await: "await" })[k] ?? k;

/** The panel's markup: the mode and await selects, a thread's code and button per thread, the figures. */
function panelMarkup(): string {
  const id = (s: string) => `scheduler-${s}`;
  return `
<div class="panel-head"><h2 id="${id("h")}">Be the scheduler</h2></div>
<p class="hint">Two threads each do <code>counter += 1</code> once. You choose which thread takes its next step: the cursor <span aria-hidden="true">▶</span> marks it.</p>
<div class="sched-controls">
  <div class="field">
    <label for="${id("mode")}">Mode</label>
    <select id="${id("mode")}" data-testid="scheduler-mode">${schedulerModes.map((m) => `<option value="${m}">${modeNames[m]}</option>`).join("")}</select>
  </div>
  <div class="field" data-await>
    <label for="${id("await")}">Put the await</label>
    <select id="${id("await")}" data-testid="scheduler-await">${awaitPlaces.map((p) => `<option value="${p}">${awaitNames[p]}</option>`).join("")}</select>
  </div>
  <button type="button" class="quiet" data-testid="scheduler-reset">Start again</button>
</div>
<p class="hint" data-help></p>
<div class="sched-threads">${threadNames.map((t) => `
  <div class="sched-thread" data-thread="${t}" role="group" aria-labelledby="${id(`t${t}`)}">
    <h3 id="${id(`t${t}`)}">Thread ${t}</h3>
    <ol class="sched-code" aria-label="Thread ${t}'s code"></ol>
    <p class="sched-copy" data-copy></p>
    <button type="button" data-testid="scheduler-step" data-thread="${t}"></button>
  </div>`).join("")}
</div>
<dl class="race-figures sched-figures">
  <div><dt>counter</dt><dd data-testid="scheduler-counter"></dd></div>
  <div><dt>expected at the end</dt><dd>${expected}</dd></div>
  <div class="lost-figure"><dt>lost updates</dt><dd data-testid="scheduler-lost"></dd></div>
</dl>
<p class="sched-said" data-said role="status" aria-live="polite"></p>`;
}

/** Draws one thread's box: its code with the cursor, its copy of the counter, its step button. */
function drawThread(box: HTMLElement, s: SchedulerState, t: ThreadName): void {
  const th = s.threads[t];
  // on an event loop the two are tasks (coroutines) on one thread
  box.querySelector("h3")!.textContent = `${s.mode === "eventloop" ? "Task" : "Thread"} ${t}`;
  const code = box.querySelector("ol")!;
  code.replaceChildren(
    ...s.program.map((st, i) => {
      const li = document.createElement("li");
      li.className = `sched-line${st.kind === "await" ? " await" : ""}${i < th.pc ? " done" : ""}`;
      if (i === th.pc) li.setAttribute("aria-current", "step");
      const cursor = document.createElement("span");
      cursor.className = "cursor";
      cursor.setAttribute("aria-hidden", "true");
      cursor.textContent = i === th.pc ? "▶" : "";
      const c = document.createElement("code");
      c.textContent = st.code;
      li.append(cursor, c);
      return li;
    }),
  );
  const copy = box.querySelector<HTMLElement>("[data-copy]")!;
  const holds = s.lockHolder === t ? " · holds the lock" : "";
  copy.textContent = th.copy === null ? `copy: none yet${holds}` : `copy: ${th.copy}${stale(s, t) ? ` (stale: the counter is now ${s.counter})` : ""}${holds}`;
  copy.classList.toggle("stale", stale(s, t));
  const button = box.querySelector<HTMLButtonElement>("[data-testid=scheduler-step]")!;
  const why = blocked(s, t);
  button.disabled = why !== null;
  button.textContent = why ?? `Step ${t}: ${label(nextStep(s, t)!.kind)}`;
}

export interface SchedulerView {
  /** Shows the panel or hides it (it belongs to the race). */
  show(on: boolean): void;
}

/** Mounts the panel into el (an empty <section id="scheduler">), or does nothing without one. */
export function mountScheduler(panel: HTMLElement | null): SchedulerView {
  if (!panel) return { show() {} };
  const el: HTMLElement = panel;
  el.innerHTML = panelMarkup();

  const q = <T extends HTMLElement>(sel: string) => el.querySelector<T>(sel)!;
  const modeSelect = q<HTMLSelectElement>("[data-testid=scheduler-mode]");
  const awaitSelect = q<HTMLSelectElement>("[data-testid=scheduler-await]");
  const said = q("[data-said]");
  let s: SchedulerState = initialState("unsafe");

  function reset(): void {
    s = initialState(modeSelect.value as SchedulerMode, awaitSelect.value as AwaitPlace);
    draw();
  }

  function draw(): void {
    el.dataset.mode = s.mode;
    q("[data-await]").hidden = s.mode !== "eventloop";
    q("[data-help]").textContent = modeHelp[s.mode];
    for (const t of threadNames) {
      drawThread(q(`.sched-thread[data-thread="${t}"]`), s, t);
    }
    const counter = q("[data-testid=scheduler-counter]");
    counter.textContent = String(s.counter);
    counter.dataset.value = String(s.counter);
    const lostEl = q("[data-testid=scheduler-lost]");
    lostEl.textContent = String(lost(s));
    lostEl.dataset.value = String(lost(s));
    el.classList.toggle("lost", lost(s) > 0);
    el.dataset.finished = String(allFinished(s));
  }

  function onStep(t: ThreadName, button: HTMLButtonElement): void {
    if (blocked(s, t)) return;
    const out = step(s, t);
    s = out.state;
    said.textContent = out.said;
    draw();
    // a button that became disabled drops the focus: give it to the thread that can go on
    if (button.disabled) {
      const next = threadNames.map((n) => q<HTMLButtonElement>(`[data-testid=scheduler-step][data-thread="${n}"]`)).find((b) => !b.disabled);
      (next ?? q<HTMLButtonElement>("[data-testid=scheduler-reset]")).focus();
    }
  }

  for (const t of threadNames) {
    const b = q<HTMLButtonElement>(`[data-testid=scheduler-step][data-thread="${t}"]`);
    b.addEventListener("click", () => onStep(t, b));
  }
  modeSelect.addEventListener("change", () => {
    reset();
    said.textContent = `Mode ${modeNames[s.mode]}: both threads start again at 0.`;
  });
  awaitSelect.addEventListener("change", () => {
    reset();
    said.textContent = `The await is now ${awaitNames[s.awaitAfter]}: both tasks start again.`;
  });
  q("[data-testid=scheduler-reset]").addEventListener("click", () => {
    reset();
    said.textContent = "Both threads start again: the counter is 0.";
  });
  reset();

  return {
    show(on) {
      el.hidden = !on;
    },
  };
}
