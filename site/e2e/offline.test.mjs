// The page without a backend: served as static files from another origin (as the edge or any
// static host serves it), its backend address pointing at a port where nothing listens. It must
// say so, tell the reader how to start one, and still run the browser variants.

import assert from "node:assert/strict";
import { test } from "node:test";
import { freePort, launch, runAndWait, screenshot, setUp, startNative, startStatic } from "./harness.mjs";

test("a backend that is not running is shown as such and the browser variants still work", async () => {
  const farm = await startNative(); // only its /farm/, behind the static server
  const site = await startStatic(farm.origin);
  const closed = await freePort();
  const b = await launch();
  // Every console error with where it came from: a failed load is logged as "Failed to load
  // resource: … 404" without its address, which is in the message's location.
  const logged = [];
  b.page.on("console", (m) => {
    if (m.type() === "error") logged.push({ text: m.text(), url: m.location()?.url ?? "" });
  });
  try {
    await b.ctx.addInitScript((url) => localStorage.setItem("playground.backend", url), `ws://127.0.0.1:${closed}/ws`);
    await b.page.goto(`${site.origin}/`);
    const status = b.page.getByTestId("backend-status");
    await status.filter({ hasText: "No native backend" }).waitFor({ timeout: 10_000 });
    const text = await status.textContent();
    assert.doesNotMatch(text, /connected/i);
    // a static copy on another origin: a plain `make run` would refuse it, so the hint names the origin to allow
    assert.ok(text.includes(`./bin/native serve -allow-origin ${site.origin}`), `the status says how to start a backend that allows this origin: ${text}`);
    assert.match(text, /nothing answered/, "the status says why it is not connected");
    assert.match(text, new RegExp(`127\\.0\\.0\\.1:${closed}`), "the status names the address it tried");
    assert.equal(await b.page.getByTestId("run-native").isDisabled(), true, "nothing to run natively");

    await setUp(b.page, "io_asyncio", { tasks: 12, delay: 20, size: 500 });
    const row = await runAndWait(b.page, "run-browser", { variant: "eventloop", where: "browser" });
    assert.ok(Number(row.durationMs) >= 20, `an I/O run of 20 ms pages took ${row.durationMs} ms`);
    await setUp(b.page, "cpu_non_concurrent", { tasks: 2, n: 1000 });
    const cpu = await runAndWait(b.page, "run-browser", { variant: "sequential", where: "browser" });
    assert.match(cpu.checksum, /^[0-9a-f]{16}$/);
    await screenshot(b.page, "playground-no-backend.png");
    // The only errors allowed are the two the browser logs for what is missing by design:
    // /api/info's 404 on a static host, and the refused WebSocket. Any other 404 (a missing
    // chunk, a missing wasm) fails the test.
    const expected = (e) =>
      (/\b404\b/.test(e.text) && new URL(e.url || "x:", site.origin).pathname === "/api/info") ||
      (/WebSocket/.test(e.text) && /ERR_CONNECTION_REFUSED/.test(e.text) && e.text.includes(`127.0.0.1:${closed}`));
    assert.deepEqual(logged.filter((e) => !expected(e)), []);
    assert.deepEqual(b.errors.filter((e) => e.startsWith("page error")), [], "no uncaught exception");
  } finally {
    await b.close();
    await site.stop();
    await farm.stop();
  }
});
