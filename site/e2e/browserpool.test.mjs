// The browser's process pool: the process variant run on Web Workers, each its own engine, on a
// page with no backend (a static copy, as the edge serves it). The same results as the browser's
// sequential run, a spawn span per process and repeat, the wasm compiled once for all the
// workers of a page, every worker ended after the run and at once on cancel, and a worker that
// fails named in the error. Workers are counted by wrapping the page's Worker constructor, so
// the pool carries no test hook of its own.

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { launchBare, runBare, waitReady } from "./bare.mjs";
import { cpuChecksum, downloadFrom, freePort, launch, runAndWait, setUp, startNative, startStatic, waitIdle } from "./harness.mjs";

/** Counts the pool's workers (named "process k"): created, and still alive (not terminated). */
function trackWorkers(failing) {
  const Native = window.Worker;
  window.__procs = { created: 0, alive: 0 };
  window.Worker = class extends Native {
    constructor(url, opts) {
      super(url, opts);
      this.isProcess = /^process /.test(opts?.name ?? "");
      if (!this.isProcess) return;
      window.__procs.created++;
      window.__procs.alive++;
      // a worker that cannot be started: its first message throws, as a failed structured clone would
      if (opts.name === failing) this.postMessage = () => { throw new Error("the worker refused its start"); };
    }
    terminate() {
      if (this.isProcess && !this.ended) window.__procs.alive--;
      this.ended = true;
      super.terminate();
    }
  };
}

const procs = (page) => page.evaluate(() => ({ ...window.__procs }));

/**
 * Counts the page's compiles of a wasm module (its workers are handed the compiled module):
 * every call that compiles, and instantiate when it is given bytes rather than a module.
 */
function countCompiles() {
  window.__compiles = 0;
  for (const name of ["compile", "compileStreaming", "instantiate", "instantiateStreaming"]) {
    const original = WebAssembly[name];
    WebAssembly[name] = function (source, ...rest) {
      if (!(name === "instantiate" && source instanceof WebAssembly.Module)) window.__compiles++;
      return original.call(this, source, ...rest);
    };
  }
}

