// axe-core's checks on / and /embed, in light and in dark mode, with everything a reader can
// open open: the settings and other details expanded, runs finished (results table, timeline,
// its data table, the race figures, the history and the comparison of two runs). axe's own
// source comes from node_modules and is evaluated in the page: no network, and the page's
// Content-Security-Policy does not apply to what the test evaluates.

import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { root, runAndWait, setUp, startPlayground, stopPlayground, waitConnected, waitIdle } from "./harness.mjs";

const axeSource = fs.readFileSync(path.join(root, "site/node_modules/axe-core/axe.min.js"), "utf8");

/** axe's violations on the page (or frame) as lines a reader of the test output can act on. */
async function violations(page) {
  await page.evaluate(axeSource);
  const found = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ["violations"] });
    return r.violations.map((v) => `${v.id} (${v.impact}): ${v.help}\n${v.nodes.map((n) => `    ${n.target.join(" ")}: ${n.failureSummary.replace(/\n/g, " ")}`).join("\n")}`);
  });
  return found;
}

const openAll = (page) => page.evaluate(() => document.querySelectorAll("details").forEach((d) => (d.open = true)));

for (const colorScheme of ["light", "dark"]) {
  describe(`axe-core in ${colorScheme} mode`, () => {
    let server;
    let browser;
    let page;

    before(async () => ({ server, browser, page } = await startPlayground(undefined, { colorScheme })));

    after(() => stopPlayground({ browser, server }));

    test("/ with runs finished, two compared and every detail open: no violations", async () => {
      await page.goto(`${server.origin}/`);
      await waitConnected(page);
      await setUp(page, "cpu_non_concurrent", { tasks: 3, n: 20_000, repeat: 2 });
      await runAndWait(page, "run-browser", { variant: "sequential", where: "browser" });
      await setUp(page, "race_condition", { tasks: 200, workers: 4 });
      await runAndWait(page, "run-native", { variant: "pool", where: "native" });
      // a small sweep (4 workers at most: 1, 2, 4), for its chart's title and data table
      await setUp(page, "cpu_threading", { tasks: 4, n: 20_000, workers: 4 });
      await page.getByTestId("run-sweep").click();
      await page.locator("#sweep-table td").first().waitFor({ timeout: 60_000 });
      await waitIdle(page);
      const picks = page.getByTestId("history-row").locator("input[type=checkbox]");
      await picks.nth(0).check();
      await picks.nth(1).check();
      await page.locator("#compare table").waitFor();
      await openAll(page);
      const found = await violations(page);
      assert.deepEqual(found, [], `axe found on /:\n${found.join("\n")}`);
      assert.deepEqual(browser.errors, []);
    });

    test("/embed with a run finished: no violations", async () => {
      await page.goto(`${server.origin}/embed?preset=cpu_non_concurrent&tasks=3&n=20000`);
      await waitConnected(page);
      await page.getByTestId("run-browser").click();
      await page.getByTestId("result-row").waitFor({ timeout: 30_000 });
      await openAll(page);
      const found = await violations(page);
      assert.deepEqual(found, [], `axe found on /embed:\n${found.join("\n")}`);
      assert.deepEqual(browser.errors, []);
    });
  });
}
