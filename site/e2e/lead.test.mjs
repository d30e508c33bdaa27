// The page leads the learner (issue 21): on a laptop and on a phone, light and dark, the preset
// and a run button are in the first screen; the guess comes before "Run every variant", which
// asks for one once; a batch says how far it has got near the buttons, and a run's note and
// timeline come into view when it starts; the race's lost count is in its run's note, its panel
// stands under the timeline, and an unsafe run that lost nothing is not the green of safe.

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { launch, runAndWait, screenshot, setUp, startHost, startNative, startStatic, waitConnected, waitForRows, waitIdle } from "./harness.mjs";

const sizes = [
  { name: "laptop", viewport: { width: 1366, height: 768 }, mobile: false },
  { name: "phone", viewport: { width: 390, height: 844 }, mobile: true },
];
const schemes = ["light", "dark"];

/** The y of an element's top and bottom in the viewport (px), for the test's messages. */
const box = (page, sel) => page.locator(sel).first().evaluate((el) => ({ top: Math.round(el.getBoundingClientRect().top), bottom: Math.round(el.getBoundingClientRect().bottom) }));

/** In the page: whether the run note and the timeline are both wholly in the viewport. */
const noteAndTimelineInView = () => {
  const note = document.getElementById("run-note").getBoundingClientRect();
  const timeline = document.querySelector("[data-testid=timeline]").getBoundingClientRect();
  return note.top >= 0 && timeline.bottom <= innerHeight + 1;
};

