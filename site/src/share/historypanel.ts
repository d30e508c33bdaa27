// The history panel: the kept runs (and a shared link's) newest first, each removable, any two
// ticked to see what changed between them; exports of the whole list. mountHistory feeds it:
// this visit's runs as they finish, and the runs a shared link carries.

import { compareRuns } from "./compare";
import { download, resultsCSV, resultsJSON, runsFileName } from "./export";
import { optionalId as byId } from "../dom";
import type { PastResult } from "../chart/durations";
import { count, duration } from "../format";
import { whereLabel } from "../labels";
import { variantNames } from "../presets";
import { RunHistory, type SavedRun } from "./history";
import type { Run } from "../run/runs";
import { decodeSnapshot, snapshotParam } from "./snapshot";
import { describeWork } from "../state";

export interface VisitHistory {
  /** The kept runs, or null on a page without a history panel (an embed). */
  readonly saved: RunHistory | null;
  /** Keeps a finished run of the reader's (finished at at, in ms since the epoch). */
  keep(run: Run, at: number): void;
  /** The kept runs of earlier visits and shared links, for the duration chart. */
  past(): PastResult[];
}

/**
 * The history where the page has a panel for it (table: #history-table): this visit's runs are
 * saved as they finish, under a key of this page load, so the chart can tell them from earlier
 * ones; a shared link's results join it (in memory). say is the run note.
 */
export function mountHistory(table: HTMLTableElement | null, deps: { say(text: string): void }): VisitHistory {
  const saved = table ? new RunHistory() : null;
  try {
    if (saved) new HistoryPanel(table!, saved);
  } catch (e) {
    // the history is an extra: the page must start without it
    const note = byId("history-note");
    if (note) note.textContent = `The history could not be shown: ${(e as Error).message}`;
  }
  const session = Math.random().toString(36).slice(2, 10);

  const shared = new URLSearchParams(location.search).get(snapshotParam);
  if (shared && saved) {
    decodeSnapshot(shared).then(
      (runs) => {
        saved.addShared(runs);
        const machines = new Set(runs.map((r) => whereLabel(r.result)));
        deps.say(`This link holds ${count(runs.length)} ${runs.length === 1 ? "run" : "runs"} measured on ${[...machines].join("; ")}: they are in the history below, marked “shared”, and in the duration chart.`);
      },
      (e) => deps.say(`The link's results were not shown: ${(e as Error).message}.`),
    );
  }

  return {
    saved,
    keep(run, at) {
      if (run.result && run.purpose === "run") saved?.add({ key: `${session}:${run.id}`, at, result: run.result });
    },
    past() {
      if (!saved) return [];
      return saved.runs
        .filter((r) => !r.key.startsWith(`${session}:`))
        .map((r) => ({ result: r.result, label: r.shared ? "shared" : "earlier", visit: r.shared ? "shared" : r.key.split(":")[0]! }));
    },
  };
}

export class HistoryPanel {
  /** The ticked runs' keys, in the order they were ticked: A, then B. */
  private picked: string[] = [];
  private body: HTMLTableSectionElement;

  constructor(
    private table: HTMLTableElement,
    private history: RunHistory,
  ) {
    this.body = table.tBodies[0] ?? table.createTBody();
    history.onChange(() => this.render());
    byId("history-json")?.addEventListener("click", () => download(runsFileName("history", this.history.runs, "json"), resultsJSON(this.history.runs)));
    byId("history-csv")?.addEventListener("click", () => download(runsFileName("history", this.history.runs, "csv"), resultsCSV(this.history.runs), "text/csv"));
    byId("history-clear")?.addEventListener("click", () => {
      if (confirm(`Remove all ${this.history.runs.length} runs from this browser's history?`)) this.history.clear();
    });
    this.render();
  }

  render(): void {
    const runs = [...this.history.runs].reverse();
    const keys = new Set(runs.map((r) => r.key));
    this.picked = this.picked.filter((k) => keys.has(k));
    this.table.hidden = runs.length === 0;
    const empty = byId("history-empty");
    if (empty) empty.hidden = runs.length > 0;
    for (const id of ["history-json", "history-csv", "history-clear"]) byId(id)?.toggleAttribute("disabled", runs.length === 0);
    this.body.textContent = "";
    // a row that cannot be drawn is left out and counted: the rest of the history (and the page) go on
    let unshown = 0;
    for (const run of runs) {
      try {
        this.row(run);
      } catch {
        unshown++;
        this.body.querySelector(`tr[data-key="${CSS.escape(String(run.key))}"]`)?.remove();
      }
    }
    const note = byId("history-note");
    if (note) note.textContent = [this.history.note, unshown ? `${unshown} ${unshown === 1 ? "run" : "runs"} could not be shown.` : ""].filter(Boolean).join(" ");
    try {
      this.compare();
    } catch {
      const box = byId("compare");
      if (box) box.textContent = "These two runs could not be compared.";
    }
  }

