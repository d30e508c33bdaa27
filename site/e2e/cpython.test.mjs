// Real CPython beside Go, in Chromium against a real `native serve -python`: the lesson's own
// script runs in the interpreter, its row and its bar stand beside Go's with the same checksum,
// and a backend that offers no interpreter shows no button and says how to offer one.

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { cpuChecksum, launch, runAndWait, runEveryVariant, startNative, waitConnected, waitForRows, waitIdle } from "./harness.mjs";

// Debian's interpreter, which CI installs with requests and aiohttp; CPYTHON overrides it.
const python = process.env.CPYTHON ?? "/usr/bin/python3";

describe("Run in CPython", () => {
  let server;
  let b;
  before(async () => {
    server = await startNative(["-python", python]);
    b = await launch();
  });
  after(async () => {
    await b?.close();
    await server?.stop();
  });

  test("runs the variant in CPython, charted beside Go's run of the same work with Go's checksum", async () => {
    const { page } = b;
    await page.goto(`${server.origin}/?preset=cpu_threading&tasks=6&n=20000&repeat=1`);
    await waitConnected(page);
    const status = await page.getByTestId("backend-status").textContent();
    assert.match(status, /CPython offered: CPython 3\.\d+\.\d+, GIL (on|off)/, status);
    assert.ok(await page.getByTestId("run-cpython").isVisible(), "the button shows when an interpreter is offered");

    const go = await runAndWait(page, "run-native", { variant: "pool", where: "native" });
    const py = await runAndWait(page, "run-cpython", { variant: "pool", where: "cpython" });
    assert.equal(py.checksum, go.checksum, "CPython's exact ints give Go's checksum");
    assert.equal(py.checksum, cpuChecksum(6, 20000));
    assert.ok(Number(py.spans) >= 6, `one span or more per task, got ${py.spans}`);

    const group = page.locator("#duration-chart .dgroup").first();
    assert.equal(await group.locator(".dbar.native").count(), 1, "Go's bar");
    assert.equal(await group.locator(".dbar.cpython").count(), 1, "CPython's bar, in the same group");
    assert.match(await group.locator(".dbar.cpython .where").textContent(), /CPython 3\.\d+/);
    const row = page.locator("[data-testid=result-row][data-where=cpython]").first();
    assert.match(await row.textContent(), /CPython 3\.\d+\.\d+, GIL (on|off)/);

    // the timeline shows the CPython run; the code view says the Python is what ran
    assert.equal(await page.getByTestId("code-python").getAttribute("data-ran"), "true");
    assert.ok((await page.getByTestId("code-python").locator('.cl[data-mark="run"]').count()) >= 1, "its computing line is marked, linked to the spans");
    assert.deepEqual(b.errors.filter((e) => e.startsWith("page error")), [], "no uncaught exception");
  });

  test("run every variant, with CPython ticked, runs each variant's script in CPython too", async () => {
    const { page } = b;
    await page.goto(`${server.origin}/?preset=cpu_threading&tasks=4&n=20000&repeat=1`);
    await waitConnected(page);
    await page.getByTestId("all-cpython").check();
    await runEveryVariant(page); // without a guess: the page asks once, and the test skips it
    // sequential, asyncio, the threads (pool and gil are one script in CPython) and processes
    await waitForRows(page, "[data-testid=result-row][data-where=cpython]", 3, 120_000);
    await waitIdle(page, 120_000);
    const rows = await page.locator("[data-testid=result-row][data-where=cpython]").evaluateAll((trs) => trs.map((tr) => ({ ...tr.dataset })));
    assert.deepEqual(rows.map((r) => r.variant).sort(), ["eventloop", "pool", "process", "sequential"]);
    assert.equal(new Set(rows.map((r) => r.checksum)).size, 1, "every script gives the same results");
    assert.equal(rows[0].checksum, cpuChecksum(4, 20000));
  });

  test("a race under a lock is Go's only: the button waits and the hint says why", async () => {
    const { page } = b;
    await page.goto(`${server.origin}/?preset=race_condition&mode=mutex&tasks=10`);
    await waitConnected(page);
    assert.ok(await page.getByTestId("run-cpython").isDisabled());
    assert.match(await page.locator("#variant-hint").textContent(), /CPython runs the lesson's race as written/);
  });
});

describe("no interpreter offered", () => {
  test("no button, and the status says how to offer one", async () => {
    const server = await startNative([], { env: { ...process.env, PATH: "/nonexistent" } });
    const b = await launch();
    try {
      const { page } = b;
      await page.goto(`${server.origin}/?preset=cpu_threading`);
      await waitConnected(page);
      assert.ok(await page.getByTestId("run-cpython").isHidden());
      assert.match(await page.getByTestId("backend-status").textContent(), /No CPython offered: start the backend with -python PATH/);
    } finally {
      await b.close();
      await server.stop();
    }
  });
});
