// The timeline stays readable at both ends: the tasks one after another on a pool's lane are
// told apart by a boundary between them, and the race preset's 5,000 threads are drawn as
// rows of lanes a reader can see, with the page saying how they were grouped.

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { runAndWait, screenshot, setUp, startPlayground, stopPlayground } from "./harness.mjs";

describe("a readable timeline", () => {
  let server;
  let browser;
  let page;

  before(async () => ({ server, browser, page } = await startPlayground("/")));

  after(() => stopPlayground({ browser, server }));

  test("a pool's lane shows where each download ends and the next begins", async () => {
    // 2 threads, 12 downloads of 40 ms each: 6 back to back on each lane
    await setUp(page, "io_threading", { tasks: 12, delay: 40, size: 500, workers: 2 });
    await runAndWait(page, "run-native", { variant: "pool", where: "native" });
    await page.getByTestId("timeline").evaluate((el) => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    // along the middle of each lane, count the stretches of the waiting colour: one per task
    const stretches = await page.evaluate(() => {
      const el = document.querySelector("[data-testid=timeline]");
      const canvas = el.querySelector("canvas");
      const over = el.querySelector(".u-over");
      const probe = document.createElement("span");
      probe.style.color = "var(--wait)";
      document.body.append(probe);
      const c = document.createElement("canvas").getContext("2d");
      c.fillStyle = getComputedStyle(probe).color;
      probe.remove();
      c.fillRect(0, 0, 1, 1);
      const [r, g, b] = c.getImageData(0, 0, 1, 1).data;
      const k = canvas.width / canvas.getBoundingClientRect().width;
      const box = over.getBoundingClientRect();
      const cb = canvas.getBoundingClientRect();
      const x0 = Math.round((box.left - cb.left) * k);
      const w = Math.round(box.width * k);
      const ctx = canvas.getContext("2d");
      const lanes = 2;
      const out = [];
      for (let lane = 0; lane < lanes; lane++) {
        const y = Math.round((box.top - cb.top + (box.height * (lane + 0.5)) / lanes) * k);
        const d = ctx.getImageData(x0, y, w, 1).data;
        let n = 0;
        let inside = false;
        for (let i = 0; i < d.length; i += 4) {
          const hit = Math.abs(d[i] - r) + Math.abs(d[i + 1] - g) + Math.abs(d[i + 2] - b) < 30 && d[i + 3] > 200;
          if (hit && !inside) n++;
          inside = hit;
        }
        out.push(n);
      }
      return out;
    });
    await screenshot(page, "timeline-io-pool.png");
    // the pool hands out tasks as threads come free: 6 each, or 5 and 7 on a busy machine
    assert.equal(stretches[0] + stretches[1], 12, `the 12 downloads are told apart (stretches of waiting per lane: ${stretches})`);
  });

  test("5,000 threads are grouped into lanes that fit, and the page says so", async () => {
    await setUp(page, "race_condition", { tasks: 5000, workers: 5000 });
    await runAndWait(page, "run-native", { variant: "pool", where: "native", timeout: 60_000 });
    const tl = page.getByTestId("timeline");
    // a span per task, and each thread's start-up drawn (measured from its creation until the
    // gate let it run), so the lanes are not empty for most of the run
    const spans = Number(await tl.getAttribute("data-spans"));
    assert.equal(Number(await tl.getAttribute("data-spawns")), 5000, "every thread's start is a spawn span");
    assert.equal(spans, 10_000);
    const group = Number(await tl.getAttribute("data-lane-group"));
    const rows = Number(await tl.getAttribute("data-lane-rows"));
    assert.ok(group > 1, `lanes are grouped (group ${group})`);
    assert.ok(rows * group >= 5000 && (rows - 1) * group < 5000, `${rows} rows of ${group} hold 5,000 lanes`);
    const { height } = await tl.locator(".u-over").boundingBox();
    assert.ok(height / rows >= 5, `a row is at least 5 px tall (${(height / rows).toFixed(1)} px)`);
    const note = page.getByTestId("timeline-lanes");
    assert.ok(await note.isVisible(), "the grouping is said on the page");
    assert.equal(await note.textContent(), `5,000 threads shown as ${rows} lanes of ${group}: each lane draws every span of its threads.`);
    assert.match(await tl.getAttribute("aria-label"), new RegExp(`shown as ${rows} lanes of ${group}`));
    await screenshot(page, "timeline-race-5000.png");

    // a run with few lanes has no grouping and no note
    await setUp(page, "cpu_threading", { tasks: 4, n: 20_000, workers: 4 });
    await runAndWait(page, "run-native", { variant: "pool", where: "native" });
    assert.equal(await tl.getAttribute("data-lane-group"), "1");
    assert.equal(await note.isVisible(), false);
    assert.deepEqual(browser.errors, []);
  });
});
