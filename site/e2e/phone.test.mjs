// The page on a phone, in Chromium with a touch screen at a phone's width against a real
// `native serve`: the runs table keeps each run's timeline button in view, and the timeline's
// help names the zoom buttons rather than hovering and dragging, where nothing can hover.

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { launch, runAndWait, startNative } from "./harness.mjs";

describe("on a phone", () => {
  let server;
  let browser;
  let page;

  before(async () => {
    server = await startNative();
    browser = await launch({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });
    page = browser.page;
    await page.goto(`${server.origin}/?preset=cpu_non_concurrent&tasks=2&n=1000&repeat=1`);
    await page.waitForFunction(() => document.documentElement.dataset.ready !== undefined);
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test("the runs table keeps the timeline button in view", async () => {
    await runAndWait(page, "run-browser", { variant: "sequential", where: "browser" });
    const button = page.locator("[data-testid=result-row] button.link").first();
    // as the reader sees the table: scrolled to it, the table itself not scrolled sideways
    await button.evaluate((el) => {
      el.closest(".table-scroll").scrollLeft = 0;
      window.scrollTo(0, el.getBoundingClientRect().top + scrollY - 200);
    });
    const box = await button.boundingBox();
    const frame = await page.locator("#results").evaluate((t) => t.closest(".table-scroll").getBoundingClientRect().toJSON());
    assert.ok(box.x >= frame.left && box.x + box.width <= frame.right + 0.5, `the button (${box.x}..${box.x + box.width}) lies inside the table's frame (${frame.left}..${frame.right})`);
    assert.ok(box.x + box.width <= 390, "and on the screen");
    // and it works with a tap
    await page.getByTestId("timeline").evaluate((el) => (el.dataset.run = ""));
    await button.tap();
    await page.waitForFunction(() => document.querySelector("[data-testid=timeline]").dataset.run === "1");
  });

  test("the timeline's help names the buttons, not hovering or dragging", async () => {
    const help = page.locator("#timeline-help");
    const shown = await help.evaluate((p) => p.innerText);
    assert.match(shown, /The \+ and − buttons zoom/);
    assert.doesNotMatch(shown, /Hover|Drag across|double-click/);
  });
});
