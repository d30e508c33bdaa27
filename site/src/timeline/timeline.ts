// The timing diagram of one run: a lane per worker (thread, process or connection), a bar per
// span — blue while it computes, red while it waits, grey while a process starts. uPlot has no
// Gantt series, so uPlot provides the axes, the zoom (drag across, double-click to reset) and
// the cursor, and the spans are drawn in its draw hook straight from the store's typed arrays.
// While a run goes, the live view (liveview.ts) redraws it at most 4 times a second. data-spans
// says how many spans the last drawing held (data-spawns how many were processes starting) and
// data-update-ms what that update cost. Tasks back to back on a lane are drawn with a hairline between them;
// more lanes than fit share rows (lanes.ts), which data-lane-group and data-lane-rows give and
// the note after the chart (data-testid=timeline-lanes) says in words.

import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { axisStyle, fillTable, onThemeChange, themeColor } from "../chart/chart";
import { count, duration } from "../format";
import { tickLabels } from "./ticks";
import { groupLanes, groupingNote, lanesOf, minLanePx, rowLanes, type LaneGrouping } from "./lanes";
import type { SpanStore } from "./spans";
import { stateNames, type StateName } from "../types";

export interface TimelineRun {
  id: number;
  title: string;
  /** What a lane is: "worker", "thread", "process", "task", "connection" (labels.ts laneName). */
  laneName: string;
  spans: SpanStore;
  /**
   * How many lanes the run has, when that is known before its spans say (a pool's threads,
   * some of which may never get a task); read at each drawing. Absent or 0: as many as the
   * spans name.
   */
  lanes?: () => number;
  /**
   * Where each repeat after the first starts (ms from the start of the run: the repeats run one
   * after another on one timeline) and what to call every repeat; read at each drawing, since
   * a running run learns them as it goes. Empty or absent: a run of one repeat.
   */
  repeats?: () => RepeatMark[];
}

export interface RepeatMark {
  /** ms from the start of the run */
  start: number;
  label: string;
  /** What to write where the label does not fit: "2". */
  short: string;
}

/** The shortest time between two announcements of the timeline's title to a screen reader. */
const announceEveryMs = 5000;

export class Timeline {
  private u: uPlot;
  private run: TimelineRun | null = null;
  private zoomed = false;
  private colors = ["#2563eb", "#dc2626", "#9ca3af"];
  private ink = { fg: "#1b1d21", muted: "#5d636e", panel: "#ffffff" };
  private tip: HTMLDivElement;
  private table: HTMLTableElement;
  /** The state whose spans are lit (the others fade), -1 for none: see highlight. */
  private lit = -1;
  private hoveredState: StateName | null = null;
  /** Told the state of the span under the pointer, null once there is none (the code view). */
  onSpan: ((state: StateName | null) => void) | null = null;
  /** How lanes map to rows at the current height. */
  private rows: LaneGrouping = { group: 1, rows: 1 };
  /** Says how lanes were grouped, when they were. */
  private lanesNote: HTMLParagraphElement;

