// The page as a visitor of the hosted playground gets it: served by the Worker in workerd (the
// page's files from the assets layer, /api/info and the farm from Go), in Chromium, with the
// visitor's own native backend on another loopback port that allows the edge's origin. The
// browser variants must fetch the edge's farm, the native ones run on the backend.
// Run by make test-edge after make edge, site and native: node --test edge/

import assert from "node:assert/strict";
import { test } from "node:test";
import { launch, runAndWait, screenshot, setUp, startNative } from "../site/e2e/harness.mjs";
import { startEdge } from "./start-edge.mjs";

test("the hosted page: browser variants on the edge's farm, native ones on the visitor's backend", async () => {
  const edge = await startEdge();
  const native = await startNative(["-allow-origin", edge.origin]);
  const b = await launch();
  try {
    const farmHosts = new Set();
    b.page.on("request", (r) => {
      if (r.url().includes("/farm/")) farmHosts.add(new URL(r.url()).origin);
    });
    await b.ctx.addInitScript((url) => localStorage.setItem("playground.backend", url), `${native.origin.replace("http:", "ws:")}/ws`);
    await b.page.goto(`${edge.origin}/`);
    const info = await b.page.evaluate(() => fetch("/api/info").then((r) => r.json()));
    assert.equal(info.where, "edge");
    await b.page.getByTestId("backend-status").filter({ hasText: "connected" }).waitFor({ timeout: 10_000 });
    // The page says what the edge costs its I/O runs.
    assert.match(await b.page.locator("#edge-note").innerText(), /Cloudflare Worker/);

    await setUp(b.page, "io_asyncio", { tasks: 12, delay: 100, size: 2000 });
    const io = await runAndWait(b.page, "run-browser", { variant: "eventloop", where: "browser" });
    // That the edge's delays overlap is edge_test.go's (timed in Go, where the client is not the
    // variable); here: the pages arrived, not sooner than asked, from the edge's farm.
    assert.ok(Number(io.durationMs) >= 100, `an I/O run of 100 ms pages took ${io.durationMs} ms`);
    assert.deepEqual([...farmHosts], [edge.origin], "the browser variants fetch the farm of the page's own origin");

    await setUp(b.page, "io_threading", { tasks: 12, delay: 20, size: 500 });
    const pool = await runAndWait(b.page, "run-native", { variant: "pool", where: "native" });
    assert.match(pool.checksum, /^[0-9a-f]{16}$/);
    await screenshot(b.page, "edge-page.png");
    assert.deepEqual(b.errors, []);
    // Without a backend (after the clean-console check: the refused socket is logged), a hosted
    // page shows the one command that starts a backend for it, on the address it looks at.
    await b.page.locator("#settings > summary").click();
    await b.page.locator("#backend-url").fill("ws://127.0.0.1:1/ws");
    await b.page.locator("#backend-url").press("Enter");
    await b.page.getByTestId("install-command").filter({ hasText: `curl -fsSL ${edge.origin}/install.sh | sh -s -- -addr 127.0.0.1:1` }).waitFor({ timeout: 10_000 });
  } finally {
    await b.close();
    await native.stop();
    await edge.stop();
  }
});
