import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { csvCell, resultsCSV, runsFileName, wrapText, type ExportedRun } from "./export";
import type { Machine, Result, Spec } from "../types";

const native: Machine = { where: "native", os: "linux", arch: "amd64", cores: 2, gomaxprocs: 2, go_version: "go1.26.8" };
const cpu: Spec = { preset: "cpu_mp", experiment: "cpu", variant: "process", workers: 2, tasks: 4, n: 1000 };
const io: Spec = { preset: "io_threading", experiment: "io", variant: "pool", workers: 8, tasks: 16, delay: "50ms", jitter: "0s", size: 1000 };

function run(spec: Spec, at: number, machine: Machine = native): ExportedRun {
  const result: Result = {
    ...(spec.preset ? { preset: spec.preset } : {}),
    experiment: spec.experiment, variant: spec.variant, where: machine.where, workers: spec.workers, tasks: spec.tasks,
    duration_ns: 2_500_000, results: [], checksum: "0123456789abcdef", spec, machine, spans: 0,
  };
  return { at, result };
}

describe("CSV cells a spreadsheet would run as a formula", () => {
  test("are neutralised: a leading = + - @ tab or CR gets a quote mark in front", () => {
    for (const bad of ["=HYPERLINK(\"http://x\",\"y\")", "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]) {
      const cell = csvCell(bad);
      assert.ok(!/^"?[=+\-@\t\r]/.test(cell), `${JSON.stringify(bad)} became ${JSON.stringify(cell)}, which still starts as a formula`);
      assert.ok(cell.includes("'"), `${JSON.stringify(cell)} is marked as text`);
    }
  });

  test("are neutralised after any separator too, and a cell with a ; is quoted", () => {
    // Excel in a locale whose list separator is ; splits an unquoted cell at its ;
    const cell = csvCell("Mozilla/5.0 ;=cmd|' /C calc'!A0");
    assert.equal(cell, `"Mozilla/5.0 ;'=cmd|' /C calc'!A0"`);
    for (const bad of ["a,=1+1", "a; +1", "a;\t-2", "x,@SUM(A1)"]) {
      const c = csvCell(bad);
      assert.ok(c.startsWith('"'), `${JSON.stringify(bad)} is quoted: ${c}`);
      assert.ok(!/[,;][ \t]*[=+\-@]/.test(c), `${JSON.stringify(bad)} became ${c}, a formula after a separator`);
    }
    assert.equal(csvCell("a\tb"), '"a\tb"');
  });

  test("leave ordinary text and numbers as they are, and still quote per RFC 4180", () => {
    assert.equal(csvCell("linux"), "linux");
    assert.equal(csvCell(12), "12");
    assert.equal(csvCell("a,b"), '"a,b"');
    assert.equal(csvCell('say "hi"'), '"say ""hi"""');
    assert.equal(csvCell(undefined), "");
  });

  test("a machine string from a share link cannot become a formula in the exported file", () => {
    const evil = run(cpu, Date.UTC(2026, 0, 2), { ...native, agent: "=HYPERLINK(\"http://evil\",\"click\")" });
    const csv = resultsCSV([evil]);
    const cells = csv.split("\r\n")[1]!.split(/,(?=(?:[^"]*"[^"]*")*[^"]*$)/);
    for (const c of cells) assert.ok(!/^"?[=+\-@\t\r]/.test(c), `cell ${c} starts as a formula`);
  });
});

describe("file names of the results exports", () => {
  const a = run(cpu, Date.UTC(2026, 0, 2, 3, 4, 5));
  const b = run(io, Date.UTC(2026, 0, 2, 3, 9, 0));
  const c = run({ ...cpu, variant: "sequential" }, Date.UTC(2026, 0, 2, 3, 10, 0));

  test("say how many runs the file holds and of what, not only the newest one", () => {
    const name = runsFileName("runs", [a, b, c], "csv");
    assert.match(name, /^playground-runs-3-runs-/);
    assert.ok(name.includes("cpu_mp") && name.includes("io_threading"), `${name} names the presets it holds`);
    assert.ok(name.includes("2026-01-02T03-04-05") && name.includes("2026-01-02T03-10-00"), `${name} gives the first and last finish`);
    assert.match(name, /\.csv$/);
  });

  test("one run is named for that run", () => {
    assert.equal(runsFileName("history", [a], "json"), "playground-history-1-run-cpu_mp-2026-01-02T03-04-05.json");
  });

  test("many presets are summed up, and nothing but safe characters reaches the name", () => {
    const many = ["cpu_mp", "cpu_gil", "io_threading", "io_asyncio", "race_condition"].map((p, i) => run({ ...cpu, preset: p }, Date.UTC(2026, 0, 2, 3, i)));
    const name = runsFileName("runs", many, "json");
    assert.ok(name.includes("5-presets"), name);
    const odd = run({ ...cpu, preset: "../x y" }, Date.UTC(2026, 0, 2));
    assert.match(runsFileName("runs", [odd], "json"), /^[\w.+-]+$/);
  });
});

describe("the PNG's title", () => {
  const measure = (s: string) => s.length * 10; // 10 px a character
  test("wraps at words where it would not fit, rather than squeeze its glyphs", () => {
    assert.deepEqual(wrapText("Thread pool × 5000 in the native backend: 5,000 tasks in 38.2 ms", 220, measure), [
      "Thread pool × 5000 in", "the native backend:", "5,000 tasks in 38.2 ms",
    ]);
    for (const line of wrapText("a b c d e f g h", 30, measure)) assert.ok(measure(line) <= 30, line);
  });
  test("a title that fits is one line; a word wider than the width has its own", () => {
    assert.deepEqual(wrapText("Sequential: 20 tasks", 1000, measure), ["Sequential: 20 tasks"]);
    assert.deepEqual(wrapText("a verylongword b", 50, measure), ["a", "verylongword", "b"]);
  });
});