  constructor(private el: HTMLElement) {
    el.tabIndex = 0;
    // a group, not an img: it takes keys (zoom, pan); its label says what it shows
    el.setAttribute("role", "group");
    el.setAttribute("aria-roledescription", "timeline");
    el.dataset.spans = "0";
    // a table keeps its content's width whatever its own: the wrapper does the hiding
    const box = document.createElement("div");
    box.className = "sr-only";
    this.table = box.appendChild(document.createElement("table"));
    el.after(box);
    this.lanesNote = document.createElement("p");
    this.lanesNote.className = "hint timeline-lanes";
    this.lanesNote.dataset.testid = "timeline-lanes";
    this.lanesNote.hidden = true;
    // after the data table's box: that box stays the chart's next sibling, as tests and styles expect
    box.after(this.lanesNote);
    this.readColors();
    onThemeChange(() => {
      this.readColors();
      this.u.redraw(false, true);
    });
    const axis = axisStyle();
    this.u = new uPlot(
      {
        width: Math.max(280, el.clientWidth),
        height: this.height(),
        legend: { show: false },
        cursor: { drag: { x: true, y: false, setScale: true }, y: false, points: { show: false } },
        scales: {
          x: { time: false },
          y: { range: () => [0, this.rows.rows] },
        },
        axes: [
          { ...axis, values: (_u, splits) => tickLabels(splits), label: "ms from the start of the run", labelSize: 20 },
          {
            ...axis,
            size: 56,
            splits: () => this.laneSplits(),
            values: (_u, splits) => splits.map((v) => this.laneLabel(v)),
          },
        ],
        series: [{}, { show: false }],
        hooks: {
          draw: [(u) => this.draw(u)],
          setSelect: [() => (this.zoomed = true)],
          setCursor: [(u) => this.hover(u)],
          setScale: [
            (u, key) => {
              if (key === "x" && this.run) {
                const s = u.scales.x;
                // a double-click restores the data's range: that is "not zoomed" again
                if ((s.min ?? 0) <= 0 && (s.max ?? 0) >= this.run.spans.maxEnd) this.zoomed = false;
                // the visible window in ms, for whoever checks the zoom (tests, a run history)
                this.el.dataset.view = `${(s.min ?? 0).toFixed(3)}..${(s.max ?? 0).toFixed(3)}`;
              }
            },
          ],
        },
      },
      [[0, 1], [null, null]],
      el,
    );
    this.tip = document.createElement("div");
    this.tip.className = "tip";
    this.tip.hidden = true;
    this.u.over.appendChild(this.tip);
    this.u.over.addEventListener("mouseleave", () => {
      this.tip.hidden = true;
      this.hovered(null);
    });
    // A touch screen has no hover: a tap puts the cursor where it landed, so the span there
    // shows its tip and lights its lines in the code view, as a hover does (a tap elsewhere
    // moves it on, a tap off the chart is its mouseleave).
    this.u.over.addEventListener("pointerup", (e) => {
      if (e.pointerType !== "touch") return;
      const r = this.u.over.getBoundingClientRect();
      this.u.setCursor({ left: e.clientX - r.left, top: e.clientY - r.top });
    });
    new ResizeObserver(() => {
      const w = Math.max(280, this.el.clientWidth);
      if (Math.abs(w - this.u.width) > 1) this.u.setSize({ width: w, height: this.height() });
    }).observe(el);
    el.addEventListener("keydown", (e) => this.key(e));
    const title = document.getElementById("timeline-title");
    if (title) announce(title);
  }

  /** Tall enough for its lanes, no taller: one lane of a sequential run needs no 300 px. */
  private height(): number {
    const lanes = this.run ? this.laneCount() : 4;
    const max = innerWidth < 600 ? 240 : 320;
    return Math.round(Math.min(max, Math.max(140, 60 + lanes * 34)));
  }

  /**
   * The rows the lanes get at height h: the plot is h less the x axis and its label (measured
   * once drawn; 70 px before), and a row is at least minLanePx tall.
   */
  private grouping(h: number): LaneGrouping {
    const axis = this.u && this.u.bbox.height > 0 ? this.u.height - this.u.bbox.height / devicePixelRatio : 70;
    return groupLanes(this.laneCount(), (h - axis) / minLanePx);
  }

  /** The lanes of the shown run: its own count, or the spans' if they name more. */
  private laneCount(): number {
    const run = this.run;
    return Math.max(1, run?.spans.lanes ?? 1, run?.lanes?.() ?? 0);
  }

  private readColors(): void {
    this.colors = [themeColor("--run"), themeColor("--wait"), themeColor("--spawn")];
    this.ink = { fg: themeColor("--fg"), muted: themeColor("--muted"), panel: themeColor("--panel") };
  }

  /** Shows run (live: call update as its spans arrive). */
  show(run: TimelineRun): void {
    this.run = run;
    this.zoomed = false;
    this.tip.hidden = true;
    this.el.dataset.run = String(run.id);
    this.flush();
  }

  get current(): TimelineRun | null {
    return this.run;
  }

  /** Redraws now: the run ended or changed, or the live view's paced redraw is due. */
  flush(): void {
    const run = this.run;
    if (!run) return;
    const t0 = performance.now();
    const end = Math.max(run.spans.maxEnd, 1e-3);
    const h = this.height();
    this.rows = this.grouping(h);
    this.u.batch(() => {
      if (h !== this.u.height) this.u.setSize({ width: this.u.width, height: h });
      this.u.setData([[0, end], [null, null]], !this.zoomed);
      if (this.zoomed) this.u.redraw(false, true);
    });
    const dt = performance.now() - t0;
    this.el.dataset.spans = String(run.spans.n);
    this.el.dataset.spawns = String(run.spans.spawns);
    this.el.dataset.updateMs = dt.toFixed(2);
    this.el.dataset.laneGroup = String(this.rows.group);
    this.el.dataset.laneRows = String(this.rows.rows);
    const lanes = this.laneCount();
    const note = groupingNote(lanes, this.rows, run.laneName);
    if (this.lanesNote.textContent !== note) this.lanesNote.textContent = note;
    this.lanesNote.hidden = !note;
    this.el.setAttribute("aria-label", `Timeline of ${run.title}: ${count(run.spans.n)} spans on ${count(lanes)} ${run.laneName} lanes over ${duration(end * 1e6)}${note ? `; ${note.split(":")[0]}` : ""}`);
  }