describe("the browser's process pool", () => {
  let farm, site;
  before(async () => {
    farm = await startNative(); // only its /farm/, behind the static server
    site = await startStatic(farm.origin);
  });
  after(async () => {
    await site?.stop();
    await farm?.stop();
  });

  /** A page with no backend (its address points at a closed port) and the workers counted. */
  async function open(failing = "") {
    const b = await launch();
    const closed = await freePort();
    await b.ctx.addInitScript((url) => localStorage.setItem("playground.backend", url), `ws://127.0.0.1:${closed}/ws`);
    await b.ctx.addInitScript(trackWorkers, failing);
    await b.ctx.addInitScript(countCompiles);
    // every request for the wasm, the page's and any worker's
    b.wasmFetches = 0;
    b.ctx.on("request", (r) => {
      if (new URL(r.url()).pathname.endsWith(".wasm")) b.wasmFetches++;
    });
    await b.page.goto(`${site.origin}/`);
    await b.page.getByTestId("backend-status").filter({ hasText: "No native backend" }).waitFor({ timeout: 10_000 });
    return b;
  }

  test("every experiment gives the sequential run's checksum, with a spawn span per process and repeat", async () => {
    const b = await open();
    try {
      const { page } = b;
      const timeline = page.getByTestId("timeline");
      const work = {
        cpu: ["cpu_mp", "cpu_non_concurrent", { tasks: 6, n: 300_000, repeat: 2 }],
        io: ["io_mp", "io_non_concurrent", { tasks: 8, delay: 5, size: 500, repeat: 1 }],
        race: ["race_condition", "race_condition", { tasks: 200, repeat: 1 }],
      };
      for (const [experiment, [pool, seq, params]] of Object.entries(work)) {
        await setUp(page, pool, { ...params, variant: "process", workers: 2 });
        const row = await runAndWait(page, "run-browser", { variant: "process", where: "browser", timeout: 60_000 });
        await page.waitForFunction((n) => document.querySelector("[data-testid=timeline]")?.dataset.spawns === String(n), 2 * params.repeat, { timeout: 5000 });
        assert.equal(await timeline.getAttribute("data-spawns"), String(2 * params.repeat), `${experiment}: one spawn span per process and repeat`);
        if (experiment === "race") {
          // each process counted on its own counter, nothing lost, the parent's still 0
          await page.locator("[data-race=processes]").filter({ hasText: "The parent's counter: 0." }).waitFor({ timeout: 5000 });
        }
        await waitIdle(page);
        assert.equal((await procs(page)).alive, 0, `${experiment}: no worker outlives the run`);
        await setUp(page, seq, { ...params, variant: "sequential" });
        const other = await runAndWait(page, "run-browser", { variant: "sequential", where: "browser", timeout: 60_000 });
        assert.equal(row.checksum, other.checksum, `${experiment}: the process pool's checksum is the sequential run's`);
        if (experiment === "cpu") assert.equal(row.checksum, cpuChecksum(6, 300_000));
      }
      // 2 processes × (2 repeats of cpu + 1 of io + 1 of race)
      assert.deepEqual(await procs(page), { created: 8, alive: 0 });
      // 8 workers started, one module: fetched and compiled once for the page
      assert.equal(b.wasmFetches, 1, "the wasm is fetched once per page");
      assert.equal(await page.evaluate(() => window.__compiles), 1, "the wasm is compiled once per page");
      assert.deepEqual(b.errors.filter((e) => e.startsWith("page error")), [], "no uncaught exception");
    } finally {
      await b.close();
    }
  });

  test("its repeats tile the timeline, the pool's settling between them in none", async () => {
    const b = await open();
    try {
      const { page } = b;
      const work = { tasks: 4, n: 300_000, repeat: 3 };
      await setUp(page, "cpu_non_concurrent", { ...work, variant: "sequential" });
      await runAndWait(page, "run-browser", { variant: "sequential", where: "browser", timeout: 60_000 });
      await setUp(page, "cpu_mp", { ...work, variant: "process", workers: 2 });
      await runAndWait(page, "run-browser", { variant: "process", where: "browser", timeout: 60_000 });
      // the run's note sets it against the sequential run split perfectly, with its fastest repeat's spawns
      await page
        .locator("#run-note")
        .filter({ hasText: /Split perfectly over \d+ cores?, the sequential run's [\d.]+ [mµ]?s would take [\d.]+ [mµ]?s; .*its 2 processes took [\d.]+(–[\d.]+)? ms each to start/ })
        .waitFor({ timeout: 5000 });
      // the timeline says so: the pauses are not on it
      await page.locator("#timeline-title").filter({ hasText: "the pool paused 100 ms before each repeat, counted in none" }).waitFor({ timeout: 5000 });
      const { traceEvents, otherData } = JSON.parse((await downloadFrom(page, "export-trace")).data.toString("utf8"));
      const repeats = otherData.repeats.map((ns) => ns / 1e3); // µs, as the trace's times
      assert.equal(repeats.length, 3);
      const spans = traceEvents.filter((e) => e.ph === "X");
      const spawns = spans.filter((e) => e.cat === "spawn").sort((a, b) => a.ts - b.ts);
      assert.equal(spawns.length, 6, "two processes started for each repeat");
      // the page's clock is coarse (0.1 ms), and the times are rounded to the µs
      const slack = 200;
      let from = 0;
      for (const [r, d] of repeats.entries()) {
        for (const s of spawns.slice(2 * r, 2 * r + 2)) {
          assert.ok(s.ts >= from - slack && s.ts < from + d, `repeat ${r + 1}'s spawn at ${s.ts} µs is within it: ${from}..${from + d} µs`);
        }
        from += d;
      }
      const end = Math.max(...spans.map((e) => e.ts + e.dur));
      assert.ok(end <= from + slack, `the last span ends at ${end} µs, by the repeats' sum ${from} µs`);
      assert.ok(end >= from - repeats.at(-1), "and within the last repeat");
    } finally {
      await b.close();
    }
  });

  test("cancel ends every worker at once", async () => {
    const b = await open();
    try {
      const { page } = b;
      // far more work than the test waits for: it is canceled once both processes compute
      await setUp(page, "cpu_mp", { tasks: 20, n: 1_000_000_000, repeat: 1, variant: "process", workers: 2 });
      await page.getByTestId("run-browser").click();
      await page.waitForFunction(() => document.querySelector("[data-testid=timeline]")?.dataset.spawns === "2", null, { timeout: 30_000 });
      assert.equal((await procs(page)).alive, 2);
      await page.locator("#cancel").click();
      await page.waitForFunction(() => window.__procs.alive === 0, null, { timeout: 5000 });
      await waitIdle(page, 5000);
      assert.equal(await page.locator("[data-testid=result-row][data-variant=process]").count(), 0, "a canceled run has no result");
      assert.deepEqual(b.errors.filter((e) => e.startsWith("page error")), [], "no uncaught exception");
    } finally {
      await b.close();
    }
  });

  test("a worker that fails is named in the error, and none is kept", async () => {
    const b = await open("process 2");
    try {
      const { page } = b;
      await setUp(page, "cpu_mp", { tasks: 4, n: 1000, repeat: 1, variant: "process", workers: 2 });
      await page.getByTestId("run-browser").click();
      await page.locator("#run-note").filter({ hasText: "browser process 2 failed: the worker refused its start" }).waitFor({ timeout: 30_000 });
      await waitIdle(page, 5000);
      assert.equal((await procs(page)).alive, 0, "the failure ended every worker");
      assert.deepEqual(b.errors.filter((e) => e.startsWith("page error")), [], "no uncaught exception");
    } finally {
      await b.close();
    }
  });

  test("it runs in /embed too", async () => {
    const b = await launch();
    try {
      await b.page.goto(`${site.origin}/embed.html?preset=cpu_mp&tasks=4&n=1000&workers=2&variants=process`);
      const row = await runAndWait(b.page, "run-browser", { variant: "process", where: "browser", timeout: 60_000 });
      assert.equal(row.checksum, cpuChecksum(4, 1000));
    } finally {
      await b.close();
    }
  });

  // make bench-e2e measures the pool on such a page (bare.mjs): nothing holds a worker at its start
  test("it runs on a page nothing attaches to its workers, as a visitor's", async () => {
    const page = await launchBare();
    try {
      await page.goto(`${site.origin}/`);
      await waitReady(page);
      const params = { variant: "process", workers: 2, tasks: 6, n: 200_000, repeat: 2 };
      const row = await runBare(page, { preset: "cpu_mp", params, button: "run-browser", variant: "process", where: "browser", timeout: 60_000 });
      assert.equal(row.checksum, cpuChecksum(6, 200_000));
      assert.equal(row.repeats, "2");
    } finally {
      await page.close();
    }
  });
});
