// The playground page in real Chromium, served by a real `native serve`: it loads clean, its
// browser and native runs agree, the event loop overlaps waiting, and the timeline draws
// every span that arrived.

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { cpuChecksum, launch, runAndWait, screenshot, setUp, startNative, startPlayground, stopPlayground, waitIdle, runEveryVariant } from "./harness.mjs";

describe("playground page, served by native serve", () => {
  let server;
  let browser;
  let page;

  before(async () => ({ server, browser, page } = await startPlayground("/")));

  after(() => stopPlayground({ browser, server }));

  test("loads without console errors and says what the backend runs on", async (t) => {
    const status = await page.getByTestId("backend-status").textContent();
    const info = await (await fetch(`${server.origin}/api/info`)).json();
    assert.match(status, /connected/);
    assert.ok(status.includes(`${info.cores} core`), `status "${status}" should name the backend's ${info.cores} cores`);
    assert.ok(status.includes(info.go_version), `status "${status}" should name ${info.go_version}`);
    const presets = await page.getByTestId("preset").locator("option").evaluateAll((os) => os.map((o) => o.value).filter(Boolean));
    assert.deepEqual(presets, info.presets, "the preset select offers exactly the backend's presets");
    for (const id of ["workers", "run-browser", "run-native", "run-all", "timeline", "share", "embed"]) {
      assert.equal(await page.getByTestId(id).count(), 1, `one element with data-testid=${id}`);
    }
    const ready = await page.evaluate(() => ({
      ready: Number(document.documentElement.dataset.ready),
      dcl: performance.getEntriesByType("navigation")[0].domContentLoadedEventEnd,
    }));
    t.diagnostic(`interactive ${ready.ready} ms after navigation start (DOMContentLoaded ${ready.dcl.toFixed(0)} ms)`);
    assert.deepEqual(browser.errors, []);
  });

  test("CPU sequential in the browser and on the native process pool give the same checksum", async () => {
    const tasks = 4;
    const n = 300_000;
    await setUp(page, "cpu_non_concurrent", { tasks, n });
    const inBrowser = await runAndWait(page, "run-browser", { variant: "sequential", where: "browser" });
    await setUp(page, "cpu_mp", { tasks, n, workers: 2 });
    const onProcesses = await runAndWait(page, "run-native", { variant: "process", where: "native" });
    assert.equal(inBrowser.checksum, cpuChecksum(tasks, n), "the browser's sums are the closed form's");
    assert.equal(onProcesses.checksum, inBrowser.checksum, "processes and the browser computed the same sums");
    assert.deepEqual(browser.errors, []);
  });

  test("the browser's event loop beats sequential I/O by the overlap it allows", async (t) => {
    const tasks = 24;
    const delay = 60;
    // the fastest of three, as the lesson measured: a burst of another program's work on a
    // shared machine (load 14 on 2 cores was seen) lands in one repeat, not in the figure
    const params = { tasks, delay, size: 2000, repeat: 3 };
    await setUp(page, "io_non_concurrent", params);
    const seq = await runAndWait(page, "run-browser", { variant: "sequential", where: "browser" });
    await setUp(page, "io_asyncio", params);
    const loop = await runAndWait(page, "run-browser", { variant: "eventloop", where: "browser" });
    const s = Number(seq.durationMs);
    const l = Number(loop.durationMs);
    t.diagnostic(`sequential ${s.toFixed(0)} ms, event loop ${l.toFixed(0)} ms: ${(s / l).toFixed(1)}×`);
    assert.ok(s >= tasks * delay, `sequential took ${s} ms, less than the ${tasks} × ${delay} ms it must wait`);
    // Six connections: ideally 6×; 3× leaves room for a loaded machine.
    assert.ok(s / l >= 3, `the event loop (${l} ms) should be at least 3× faster than sequential (${s} ms)`);
    assert.equal(loop.checksum, seq.checksum, "both downloaded the same bytes");
  });

  test("the timeline draws the spans that arrived", async () => {
    await setUp(page, "io_threading", { tasks: 40, delay: 20, size: 1000, workers: 4 });
    const row = await runAndWait(page, "run-native", { variant: "pool", where: "native" });
    const tl = page.getByTestId("timeline");
    assert.equal(await tl.getAttribute("data-run"), row.run, "the timeline shows the run that just finished");
    const drawn = Number(await tl.getAttribute("data-spans"));
    assert.ok(Number(row.spans) >= 40, `the result counts ${row.spans} spans for 40 tasks`);
    assert.equal(drawn, Number(row.spans), "the timeline drew every span the result counted");
    // And they are on the canvas: the I/O pool waits, in red.
    const red = await page.evaluate(() => {
      const canvas = document.querySelector("[data-testid=timeline] canvas");
      const { data } = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height);
      const probe = document.body.appendChild(document.createElement("span"));
      probe.style.color = "var(--wait)";
      const want = getComputedStyle(probe).color.match(/\d+/g).map(Number);
      probe.remove();
      let n = 0;
      for (let i = 0; i < data.length; i += 4) {
        if (Math.abs(data[i] - want[0]) < 8 && Math.abs(data[i + 1] - want[1]) < 8 && Math.abs(data[i + 2] - want[2]) < 8) n++;
      }
      return n;
    });
    assert.ok(red > 1000, `the timeline shows the waiting in red (${red} pixels)`);
    // Screen readers get the same run as a table: one row per lane (4 workers).
    assert.equal(await page.locator("[data-testid=timeline] + .sr-only tbody tr").count(), 4);
  });

  test("run all runs every variant, one after another", async () => {
    await setUp(page, "cpu_threading", { tasks: 4, n: 100_000, workers: 2 });
    const before = await page.getByTestId("result-row").count();
    await runEveryVariant(page);
    await waitIdle(page);
    await page.locator("#progress").waitFor({ state: "hidden", timeout: 2000 });
    const rows = await page.getByTestId("result-row").evaluateAll((trs) => trs.map((tr) => ({ ...tr.dataset })));
    const added = rows.slice(0, rows.length - before);
    const info = await (await fetch(`${server.origin}/api/info`)).json();
    // the browser's process pool (Web Workers) runs beside the backend's
    const want = ["browser/sequential", "browser/eventloop", "browser/process", ...info.variants.map((v) => `native/${v}`)].sort();
    assert.deepEqual(added.map((r) => `${r.where}/${r.variant}`).sort(), want);
    assert.equal(new Set(added.map((r) => r.checksum)).size, 1, "every variant computed the same sums");
    assert.equal(added[0].checksum, cpuChecksum(4, 100_000));
    // the table behind the duration chart holds a row for every finished run
    assert.equal(await page.locator("#duration-table tbody tr").count(), rows.length);
    assert.deepEqual(browser.errors, []);
    await screenshot(page, "playground.png");
  });

  test("run all from a sequential lesson gives the pools the lesson's counts, not sequential's one", async () => {
    await setUp(page, "cpu_non_concurrent", { tasks: 6, n: 1000 });
    const before = await page.getByTestId("result-row").count();
    await runEveryVariant(page);
    await waitIdle(page);
    const rows = await page.getByTestId("result-row").evaluateAll((trs) => trs.map((tr) => ({ ...tr.dataset, workers: tr.cells[3].textContent })));
    const added = rows.slice(0, rows.length - before);
    const info = await (await fetch(`${server.origin}/api/info`)).json();
    const workers = (v) => added.find((r) => r.where === "native" && r.variant === v)?.workers;
    assert.equal(workers("sequential"), "1");
    assert.equal(workers("pool"), "5", "the lesson's ThreadPoolExecutor(max_workers=5)");
    if (info.variants.includes("gil")) assert.equal(workers("gil"), "5");
    if (info.variants.includes("process")) assert.equal(workers("process"), String(Math.min(info.cores, info.limits.process_workers)), "one process per backend core");
  });

  test("the race shows lost updates on the event loop only when a task yields", async () => {
    await setUp(page, "race_condition", { variant: "eventloop", tasks: 200 });
    const calm = await runAndWait(page, "run-browser", { variant: "eventloop", where: "browser" });
    assert.equal(await page.locator("[data-race=lost]").textContent(), "0", `no update lost without a yield (${JSON.stringify(calm)})`);
    await page.getByTestId("yield").check();
    await runAndWait(page, "run-browser", { variant: "eventloop", where: "browser" });
    const counted = Number((await page.locator("[data-race=counted]").textContent()).replace(/,/g, ""));
    const lost = Number((await page.locator("[data-race=lost]").textContent()).replace(/,/g, ""));
    assert.equal(counted + lost, 20_000);
    assert.ok(lost > 0, "awaiting between the read and the write loses updates");
  });

  test("keyboard alone runs an experiment and zooms its timeline", async () => {
    await setUp(page, "cpu_non_concurrent", { tasks: 3, n: 50_000 });
    const rows = await page.getByTestId("result-row").count();
    await page.getByTestId("preset").focus();
    // Tab from the preset reaches the run buttons (they come before the parameters); Enter presses the first.
    let focused = "";
    for (let i = 0; i < 10 && focused !== "run-browser"; i++) {
      await page.keyboard.press("Tab");
      focused = await page.evaluate(() => document.activeElement?.dataset.testid ?? "");
    }
    assert.equal(focused, "run-browser", "Tab reaches the run button");
    await page.keyboard.press("Enter");
    await page.waitForFunction((n) => document.querySelectorAll("[data-testid=result-row]").length > n, rows);
    const tl = page.getByTestId("timeline");
    await tl.focus();
    const span = async () => {
      const [lo, hi] = (await tl.getAttribute("data-view")).split("..").map(Number);
      return hi - lo;
    };
    await page.keyboard.press("0");
    const full = await span();
    await page.keyboard.press("+");
    assert.ok(Math.abs((await span()) - full / 2) < full * 0.01, "+ shows half the run");
    await page.keyboard.press("ArrowRight");
    await page.keyboard.press("0");
    assert.ok(Math.abs((await span()) - full) < full * 0.01, "0 shows the whole run again");
  });

  test("a parameter out of range is named with its bounds and nothing runs until it is fixed", async () => {
    await setUp(page, "io_asyncio", { tasks: 0 });
    assert.equal(await page.getByTestId("run-browser").isDisabled(), true);
    assert.match(await page.locator("#run-note").textContent(), /tasks: 0 is out of range 1\.\.100000/);
    await page.getByTestId("tasks").fill("12");
    assert.equal(await page.getByTestId("run-browser").isDisabled(), false);
  });

  test("share puts the state in a link that restores it", async () => {
    await setUp(page, "cpu_mp", { tasks: 7, n: 12345 });
    await page.getByTestId("share").click();
    const link = await page.locator("#share-text").inputValue();
    const u = new URL(link);
    assert.equal(u.searchParams.get("preset"), "cpu_mp");
    assert.equal(u.searchParams.get("tasks"), "7");
    assert.equal(u.searchParams.get("n"), "12345");
    const other = await browser.ctx.newPage();
    await other.goto(link);
    assert.equal(await other.getByTestId("preset").inputValue(), "cpu_mp");
    assert.equal(await other.getByTestId("tasks").inputValue(), "7");
    assert.equal(await other.getByTestId("n").inputValue(), "12345");
    await other.close();
    await page.getByTestId("embed").click();
    assert.match(await page.locator("#share-text").inputValue(), /^<iframe src="http:\/\/127\.0\.0\.1:\d+\/embed\?preset=cpu_mp&amp;tasks=7&amp;n=12345"/);
  });
});

describe("the page at a phone's width and in dark mode", () => {
  test("lays out without horizontal scrolling, and follows the system's dark setting", async () => {
    const server = await startNative();
    const phone = await launch({ viewport: { width: 390, height: 844 }, colorScheme: "dark" });
    try {
      await phone.page.goto(`${server.origin}/?preset=io_asyncio&tasks=30&delay=30&size=1000`);
      await phone.page.getByTestId("backend-status").filter({ hasText: "connected" }).waitFor();
      await runAndWait(phone.page, "run-browser", { variant: "eventloop", where: "browser" });
      const overflow = await phone.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(overflow <= 0, `the page is ${overflow}px wider than a phone`);
      const bg = await phone.page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
      const [r, g, b] = bg.match(/\d+/g).map(Number);
      assert.ok(r + g + b < 150, `the background ${bg} should be dark`);
      await screenshot(phone.page, "playground-phone-dark.png");
      assert.deepEqual(phone.errors, []);
    } finally {
      await phone.close();
      await server.stop();
    }
  });
});
