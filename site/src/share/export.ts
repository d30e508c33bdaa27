// Runs leave the page as files: results as JSON (the same objects `native run -json` prints)
// and CSV (one row per run, for a spreadsheet), a run's timeline as Chrome Trace Event JSON
// (the shape internal/trace/chrometrace writes, so Perfetto and chrome://tracing open it) and as
// a PNG of the chart. Downloads are a Blob behind an <a download>: no server involved.

import { laneName } from "../labels";
import type { Run } from "../run/runs";
import type { SpanStore } from "../timeline/spans";
import { stateNames, type Result } from "../types";

/** Saves data as a file named name (the browser asks or puts it in Downloads). */
export function download(name: string, data: Blob | string, type = "application/json"): void {
  const blob = typeof data === "string" ? new Blob([data], { type }) : data;
  const a = document.createElement("a");
  a.href = URL.createObjectURL(blob);
  a.download = name;
  a.hidden = true;
  document.body.appendChild(a);
  a.click();
  a.remove();
  // the download has its own reference to the blob by now; a late revoke costs nothing
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}

/** A file name from a run's work: "cpu_mp-process-native-2026-11-25T19-04-05". */
export function fileStem(r: Pick<Result, "preset" | "experiment" | "variant" | "where">, at = new Date()): string {
  const when = at.toISOString().slice(0, 19).replace(/:/g, "-");
  return `${r.preset || r.experiment}-${r.variant}-${r.where}-${when}`;
}

/** A finished run as exported and kept: its result, and when it finished (ms since the epoch). */
export interface ExportedRun {
  at: number;
  result: Result;
}

export function resultsJSON(runs: ExportedRun[]): string {
  return JSON.stringify({ format: "concurrency-playground/results", version: 1, runs: runs.map((r) => ({ finished: new Date(r.at).toISOString(), ...r.result })) }, null, 2);
}

export const csvColumns = [
  "finished", "preset", "experiment", "variant", "where", "workers", "tasks", "n", "delay", "jitter", "size", "mode", "yield",
  "repeat", "duration_ms", "repeats_ms", "checksum", "race_expected", "race_counted", "race_lost", "spans",
  "os", "arch", "cores", "gomaxprocs", "go_version", "agent",
] as const;

/**
 * One CSV field. Text that a spreadsheet would take for a formula gets an apostrophe before
 * its lead, as OWASP advises: a share link's strings reach this file, and `=HYPERLINK(…)` from
 * one must stay text. A lead is = + - @ (or a tab or carriage return) at the cell's start, and
 * also after any , or ; (with spaces between): a spreadsheet of a locale whose separator is ;
 * may split a cell where this file has none. A cell with either separator, a quote, a tab or
 * a line break is quoted (RFC 4180 asks it for the comma only). Numbers are written as they are.
 */