  /** Rewrites the data table behind the chart (per lane totals): at the end of a run. */
  describe(): void {
    const run = this.run;
    if (!run) return;
    const lanes = run.spans.laneTotals(this.laneCount());
    // a row per drawn lane: the chart's groups, summed
    const g = this.rows;
    const rows = Array.from({ length: g.rows }, (_, r) => {
      const { first, last } = rowLanes(r, g, lanes.length);
      const t = { name: first === last ? String(first) : `${first}–${last}`, spans: 0, run: 0, wait: 0, spawn: 0, first: Infinity, last: 0 };
      for (const l of lanes.slice(first, last + 1)) {
        t.spans += l.spans;
        t.run += l.run;
        t.wait += l.wait;
        t.spawn += l.spawn;
        t.first = Math.min(t.first, l.first);
        t.last = Math.max(t.last, l.last);
      }
      return t;
    });
    const shown = rows.slice(0, 200);
    const grouped = g.group > 1 ? ` in groups of ${count(g.group)}` : "";
    const caption = `Time per ${run.laneName}${grouped} in ${run.title}` + (rows.length > shown.length ? ` (first ${shown.length} of ${rows.length} lanes)` : "");
    const ms = (v: number) => `${fmtMs(v)} ms`;
    fillTable(
      this.table,
      caption,
      [g.group > 1 ? lanesOf(run.laneName) : run.laneName, "spans", "computing", "waiting", "starting", "first start", "last end"],
      shown.map((t) => [t.name, count(t.spans), ms(t.run), ms(t.wait), ms(t.spawn), t.spans ? ms(t.first) : "–", ms(t.last)]),
    );
  }

  /** Where the y axis labels rows: every row while they fit 18 px apart, else every few. */
  private laneSplits(): number[] {
    const rows = this.rows.rows;
    const fit = Math.floor(this.u ? this.u.bbox.height / devicePixelRatio / 18 : 10);
    const step = Math.max(1, Math.ceil(rows / Math.max(1, fit)));
    const out: number[] = [];
    for (let row = 0; row < rows; row += step) out.push(rows - row - 0.5);
    return out;
  }

  private laneLabel(y: number): string {
    // A row's label is its kind's initial (worker, thread, process, connection, task) and the
    // number of its (first) lane; the note under the chart says how many a row holds.
    const short = (this.run?.laneName ?? "worker").charAt(0);
    return `${short}${Math.round(this.rows.rows - y - 0.5) * this.rows.group}`;
  }

  private draw(u: uPlot): void {
    const run = this.run;
    if (!run || run.spans.n === 0) return;
    const t0 = performance.now();
    const s = run.spans;
    const { left, top, width, height } = u.bbox;
    const min = u.scales.x.min ?? 0;
    const max = u.scales.x.max ?? 1;
    const kx = width / (max - min || 1);
    const group = this.rows.group;
    const laneH = height / this.rows.rows;
    const px = devicePixelRatio;
    const gap = laneH > 6 * px ? Math.min(2 * px, laneH * 0.15) : laneH >= 4 * px ? px : 0;
    const minW = px; // a span shorter than a pixel still shows
    const h = Math.max(laneH - gap, px);
    // a span wide enough to spare it ends a pixel short: the next task on the lane, back to
    // back, starts after a visible boundary instead of merging into one solid bar
    const edge = 3 * px;
    const ctx = u.ctx;
    ctx.save();
    ctx.beginPath();
    ctx.rect(left, top, width, height);
    ctx.clip();
    // One path per state and one fill each: thousands of rects, three paint calls.
    for (let state = 0; state < 3; state++) {
      ctx.beginPath();
      let any = false;
      for (let i = 0; i < s.n; i++) {
        if (s.state[i] !== state) continue;
        const x0 = left + (s.start[i]! - min) * kx;
        const x1 = left + (s.end[i]! - min) * kx;
        if (x1 < left || x0 > left + width) continue;
        const y = top + Math.floor(s.lane[i]! / group) * laneH + gap / 2;
        const w = x1 - x0;
        ctx.rect(x0, y, w >= edge ? w - px : Math.max(w, minW), h);
        any = true;
      }
      if (any) {
        ctx.fillStyle = this.colors[state]!;
        ctx.globalAlpha = this.lit >= 0 && this.lit !== state ? 0.2 : 1;
        ctx.fill();
        ctx.globalAlpha = 1;
      }
    }
    this.drawRepeats(u);
    ctx.restore();
    this.el.dataset.drawMs = (performance.now() - t0).toFixed(2);
  }

