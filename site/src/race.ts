// The race's outcome: how many increments were expected, how many the counter holds, how many
// were lost, and why — in the words of the run's own mode and variant.

import { count } from "./format";
import { whereLabel } from "./labels";
import { variantNames } from "./presets";
import type { Result } from "./types";

export function renderRace(el: HTMLElement, r: Result | undefined): void {
  el.hidden = !r?.race;
  if (!r?.race) return;
  const { expected, counted, lost } = r.race;
  const set = (sel: string, text: string) => {
    const n = el.querySelector(sel);
    if (n) n.textContent = text;
  };
  set("[data-race=expected]", count(expected));
  set("[data-race=counted]", count(counted));
  set("[data-race=lost]", count(lost));
  el.classList.toggle("lost", lost > 0);
  const mode = r.spec.mode ?? "unsafe";
  let why: string;
  if (lost > 0) {
    why = `${count(lost)} increments were lost: two workers read the same value and both wrote back value + 1.`;
  } else if (mode !== "unsafe") {
    why = `No update lost: the ${mode === "mutex" ? "lock makes the read and the write one step" : "atomic add is one indivisible step"}.`;
  } else if (r.variant === "eventloop" && !r.spec.yield) {
    why = "No update lost: on an event loop a task runs until it awaits, and nothing awaits between the read and the write. Switch on “yield between read and write” to see cooperative multitasking lose updates.";
  } else if (r.variant === "sequential") {
    why = "No update lost: one task at a time cannot race.";
  } else {
    why = "No update lost this time: the race is real but the timing did not hit it. Run it again, or add workers.";
  }
  set("[data-race=why]", why);
  set("[data-race=where]", `${variantNames[r.variant]} × ${count(r.workers)}, ${whereLabel(r)}`);
}
