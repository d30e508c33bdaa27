// The form's checks as a reader meets them, in Chromium against a real `native serve`: a field
// can be emptied and retyped, a fixed field takes its message back, a value is refused in one
// wording and by the same bounds whether it is typed, comes in a link or in a host page's
// "set", and the sweep, like the run buttons, waits for a form it can run.

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { freePort, launch, startPlayground, startStatic, stopPlayground, waitConnected } from "./harness.mjs";

describe("the form's checks", () => {
  let server;
  let browser;
  let page;

  before(async () => ({ server, browser, page } = await startPlayground()));

  after(() => stopPlayground({ browser, server }));

  /** Opens the page at query and waits for the backend, so the buttons' state is final. */
  async function open(query) {
    await page.goto(`${server.origin}/${query}`);
    await waitConnected(page);
  }

  const note = () => page.locator("#run-note").textContent();

  for (const preset of ["cpu_threading", "io_threading", "cpu_gil", "race_condition"]) {
    test(`the workers field of ${preset} empties with Backspace and takes what is typed next`, async () => {
      await open(`?preset=${preset}`);
      const workers = page.getByTestId("workers");
      await workers.click();
      await workers.press("End");
      for (let i = 0; i < 4; i++) await workers.press("Backspace");
      assert.equal(await workers.inputValue(), "", "the field is empty");
      assert.equal(await workers.getAttribute("aria-invalid"), "true");
      assert.match(await note(), /workers: a whole number in 1\.\.10000 is needed\./);
      assert.ok(await page.getByTestId("run-native").isDisabled(), "nothing runs with an empty field");
      await workers.pressSequentially("8");
      assert.equal(await workers.inputValue(), "8");
      // read in the page: page.url() learns of replaceState late
      assert.equal(await page.evaluate(() => new URLSearchParams(location.search).get("workers")), "8", "the state holds 8, not 58");
      assert.equal(await workers.getAttribute("aria-invalid"), "false");
      assert.ok(await page.getByTestId("run-native").isEnabled());
    });
  }

  for (const [preset, id] of [
    ["cpu_threading", "tasks"],
    ["io_threading", "delay"],
  ]) {
    test(`an emptied ${id} field's message goes once it is fixed, in the note and the variant's description`, async () => {
      await open(`?preset=${preset}`);
      const field = page.getByTestId(id);
      await field.fill("");
      assert.match(await note(), new RegExp(`${id}: a whole number in \\d+\\.\\.\\d+ is needed`));
      assert.match(await page.locator("#variant-hint").textContent(), new RegExp(`${id}: `));
      await field.pressSequentially("8");
      assert.doesNotMatch(await note(), new RegExp(`${id}:`), "the live note no longer says the field is needed");
      assert.doesNotMatch(await page.locator("#variant-hint").textContent(), new RegExp(`${id}:`));
      assert.equal(await field.getAttribute("aria-invalid"), "false");
    });
  }

  test("a fraction is named as not whole, not as out of range", async () => {
    await open("?preset=cpu_threading");
    await page.getByTestId("workers").fill("2.5");
    const said = await note();
    assert.match(said, /workers: 2\.5 is not a whole number; a whole number in 1\.\.10000 is needed\./);
    assert.doesNotMatch(said, /out of range/);
  });

  test("a link's workers over the process limit is refused in sight, as typing it is", async () => {
    await open("?preset=cpu_mp&workers=100");
    const workers = page.getByTestId("workers");
    assert.equal(await workers.inputValue(), "100", "the link's value is shown, not swapped silently");
    assert.equal(await workers.getAttribute("aria-invalid"), "true");
    assert.match(await note(), /workers: 100 is out of range 1\.\.64\./);
    assert.ok(await page.getByTestId("run-native").isDisabled());
    assert.ok(await page.getByTestId("run-browser").isDisabled());
    // typed, the same value gets the same words
    await open("?preset=cpu_mp");
    await workers.fill("100");
    assert.match(await note(), /workers: 100 is out of range 1\.\.64\./);
    // within the bound, the link's count is taken as it is
    await open("?preset=cpu_mp&workers=3");
    assert.equal(await workers.inputValue(), "3");
    assert.notEqual(await workers.getAttribute("aria-invalid"), "true");
  });

  test("the sweep waits for a form it can run, and says why", async () => {
    await open("?preset=cpu_threading&tasks=2&n=1000&repeat=1");
    const sweep = page.getByTestId("run-sweep");
    assert.ok(await sweep.isEnabled());
    await page.getByTestId("workers").fill("0");
    assert.ok(await page.getByTestId("run-native").isDisabled());
    assert.ok(await sweep.isDisabled(), "the sweep does not run the last valid settings instead");
    assert.match(await page.getByTestId("sweep-why").textContent(), /Fix the form first: workers: 0 is out of range 1\.\.10000\./);
    await page.getByTestId("workers").fill("2");
    assert.ok(await sweep.isEnabled());
    assert.equal(await page.getByTestId("sweep-why").textContent(), "");
  });

  test("the sweep draws its chart with more than 8 workers at the top", async () => {
    // the I/O sweep's top is 64 workers: the log axis leaves labels out, which must not throw
    await open("?preset=io_threading&tasks=16&delay=1&size=100");
    const errors = browser.errors.length;
    await page.getByTestId("run-sweep").click();
    await page.locator("#sweep-title").filter({ hasText: "5 of 5 runs done" }).waitFor({ timeout: 60_000 });
    assert.deepEqual(browser.errors.slice(errors), [], "no TypeError while the axes are drawn");
    assert.ok(await page.locator("#sweep-chart canvas").isVisible(), "the chart is drawn");
    assert.equal(await page.locator("#sweep-table tbody tr").count(), 5, "1, 2, 4, 8 and 16 workers");
  });

  test("an embed without a backend says what to do when a run button cannot act", async () => {
    // a static copy of the page, its backend address pointing at a port where nothing listens
    const site = await startStatic(server.origin);
    const closed = await freePort();
    const b = await launch();
    try {
      await b.ctx.addInitScript((url) => localStorage.setItem("playground.backend", url), `ws://127.0.0.1:${closed}/ws`);
      const hint = b.page.locator("#variant-hint");
      for (const [preset, browserRuns] of [
        ["cpu_mp", true],
        ["cpu_threading", false],
      ]) {
        await b.page.goto(`${site.origin}/embed.html?preset=${preset}&workers=4&tasks=8`);
        await b.page.getByTestId("backend-status").filter({ hasText: "No native backend" }).waitFor({ timeout: 10_000 });
        assert.ok(await b.page.getByTestId("run-native").isDisabled());
        assert.equal(await b.page.getByTestId("run-browser").isEnabled(), browserRuns, preset);
        const said = await hint.textContent();
        assert.match(said, /start the backend as its status line says, then retry|start it as its status line says, then retry/, `${preset}: ${said}`);
        if (!browserRuns) assert.match(said, /choose the sequential run, the event loop or the process pool to run in this browser/i, said);
        assert.ok(await hint.isVisible());
      }
    } finally {
      await b.close();
      await site.stop();
    }
  });
});