  /** A dashed line where each repeat starts, and the repeat's name at the top of its stretch. */
  private drawRepeats(u: uPlot): void {
    const marks = this.run?.repeats?.() ?? [];
    this.el.dataset.repeats = String(marks.length);
    if (marks.length < 2) return;
    const { left, top, width, height } = u.bbox;
    const min = u.scales.x.min ?? 0;
    const max = u.scales.x.max ?? 1;
    const kx = width / (max - min || 1);
    const ctx = u.ctx;
    const px = devicePixelRatio;
    ctx.font = `${Math.round(11 * px)}px system-ui, sans-serif`;
    ctx.textBaseline = "top";
    ctx.textAlign = "left"; // uPlot leaves it as its last axis set it
    ctx.lineWidth = px;
    ctx.setLineDash([4 * px, 3 * px]);
    marks.forEach((m, i) => {
      const x = left + (m.start - min) * kx;
      const next = i + 1 < marks.length ? left + (marks[i + 1]!.start - min) * kx : left + width;
      if (next < left || x > left + width) return;
      if (i > 0 && x >= left) {
        ctx.strokeStyle = this.ink.muted;
        ctx.beginPath();
        ctx.moveTo(Math.round(x) + 0.5, top);
        ctx.lineTo(Math.round(x) + 0.5, top + height);
        ctx.stroke();
      }
      // the name, where its stretch is wide enough to hold it, on a backing that keeps it legible
      const lx = Math.max(x, left) + 4 * px;
      const room = Math.min(next, left + width) - 2 * px - lx;
      const label = [m.label, m.short].find((l) => ctx.measureText(l).width <= room);
      if (!label) return;
      const w = ctx.measureText(label).width;
      ctx.fillStyle = this.ink.panel;
      ctx.globalAlpha = 0.85;
      ctx.fillRect(lx - 2 * px, top + px, w + 4 * px, 14 * px);
      ctx.globalAlpha = 1;
      ctx.fillStyle = this.ink.fg;
      ctx.fillText(label, lx, top + 2 * px);
    });
    ctx.setLineDash([]);
  }

  private hover(u: uPlot): void {
    const run = this.run;
    const { left, top } = u.cursor;
    if (!run || left == null || top == null || left < 0 || run.spans.n === 0) {
      this.tip.hidden = true;
      this.hovered(null);
      return;
    }
    const rowH = u.over.clientHeight / this.rows.rows;
    const { first, last } = rowLanes(Math.floor(top / rowH), this.rows, this.laneCount());
    const t = u.posToVal(left, "x");
    const slack = u.posToVal(left + 3, "x") - t; // a few pixels of grace for thin spans
    // a row of a group: the first of its lanes with a span under the cursor
    let i = -1;
    for (let lane = first; lane <= last && i < 0; lane++) i = run.spans.find(lane, t, slack);
    if (i < 0) {
      this.tip.hidden = true;
      this.hovered(null);
      return;
    }
    this.showTip(i, left, top);
    this.hovered(stateNames[run.spans.state[i]!] ?? null);
  }

  private hovered(state: StateName | null): void {
    if (state === this.hoveredState) return;
    this.hoveredState = state;
    this.onSpan?.(state);
  }

  /**
   * Lights the spans of one state, the others fading, or none (null); returns how many spans
   * of that state the run on screen has. data-lit says which state is lit.
   */
  highlight(state: StateName | null): number {
    this.lit = state ? stateNames.indexOf(state) : -1;
    this.el.dataset.lit = state ?? "";
    this.u.redraw(false, false);
    const s = this.run?.spans;
    let n = 0;
    if (s && this.lit >= 0) for (let i = 0; i < s.n; i++) if (s.state[i] === this.lit) n++;
    return n;
  }

