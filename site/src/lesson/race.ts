// The race's outcome: how many increments were expected, how many the counter holds, how many
// were lost, and why — in the words of the run's own mode and variant. What is said must be
// true of the run: a process pool shares no counter at all, a lock or an atomic add cannot lose
// an update, and where the timing alone did not show the race, the switch between the read and
// the write (the yield) is the step that always does.

import { count } from "../format";
import { whereLabel } from "../labels";
import { variantNames } from "../presets";
import type { Result } from "../types";

const yieldName = "“yield between read and write”";

/** Why the run lost what it lost (or nothing), in a sentence or two. */
export function raceWhy(r: Result): string {
  if (!r.race) return "";
  const { counted, lost } = r.race;
  const mode = r.spec.mode ?? "unsafe";
  const yielded = r.spec.yield === true;
  if (r.variant === "process") {
    const n = r.race.processes?.length ?? r.workers;
    return (
      `Nothing was lost because nothing is shared: each of the ${count(n)} ${n === 1 ? "process has its" : "processes has its own"} counter in its own memory and counted only its own increments. ` +
      `The ${count(counted)} is their counters added up afterwards; the parent's own counter did not move at all (${count(r.race.parent ?? 0)}).`
    );
  }
  if (mode === "mutex") return "No update can be lost: the lock makes the read and the write one step.";
  if (mode === "atomic") return "No update can be lost: the atomic add is one indivisible step.";
  if (lost > 0) {
    const how = `${count(lost)} increments were lost: two workers read the same value and both wrote back value + 1.`;
    return yielded
      ? `${how} The yield between the read and the write hands the counter to another worker in the middle of every increment.`
      : `${how} Switch on ${yieldName} to put a switch exactly there: then nearly every update is lost, even on one core.`;
  }
  if (r.variant === "sequential") return "No update lost: one task at a time cannot race.";
  if (r.variant === "eventloop" && !yielded) {
    return `No update lost: on an event loop a task runs until it awaits, and nothing awaits between the read and the write. Switch on ${yieldName} to see cooperative multitasking lose updates.`;
  }
  if (r.variant === "gil" && !yielded) {
    return `No update lost, as with CPython 3.11: only the thread that holds the interpreter lock runs, and the lock is not handed over between the read and the write. Switch on ${yieldName} to hand it over exactly there.`;
  }
  const cores = r.machine?.cores;
  return (
    `No update lost this time: the race is real, but no two increments overlapped${cores ? ` on these ${count(cores)} ${cores === 1 ? "core" : "cores"}` : ""}. ` +
    `Switch on ${yieldName}: a switch in the middle of every increment shows the race every time, even on one core.`
  );
}

/**
 * Whether r could not have lost an update, whatever the timing: a lock, an atomic add, one task
 * at a time, or nothing shared. Only then is its "0 lost" the green of safe; an unsafe run that
 * happened to lose none is not.
 */
export function raceSafe(r: Result): boolean {
  const mode = r.spec.mode ?? "unsafe";
  return mode === "mutex" || mode === "atomic" || r.variant === "sequential" || r.variant === "process";
}

export function renderRace(el: HTMLElement, r: Result | undefined): void {
  el.hidden = !r?.race;
  if (!r?.race) return;
  const { expected, counted, lost } = r.race;
  const set = (sel: string, text: string) => {
    const n = el.querySelector<HTMLElement>(sel);
    if (!n) return;
    n.textContent = text;
    n.hidden = text === "";
  };
  set("[data-race=expected]", count(expected));
  set("[data-race=counted]", count(counted));
  set("[data-race=lost]", count(lost));
  el.classList.toggle("lost", lost > 0);
  el.classList.toggle("safe", lost === 0 && raceSafe(r));
  set("[data-race=why]", raceWhy(r));
  // the process pool: both sides of "nothing is shared", each process's count and the parent's
  renderProcesses(el.querySelector<HTMLElement>("[data-race=processes]"), r.variant === "process" ? (r.race.processes ?? []) : [], r.race.parent ?? 0);
  set("[data-race=repeats]", repeatsLost(r.race.lost_repeats));
  set("[data-race=where]", `${variantNames[r.variant]} × ${count(r.workers)}, ${whereLabel(r)}`);
}

/**
 * In how many repeats the race lost, and how much in each: a race is intermittent, and the
 * page says so with the run's own figures. "" for a run of one repeat.
 */
export function repeatsLost(per: readonly number[] | undefined): string {
  if (!per || per.length < 2) return "";
  const k = per.filter((l) => l > 0).length;
  return `Lost updates in ${count(k)} of ${count(per.length)} repeats; in each, in the order they ran: ${per.map(count).join(" · ")}.`;
}

/**
 * Each process's own counter as a card of its own (64 of them read as one run of text), then
 * the parent's; el is hidden when there are none (not the process variant).
 */
function renderProcesses(el: HTMLElement | null, procs: readonly number[], parent: number): void {
  if (!el) return;
  el.hidden = procs.length === 0;
  el.textContent = "";
  if (!procs.length) return;
  el.appendChild(document.createElement("p")).textContent = "Each process's own counter:";
  const list = el.appendChild(document.createElement("ul"));
  list.className = "race-procs";
  procs.forEach((c, i) => {
    const li = list.appendChild(document.createElement("li"));
    li.textContent = `process ${i}: ${count(c)}`;
  });
  el.appendChild(document.createElement("p")).textContent = `The parent's counter: ${count(parent)}.`;
}