describe("the page leads the learner", () => {
  let server;
  let staticServer;
  before(async () => {
    server = await startNative();
    staticServer = await startStatic(server.origin);
  });
  after(async () => {
    await staticServer?.stop();
    await server?.stop();
  });

  for (const size of sizes) {
    for (const scheme of schemes) {
      test(`${size.name}, ${scheme}: the preset and a run button are in the first screen`, async () => {
        const b = await launch({ viewport: size.viewport, colorScheme: scheme, hasTouch: size.mobile, isMobile: size.mobile });
        try {
          // the race's lesson is the longest: it must not push the button out either
          for (const query of ["", "?preset=race_condition", "?preset=cpu_mp"]) {
            await b.page.goto(`${server.origin}/${query}`);
            await waitConnected(b.page);
            for (const id of ["preset", "run-browser", "run-native"]) {
              const y = await box(b.page, `[data-testid=${id}]`);
              assert.ok(y.top >= 0 && y.bottom <= size.viewport.height, `${query || "/"}: ${id} at y ${y.top}..${y.bottom} lies in the first ${size.viewport.height} px`);
            }
          }
          await screenshot(b.page, `lead-first-screen-${size.name}-${scheme}.png`);
          assert.deepEqual(b.errors, []);
          // a first visit without the backend (a static copy of the page): its status says more
          await b.page.goto(`${staticServer.origin}/`);
          await b.page.getByTestId("backend-status").filter({ hasText: /No native backend/ }).waitFor({ timeout: 20_000 });
          for (const id of ["preset", "run-browser"]) {
            const y = await box(b.page, `[data-testid=${id}]`);
            assert.ok(y.top >= 0 && y.bottom <= size.viewport.height, `no backend: ${id} at y ${y.top}..${y.bottom} lies in the first ${size.viewport.height} px`);
          }
        } finally {
          await b.close();
        }
      });
    }
  }

  test("the guess comes before “Run every variant”, which asks for one once and can be skipped", async () => {
    const b = await launch();
    try {
      const { page } = b;
      await page.goto(`${server.origin}/?preset=cpu_non_concurrent&tasks=2&n=1000&variants=sequential,pool`);
      await waitConnected(page);
      const order = await page.evaluate(() => {
        const list = document.querySelector("[data-testid=predict] ol");
        const runAll = document.querySelector("[data-testid=run-all]");
        return list.compareDocumentPosition(runAll) & Node.DOCUMENT_POSITION_FOLLOWING ? "guess first" : "run-all first";
      });
      assert.equal(order, "guess first");
      const rows = page.getByTestId("result-row");
      await page.getByTestId("run-all").click();
      const skip = page.getByTestId("predict-skip");
      await skip.waitFor({ state: "visible" });
      assert.match(await page.locator("[data-testid=predict] [role=status]").textContent(), /Which will be fastest\? Order the variants/);
      assert.equal(await page.getByTestId("cancel").isHidden(), true, "nothing ran: the page asked first");
      assert.equal(await rows.count(), 0);
      await skip.click();
      await waitIdle(page);
      assert.equal(await rows.count(), 3, "the skip ran every variant: sequential in the browser and on the backend, the thread pool");
      assert.equal(await skip.isHidden(), true);
      // asked once: the next press runs at once
      await page.getByTestId("run-all").click();
      await waitIdle(page);
      assert.equal(await rows.count(), 6);
      assert.deepEqual(b.errors, []);
    } finally {
      await b.close();
    }
  });

  for (const size of sizes) {
    test(`${size.name}: a batch says how far it has got, and a run's note and timeline come into view`, async () => {
      const b = await launch({ viewport: size.viewport, colorScheme: size.mobile ? "dark" : "light", hasTouch: size.mobile, isMobile: size.mobile });
      try {
        const { page } = b;
        await page.goto(`${server.origin}/?preset=cpu_non_concurrent&tasks=4&n=100000&variants=sequential,pool,process&guess=pool,process,sequential`);
        await waitConnected(page);
        // every text the progress line shows, as it changes
        await page.evaluate(() => {
          const el = document.querySelector("[data-testid=batch-progress]");
          window.seenProgress = [];
          new MutationObserver(() => {
            if (!el.hidden && el.textContent) window.seenProgress.push(el.textContent);
          }).observe(el, { childList: true, characterData: true, subtree: true, attributes: true });
        });
        await page.getByTestId("run-all").click();
        await page.waitForFunction(() => {
          const n = document.getElementById("run-note").getBoundingClientRect();
          const t = document.querySelector("[data-testid=timeline]").getBoundingClientRect();
          return n.top >= 0 && t.bottom <= innerHeight + 1;
        }, null, { timeout: 10_000 });
        await waitIdle(page);
        const seen = [...new Set(await page.evaluate(() => window.seenProgress))];
        assert.ok(seen.includes("1 of 5 · sequential in this browser"), `seen: ${seen.join(" | ")}`);
        assert.ok(seen.some((t) => /^[2-5] of 5 · process pool on the backend$/.test(t)), `seen: ${seen.join(" | ")}`);
        assert.equal(await page.getByTestId("batch-progress").isHidden(), true, "an idle queue hides it");
        // it stands right under the run buttons (and the line that says what they can run)
        const under = await page.getByTestId("batch-progress").evaluate((el) => {
          const run = document.querySelector("[data-testid=run-browser]");
          return [el.previousElementSibling, el.previousElementSibling?.previousElementSibling].some((e) => e?.contains(run));
        });
        assert.equal(under, true);

        // a single run from the top of the page: its note and timeline come into view
        await page.evaluate(() => window.scrollTo(0, 0));
        assert.equal(await page.evaluate(noteAndTimelineInView), false, "out of view before the run");
        await page.getByTestId("run-browser").click();
        await page.waitForFunction(noteAndTimelineInView, null, { timeout: 10_000 });
        await waitIdle(page);
        await screenshot(page, `lead-running-${size.name}.png`);
        assert.deepEqual(b.errors, []);
      } finally {
        await b.close();
      }
    });
  }

  test("the race: its note says the lost count, its panel stands under the timeline, an unsafe 0 is not green", async () => {
    const b = await launch({ viewport: { width: 1366, height: 768 } });
    try {
      const { page } = b;
      await page.goto(`${server.origin}/?preset=race_condition`);
      await waitConnected(page);
      const row = await runAndWait(page, "run-native", { variant: "pool", where: "native" });
      const note = await page.locator(`[data-testid=result-note][data-run="${row.run}"]`).textContent();
      const m = note.match(/Lost ([\d,]+) of 500,000 updates: the counter reads ([\d,]+)\./);
      assert.ok(m, `the race's run note carries the lost count: ${note}`);
      console.log(`race_condition on the backend, as the page shows it: ${m[0]}`);
      assert.match(await page.locator("#run-note").textContent(), /Lost [\d,]+ of 500,000 updates/);
      const timeline = await box(page, "#live");
      const race = await box(page, "#race");
      assert.ok(race.top - timeline.bottom >= 0 && race.top - timeline.bottom < 60, `the race panel (y ${race.top}) stands right under the timeline's panel (bottom ${timeline.bottom})`);

      // green for what cannot lose (a lock), not for an unsafe run that happened to lose nothing
      const lostColour = () => page.locator("#race [data-race=lost]").evaluate((el) => getComputedStyle(el).color);
      const ok = await page.evaluate(() => {
        const probe = document.createElement("span");
        probe.style.color = "var(--ok)";
        document.body.append(probe);
        const c = getComputedStyle(probe).color;
        probe.remove();
        return c;
      });
      await setUp(page, "race_condition", { variant: "pool", mode: "mutex", tasks: 200 });
      await runAndWait(page, "run-native", { variant: "pool", where: "native" });
      assert.equal(await page.locator("#race [data-race=lost]").textContent(), "0");
      assert.equal(await lostColour(), ok, "a lock's 0 is safe: green");
      await setUp(page, "race_condition", { variant: "eventloop", mode: "unsafe", tasks: 200 });
      await runAndWait(page, "run-browser", { variant: "eventloop", where: "browser" });
      assert.equal(await page.locator("#race [data-race=lost]").textContent(), "0");
      assert.notEqual(await lostColour(), ok, "an unsafe run that lost nothing is not the green of safe");
      await screenshot(page, "lead-race.png");
      assert.deepEqual(b.errors, []);
    } finally {
      await b.close();
    }
  });
});