  private row(run: SavedRun): void {
    const r = run.result;
    const tr = this.body.insertRow();
    tr.dataset.testid = "history-row";
    tr.dataset.key = run.key;
    tr.dataset.variant = r.variant;
    tr.dataset.where = r.where;
    tr.dataset.durationMs = (r.duration_ns / 1e6).toFixed(3);
    if (run.shared) tr.classList.add("shared");
    const pick = document.createElement("input");
    pick.type = "checkbox";
    pick.checked = this.picked.includes(run.key);
    pick.setAttribute("aria-label", `Compare the ${variantNames[r.variant]} run of ${when(run.at)}`);
    pick.addEventListener("change", () => {
      this.picked = this.picked.filter((k) => k !== run.key);
      if (pick.checked) this.picked.push(run.key);
      // two at a time: ticking a third lets the oldest pick go (the rows stay, and so does focus)
      if (this.picked.length > 2) {
        const gone = this.picked.shift();
        const box = this.body.querySelector<HTMLInputElement>(`tr[data-key="${CSS.escape(gone!)}"] input`);
        if (box) box.checked = false;
      }
      this.compare();
    });
    tr.insertCell().appendChild(pick);
    const whenCell = tr.insertCell();
    whenCell.textContent = when(run.at);
    if (run.shared) {
      const tag = document.createElement("span");
      tag.className = "tag";
      tag.textContent = "shared";
      tag.title = "from the link you opened; not kept after a reload";
      whenCell.append(" ", tag);
    }
    const cells: [string, string?][] = [
      [variantNames[r.variant] + (r.preset ? ` (${r.preset})` : "")],
      [whereLabel(r)],
      [count(r.workers)],
      [describeWork(r.spec)],
      [duration(r.duration_ns), "num"],
    ];
    for (const [text, cls] of cells) {
      const td = tr.insertCell();
      td.textContent = text;
      if (cls) td.className = cls;
    }
    const rm = document.createElement("button");
    rm.type = "button";
    rm.className = "link";
    rm.textContent = "remove";
    rm.dataset.testid = "history-remove";
    rm.setAttribute("aria-label", `Remove the ${variantNames[r.variant]} run of ${when(run.at)} from the history`);
    rm.addEventListener("click", () => this.history.remove(run.key));
    tr.insertCell().appendChild(rm);
  }

  /** With two runs ticked, shows what changed between them. */
  private compare(): void {
    const box = byId("compare");
    if (!box) return;
    const [a, b] = this.picked.map((k) => this.history.runs.find((r) => r.key === k)!);
    box.hidden = !(a && b);
    box.textContent = "";
    if (!a || !b) return;
    const c = compareRuns(a.result, b.result);
    const h = document.createElement("h3");
    h.textContent = "What changed";
    const summary = document.createElement("p");
    summary.className = "compare-summary";
    summary.textContent = c.summary;
    const verdict = document.createElement("p");
    verdict.textContent = c.verdict;
    const table = document.createElement("table");
    table.className = "results compare-table";
    table.createCaption().textContent = `Run A (${when(a.at)}) against run B (${when(b.at)})`;
    const head = table.createTHead().insertRow();
    for (const t of ["field", "A", "B"]) {
      const th = document.createElement("th");
      th.scope = "col";
      // the first column's name is plain from its rows: heard, not shown (an empty header is announced as nothing)
      if (t === "field") th.innerHTML = `<span class="sr-only">${t}</span>`;
      else th.textContent = t;
      head.appendChild(th);
    }
    const body = table.createTBody();
    let group = "";
    for (const d of c.rows) {
      if (d.group !== group) {
        group = d.group;
        const g = body.insertRow();
        g.className = "compare-group";
        const th = document.createElement("th");
        th.colSpan = 3;
        th.scope = "colgroup";
        th.textContent = group;
        g.appendChild(th);
      }
      const tr = body.insertRow();
      tr.className = d.changed ? "changed" : "same";
      const th = document.createElement("th");
      th.scope = "row";
      th.textContent = d.field;
      tr.appendChild(th);
      tr.insertCell().textContent = d.a;
      tr.insertCell().textContent = d.b;
      if (d.changed) tr.cells[2]!.setAttribute("aria-description", "changed");
    }
    box.append(h, summary, verdict, table);
  }
}

function when(at: number): string {
  const d = new Date(at);
  const today = new Date().toDateString() === d.toDateString();
  return today ? d.toLocaleTimeString("en-GB") : d.toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short" });
}

