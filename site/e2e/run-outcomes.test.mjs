// What the page says about how runs ended, in Chromium against a real `native serve`: a server
// killed in the middle of "run every variant" (its download farm with it), a run lock the
// browser denies, and run numbers that count the reader's runs whatever a sweep ran between.

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { launch, runAndWait, setUp, startNative, waitConnected, waitIdle, runEveryVariant } from "./harness.mjs";

describe("how runs ended, said", () => {
  let server;
  before(async () => {
    server = await startNative();
  });
  after(async () => {
    await server?.stop();
  });

  test("a server killed during run every variant: the farm's loss, the failed run and the queued ones are said", async () => {
    const own = await startNative(); // this one is killed
    const b = await launch();
    try {
      const { page } = b;
      // 10 s of latency per download: the kill comes while the first one waits, before any task ends
      await page.goto(`${own.origin}/?preset=io_threading&delay=10000&tasks=4`);
      await waitConnected(page);
      await runEveryVariant(page);
      await page.locator("#timeline-title").filter({ hasText: /^Run 1: .*running/ }).waitFor({ timeout: 20_000 });
      assert.ok(await page.getByTestId("cancel").isVisible(), "runs are going and queued");
      await own.kill();
      await waitIdle(page, 30_000);
      const note = await page.locator("#run-note").textContent();
      assert.match(note, /Run 1 \([^)]*\) failed: its downloads got no answer from the farm at http:\/\/127\.0\.0\.1:\d+\/farm\/, which the server that served this page runs/, note);
      assert.doesNotMatch(note, /TypeError|Failed to fetch/, "the browser's bare words are explained");
      assert.match(note, /The \d+ queued runs were canceled (with it|when the backend went away)\./, `the queued runs are said: ${note}`);
      const status = await page.getByTestId("backend-status").textContent();
      assert.match(status, /download farm is on that server too, so the browser's I\/O variants need it as well/);
      assert.doesNotMatch(status, /The browser variants still work/);
      // the failed run's chart: its spans' real extent, or none at all, never an empty 1 ms axis
      const tl = page.getByTestId("timeline");
      if ((await tl.getAttribute("data-spans")) === "0") assert.ok(await tl.isHidden(), "no empty chart for a run that drew nothing");
      else assert.ok(Number(/\.\.([\d.]+)/.exec(await tl.getAttribute("data-view"))[1]) > 1, "the axis spans the run's spans");
      assert.deepEqual(b.errors.filter((e) => e.startsWith("page error")), [], "no uncaught exception");
    } finally {
      await b.close();
      await own.stop();
    }
  });

  test("a run that failed before any task ended draws no empty axis, and says why", async () => {
    const b = await launch();
    try {
      const { page } = b;
      await page.route(/\.wasm$/, (route) => route.fulfill({ status: 503, contentType: "text/plain", body: "try later" }));
      await page.goto(`${server.origin}/?preset=cpu_non_concurrent&tasks=2&n=1000&repeat=1`);
      await page.waitForFunction(() => document.documentElement.dataset.ready !== undefined);
      await page.getByTestId("run-browser").click();
      await page.locator("#timeline-title").filter({ hasText: /^Run 1: .*failed/ }).waitFor({ timeout: 20_000 });
      assert.match(await page.locator("#timeline-title").textContent(), /no task finished, so there is nothing to draw/);
      assert.ok(await page.getByTestId("timeline").isHidden(), "no chart whose axis reads 0, 0.000, 0.001");
    } finally {
      await b.close();
    }
  });

  test("a run lock the browser denies: runs go ahead without it, and the page says so", async () => {
    const b = await launch();
    try {
      const { page } = b;
      // what a browser does where a frame's storage is blocked: Web Locks refuse with a SecurityError
      await page.addInitScript(() => {
        navigator.locks.request = () => Promise.reject(new DOMException("The request was denied.", "SecurityError"));
      });
      await page.goto(`${server.origin}/?preset=cpu_non_concurrent&tasks=2&n=1000&repeat=1`);
      await page.waitForFunction(() => document.documentElement.dataset.ready !== undefined);
      const row = await runAndWait(page, "run-browser", { variant: "sequential", where: "browser" });
      assert.ok(row.checksum, "the run finished");
      assert.match(await page.locator("#run-note").textContent(), /denied the page its run lock .*runs go ahead without it/);
      // and the next run too, without asking again
      await runAndWait(page, "run-browser", { variant: "sequential", where: "browser" });
      assert.equal(await page.locator("[data-testid=result-row]").count(), 2);
    } finally {
      await b.close();
    }
  });

  test("run numbers count the reader's runs: a sweep between them takes none", async () => {
    const b = await launch();
    try {
      const { page } = b;
      await page.goto(`${server.origin}/?preset=cpu_threading&tasks=4&n=1000&repeat=1`);
      await waitConnected(page);
      await runAndWait(page, "run-native", { variant: "pool", where: "native" });
      await page.getByTestId("run-sweep").click();
      await page.locator("#sweep-title").filter({ hasText: /(\d+) of \1 runs done/ }).waitFor({ timeout: 60_000 });
      await waitIdle(page);
      await setUp(page, "cpu_non_concurrent", { tasks: 4, n: 1000, repeat: 1 });
      await runAndWait(page, "run-browser", { variant: "sequential", where: "browser" });
      const numbers = await page.locator("[data-testid=result-row] td:first-child").allTextContents();
      assert.deepEqual(numbers, ["#2", "#1"], "newest first, one after another");
      assert.match(await page.locator("#run-note").textContent(), /^Run 2, /);
    } finally {
      await b.close();
    }
  });
});