describe("found on the same walk", () => {
  let server;
  let b;
  before(async () => {
    server = await startNative();
    b = await launch();
  });
  after(async () => {
    await b?.close();
    await server?.stop();
  });

  test("a negative count says the least it may be", async () => {
    const { page } = b;
    await page.goto(`${server.origin}/?preset=cpu_threading`);
    await page.getByTestId("workers").fill("-5");
    assert.match(await page.locator("#run-note").textContent(), /workers: -5 is below 1; it must be at least 1/);
  });

  test("the embed kit passes data-repeat on to the card", async () => {
    const host = await startHost(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>t</title><link rel="icon" href="data:,"></head><body>
<div data-concurrency-playground="cpu_non_concurrent" data-repeat="2"></div><script src="${server.origin}/embed.js"></script></body></html>`);
    const page = await b.ctx.newPage();
    try {
      await page.goto(host.origin);
      assert.match(await page.locator("iframe").getAttribute("src"), /[?&]repeat=2(&|$)/);
      const frame = page.frameLocator("iframe");
      await frame.getByTestId("preset").waitFor();
      assert.equal(await frame.getByTestId("repeat").inputValue(), "2");
    } finally {
      await page.close();
      await host.stop();
    }
  });

  test("a second tab says it waits for the first tab's run, then runs", async () => {
    const first = b.page;
    const second = await b.ctx.newPage();
    try {
      await first.goto(`${server.origin}/?preset=io_threading&delay=10000&tasks=5`);
      await waitConnected(first);
      await first.getByTestId("run-native").click();
      await first.locator("#timeline-title").filter({ hasText: /running/ }).waitFor({ timeout: 20_000 });
      await second.goto(`${server.origin}/?preset=cpu_non_concurrent&tasks=2&n=1000&repeat=1`);
      await second.waitForFunction(() => document.documentElement.dataset.ready !== undefined);
      await second.getByTestId("run-browser").click();
      await second.locator("#run-note").filter({ hasText: "is waiting for a run in another tab of this playground" }).waitFor({ timeout: 10_000 });
      assert.match(await second.locator("#run-note").textContent(), /^Run 1 \(sequential in the browser\) is waiting/);
      await first.getByTestId("cancel").click();
      await waitForRows(second, "[data-testid=result-row]", 0, 30_000);
    } finally {
      await second.close();
    }
  });

  test("a reload during a run is said on the next load", async () => {
    const { page } = b;
    await page.goto(`${server.origin}/?preset=io_threading&delay=10000&tasks=5`);
    await waitConnected(page);
    await page.getByTestId("run-native").click();
    await page.locator("#timeline-title").filter({ hasText: /running/ }).waitFor({ timeout: 20_000 });
    await page.reload();
    await page.waitForFunction(() => document.documentElement.dataset.ready !== undefined);
    assert.match(await page.locator("#run-note").textContent(), /^The page was reloaded while run 1 \(thread pool × 5 in the native backend\) was running: that run was lost\./);
    await page.reload();
    await page.waitForFunction(() => document.documentElement.dataset.ready !== undefined);
    assert.doesNotMatch(await page.locator("#run-note").textContent(), /reloaded/, "said once");
  });

  test("a backend that stops during a run is said to have disconnected, not canceled", async () => {
    const own = await startNative();
    const page = await b.ctx.newPage();
    try {
      await page.goto(`${own.origin}/?preset=io_threading&delay=10000&tasks=5`);
      await waitConnected(page);
      await page.getByTestId("run-native").click();
      await page.locator("#timeline-title").filter({ hasText: /running/ }).waitFor({ timeout: 20_000 });
      await own.stop(); // SIGTERM: the server says its runs stopped as it shuts down
      await waitIdle(page, 30_000);
      const note = await page.locator("#run-note").textContent();
      assert.match(note, /^Run 1 \(thread pool[^)]*\) failed: the backend disconnected during the run/, note);
      assert.doesNotMatch(note, /was canceled/);
    } finally {
      await page.close();
      await own.stop();
    }
  });
});

describe("the runs table on a phone", () => {
  let server;
  before(async () => {
    server = await startNative();
  });
  after(async () => {
    await server?.stop();
  });

  test("the sticky timeline column covers no other column, the speedup above all", async () => {
    const b = await launch({ viewport: { width: 390, height: 844 }, colorScheme: "dark", hasTouch: true, isMobile: true });
    try {
      const { page } = b;
      await page.goto(`${server.origin}/?preset=cpu_non_concurrent&tasks=2&n=1000&repeat=3`);
      await runAndWait(page, "run-browser", { variant: "sequential", where: "browser" });
      await setUp(page, "race_condition", { variant: "eventloop", tasks: 200 });
      await runAndWait(page, "run-browser", { variant: "eventloop", where: "browser" });
      const overlaps = await page.locator("#results").evaluate((table) => {
        table.closest(".table-scroll").scrollLeft = 0;
        const out = [];
        for (const tr of table.querySelectorAll("[data-testid=result-row]")) {
          const cells = [...tr.cells].filter((c) => getComputedStyle(c).display !== "none");
          const sticky = cells.at(-1).getBoundingClientRect();
          for (const c of cells.slice(0, -1)) {
            const r = c.getBoundingClientRect();
            if (r.right > sticky.left + 0.5) out.push(`${c.textContent.slice(0, 20)}: right ${r.right} > timeline's left ${sticky.left}`);
          }
        }
        return out;
      });
      assert.deepEqual(overlaps, []);
      await screenshot(page, "lead-runs-phone.png");
    } finally {
      await b.close();
    }
  });
});