  private showTip(i: number, x: number, y: number): void {
    const s = this.run!.spans;
    const task = s.task[i]!;
    const st = s.start[i]!;
    const en = s.end[i]!;
    this.tip.textContent = "";
    const line = (text: string, cls = "") => {
      const d = document.createElement("div");
      d.textContent = text;
      if (cls) d.className = cls;
      this.tip.appendChild(d);
    };
    line(`${this.run!.laneName} ${s.lane[i]} · ${task >= 0 ? `task ${task}` : "no task"}`, "tip-head");
    const state = stateNames[s.state[i]!];
    line(`${state ?? "?"} ${fmtMs(st)} → ${fmtMs(en)} ms (${duration((en - st) * 1e6)})`, `tip-${state}`);
    this.tip.hidden = false;
    const w = this.u.over.clientWidth;
    const h = this.u.over.clientHeight;
    const tw = this.tip.offsetWidth;
    const th = this.tip.offsetHeight;
    this.tip.style.left = `${Math.min(Math.max(0, x + 12), w - tw)}px`;
    this.tip.style.top = `${y + 12 + th > h ? Math.max(0, y - th - 8) : y + 12}px`;
  }

  /** Keyboard: + and − zoom, ← and → pan, 0 and Home reset. */
  private key(e: KeyboardEvent): void {
    const run = this.run;
    if (!run) return;
    const x = this.u.scales.x;
    let min = x.min ?? 0;
    let max = x.max ?? run.spans.maxEnd;
    const span = max - min;
    switch (e.key) {
      case "+":
      case "=":
        min += span / 4;
        max -= span / 4;
        break;
      case "-":
      case "_":
        min = Math.max(0, min - span / 2);
        max = Math.min(run.spans.maxEnd, max + span / 2);
        break;
      case "ArrowLeft":
        min -= span / 5;
        max -= span / 5;
        if (min < 0) [min, max] = [0, span];
        break;
      case "ArrowRight":
        min += span / 5;
        max += span / 5;
        if (max > run.spans.maxEnd) [min, max] = [Math.max(0, run.spans.maxEnd - span), run.spans.maxEnd];
        break;
      case "0":
      case "Home":
        min = 0;
        max = run.spans.maxEnd;
        break;
      default:
        return;
    }
    e.preventDefault();
    this.zoomed = !(min <= 0 && max >= run.spans.maxEnd);
    this.u.setScale("x", { min, max });
  }

  /** Zooms by a factor around the middle (buttons for those who use neither mouse nor keys). */
  zoom(factor: number): void {
    const run = this.run;
    if (!run) return;
    if (factor === 0) {
      this.zoomed = false;
      this.u.setScale("x", { min: 0, max: run.spans.maxEnd });
      return;
    }
    const x = this.u.scales.x;
    const min = x.min ?? 0;
    const max = x.max ?? run.spans.maxEnd;
    const mid = (min + max) / 2;
    const half = ((max - min) / 2) * factor;
    const lo = Math.max(0, mid - half);
    const hi = Math.min(run.spans.maxEnd, mid + half);
    this.zoomed = !(lo <= 0 && hi >= run.spans.maxEnd);
    this.u.setScale("x", { min: lo, max: hi });
  }
}

/**
 * The timeline's title says what runs and how far it got, rewritten at every live redraw while a
 * run goes: as a live region itself it would queue an announcement per redraw. A polite live region
 * next to it repeats it instead, at most every announceEveryMs, and always its last text (a
 * change in between waits for the next slot, so the run's end is said within that time).
 */
function announce(title: HTMLElement): void {
  const live = document.createElement("p");
  live.className = "sr-only";
  live.setAttribute("aria-live", "polite");
  live.setAttribute("aria-atomic", "true");
  live.dataset.testid = "timeline-announce";
  title.after(live);
  let last = -Infinity;
  let timer = 0;
  const say = () => {
    timer = 0;
    last = performance.now();
    const text = title.textContent ?? "";
    if (live.textContent !== text) live.textContent = text;
  };
  new MutationObserver(() => {
    if (timer) return;
    const wait = last + announceEveryMs - performance.now();
    if (wait <= 0) say();
    else timer = window.setTimeout(say, wait);
  }).observe(title, { childList: true, characterData: true, subtree: true });
}

function fmtMs(v: number): string {
  if (v === 0) return "0";
  const a = Math.abs(v);
  return a >= 100 ? v.toFixed(0) : a >= 10 ? v.toFixed(1) : a >= 1 ? v.toFixed(2) : v.toFixed(3);
}