export function csvCell(v: unknown): string {
  let s = v === undefined || v === null ? "" : String(v);
  if (typeof v !== "number") {
    if (/^[\t\r]/.test(s)) s = `'${s}`;
    s = s.replace(/(^|[,;])([ \t\r]*)(?=[=+\-@])/g, "$1$2'");
  }
  return /[",;\t\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Presets named in a file name; more are counted instead. */
const namedPresets = 3;

/**
 * The name of a file of runs, for what it holds (every run of the visit or of the history, not
 * the one on screen): "playground-runs-3-runs-cpu_mp+io_threading-2026-01-02T03-04-05--2026-01-02T03-10-00.csv".
 * kind says whose runs ("runs": this visit's, "history"); only [A-Za-z0-9_.+-] reach the name.
 */
export function runsFileName(kind: string, runs: ExportedRun[], ext: string): string {
  const stamp = (at: number) => new Date(at).toISOString().slice(0, 19).replace(/:/g, "-");
  const safe = (s: string) => s.replace(/[^\w.+-]/g, "_");
  const what = [...new Set(runs.map(({ result: r }) => r.preset || r.experiment))];
  const presets = what.length <= namedPresets ? what.map(safe).join("+") : `${what.length}-presets`;
  const times = runs.map((r) => r.at);
  const first = stamp(Math.min(...times));
  const last = stamp(Math.max(...times));
  const span = first === last ? first : `${first}--${last}`;
  return `playground-${safe(kind)}-${runs.length}-${runs.length === 1 ? "run" : "runs"}-${presets}-${span}.${ext}`;
}

/** One row per run (csvCell: separators, quotes and line breaks quoted; formulas neutralised). */
export function resultsCSV(runs: ExportedRun[]): string {
  const lines = [csvColumns.join(",")];
  for (const { at, result: r } of runs) {
    const s = r.spec;
    const m = r.machine;
    const row: Record<(typeof csvColumns)[number], unknown> = {
      finished: new Date(at).toISOString(), preset: r.preset, experiment: r.experiment, variant: r.variant, where: r.where,
      workers: r.workers, tasks: r.tasks, n: s.n, delay: s.delay, jitter: s.jitter, size: s.size, mode: s.mode,
      yield: s.yield === undefined ? "" : s.yield ? 1 : 0, repeat: s.repeat ?? r.repeats?.length ?? 1, duration_ms: (r.duration_ns / 1e6).toFixed(3),
      repeats_ms: r.repeats?.map((d) => (d / 1e6).toFixed(3)).join(" "), checksum: r.checksum,
      race_expected: r.race?.expected, race_counted: r.race?.counted, race_lost: r.race?.lost, spans: r.spans,
      os: m?.os, arch: m?.arch, cores: m?.cores, gomaxprocs: m?.gomaxprocs, go_version: m?.go_version, agent: m?.agent,
    };
    lines.push(csvColumns.map((c) => csvCell(row[c])).join(","));
  }
  return lines.join("\r\n") + "\r\n";
}

/** Microseconds with three decimals from the store's milliseconds: the Go exporter's precision. */
const micros = (ms: number) => (Math.round(ms * 1e6) / 1e3).toFixed(3);

/**
 * A run's spans as Chrome Trace Event JSON, as chrometrace.Write (internal/trace/chrometrace)
 * writes them for `native run -trace`: a process named for the run, a thread per lane named on
 * its first span, one complete ("X") event per span with ts and dur in µs, the task in args,
 * the spec and machine in otherData. Written twice on purpose: the page exports any run it
 * shows (native, browser, a snapshot) without the engine, which would have to be loaded for
 * it and grow by 7 KB gzipped (220 KB with encoding/json) to do this in Go.
 */
export function chromeTrace(run: Run): string {
  const r = run.result;
  const spans: SpanStore = run.spans;
  const lane = laneName(run.where, run.variant, run.job.experiment ?? "");
  const proc = `${r?.preset || run.job.preset || run.job.experiment}: ${run.job.experiment} / ${run.variant} (${run.where})`;
  const events: string[] = [JSON.stringify({ ph: "M", pid: 1, tid: 0, name: "process_name", args: { name: proc } })];
  const named = new Set<number>();
  for (let i = 0; i < spans.n; i++) {
    const w = spans.lane[i]!;
    if (!named.has(w)) {
      named.add(w);
      events.push(`{"ph":"M","pid":1,"tid":${w},"name":"thread_name","args":{"name":${JSON.stringify(`${lane} ${w}`)}}}`);
    }
    const state = stateNames[spans.state[i]!] ?? "run";
    const task = spans.task[i]!;
    const name = task < 0 ? state : `task ${task}`;
    const start = spans.start[i]!;
    events.push(`{"ph":"X","pid":1,"tid":${w},"cat":"${state}","name":"${name}","ts":${micros(start)},"dur":${micros(spans.end[i]! - start)},"args":{"task":${task}}}`);
  }
  const other = { spec: r?.spec ?? run.job, machine: r?.machine, duration_ns: r?.duration_ns, repeats: r?.repeats, checksum: r?.checksum };
  return `{"displayTimeUnit":"ms","traceEvents":[${events.join(",")}],"otherData":${JSON.stringify(other)}}\n`;
}

/** What a PNG of the timeline says above the chart. */
export interface PNGCaption {
  /** "Thread pool × 8 in the native backend: 160 tasks in 412 ms". */
  title: string;
  /** A second, smaller line: the lanes and how they are drawn. */
  note?: string;
  /** The colours, in the page's order: computing, waiting, starting. */
  legend: { label: string; color: string }[];
  /** The page's panel colour (the chart itself is transparent) and ink. */
  background: string;
  ink: string;
  muted: string;
}

/**
 * The timeline's canvas as a PNG with its title and legend above it, on the page's panel
 * colour (the chart itself is transparent, which most viewers show as black or a
 * checkerboard): a picture that says what it shows once it has left the page.
 */
export function canvasPNG(canvas: HTMLCanvasElement, caption: PNGCaption): Promise<Blob> {
  // the chart's canvas is in device pixels: the caption is drawn at the same scale
  const px = Math.max(1, canvas.width / Math.max(1, canvas.clientWidth || canvas.width));
  const pad = 10 * px;
  const titleSize = Math.round(15 * px);
  const small = Math.round(12 * px);
  const out = document.createElement("canvas");
  out.width = canvas.width;
  const ctx = out.getContext("2d")!;
  // The title and the note wrap at words rather than squeeze: fillText's maxWidth narrows the
  // glyphs, and a long title came out squashed sideways.
  const width = out.width - 2 * pad;
  const titleFont = `600 ${titleSize}px system-ui, sans-serif`;
  const smallFont = `${small}px system-ui, sans-serif`;
  ctx.font = titleFont;
  const title = wrapText(caption.title, width, (t) => ctx.measureText(t).width);
  ctx.font = smallFont;
  const note = caption.note ? wrapText(caption.note, width, (t) => ctx.measureText(t).width) : [];
  const band = Math.round(pad + title.length * titleSize * 1.4 + (note.length + 1) * small * 1.6 + pad / 2);
  out.height = canvas.height + band; // resizing clears the canvas and its state: draw from here
  ctx.fillStyle = caption.background;
  ctx.fillRect(0, 0, out.width, out.height);
  ctx.textBaseline = "top";
  ctx.textAlign = "left";
  let y = pad;
  ctx.fillStyle = caption.ink;
  ctx.font = titleFont;
  for (const line of title) {
    ctx.fillText(line, pad, y);
    y += titleSize * 1.4;
  }
  ctx.font = smallFont;
  ctx.fillStyle = caption.muted;
  for (const line of note) {
    ctx.fillText(line, pad, y);
    y += small * 1.6;
  }
  let x = pad;
  for (const { label, color } of caption.legend) {
    ctx.fillStyle = color;
    ctx.fillRect(x, y, small * 1.6, small);
    x += small * 2;
    ctx.fillStyle = caption.ink;
    ctx.fillText(label, x, y);
    x += ctx.measureText(label).width + small * 1.5;
  }
  ctx.drawImage(canvas, 0, band);
  return new Promise((resolve, reject) => out.toBlob((b) => (b ? resolve(b) : reject(new Error("the browser could not encode the PNG"))), "image/png"));
}

/**
 * text in lines no wider than width (as measure says), broken between words; a word wider than
 * width has a line of its own. At least one line.
 */
export function wrapText(text: string, width: number, measure: (s: string) => number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const next = line ? `${line} ${word}` : word;
    if (line && measure(next) > width) {
      lines.push(line);
      line = word;
    } else line = next;
  }
  lines.push(line);
  return lines;
}
