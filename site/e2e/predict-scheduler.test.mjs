// Learning by predicting and by being the scheduler, in real Chromium against a real
// `native serve`: the "be the scheduler" panel beside the race (every mode, by keyboard, said in
// its live region, on a phone width in dark mode, inside /embed), and "predict, then run": a
// guess reordered by keyboard and by dragging, scored against the runs it was locked in for,
// kept in the history, carried by a share link, and asked for first by an embed (data-predict).

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { launch, screenshot, startHost, startPlayground, stopPlayground, waitConnected, waitIdle } from "./harness.mjs";

const step = (page, t) => page.locator(`[data-testid=scheduler] [data-testid=scheduler-step][data-thread=${t}]`);
const value = async (page, id) => Number(await page.getByTestId(id).getAttribute("data-value"));
const order = (page) => page.locator("[data-testid=predict] li[data-variant]").evaluateAll((lis) => lis.map((li) => li.dataset.variant));

/** Steps the threads in the order given ("ABAABB"), each by a click on its button. */
async function play(page, seq) {
  for (const t of seq) await step(page, t).click();
}

describe("be the scheduler and predict, then run", () => {
  let server;
  let b;
  let page;

  before(async () => ({ server, browser: b, page } = await startPlayground()));

  after(() => stopPlayground({ browser: b, server }));

  test("the scheduler shows with the race only", async () => {
    await page.goto(`${server.origin}/?preset=cpu_non_concurrent`);
    await waitConnected(page);
    assert.equal(await page.getByTestId("scheduler").isVisible(), false, "hidden for the CPU experiment");
    await page.getByTestId("preset").selectOption("race_condition");
    await page.getByTestId("scheduler").waitFor({ state: "visible" });
    const modes = await page.getByTestId("scheduler-mode").locator("option").evaluateAll((os) => os.map((o) => o.value));
    assert.deepEqual(modes, ["unsafe", "mutex", "atomic", "eventloop"]);
  });

  test("unsafe: both reads before either write lose an update, at the write that loses it", async () => {
    await page.getByTestId("scheduler-mode").selectOption("unsafe");
    await play(page, "ABAAB"); // A: read, add, write; B read before A wrote
    assert.equal(await value(page, "scheduler-counter"), 1);
    assert.equal(await value(page, "scheduler-lost"), 0);
    assert.match(await page.locator("[data-testid=scheduler] .sched-thread[data-thread=B] [data-copy]").textContent(), /stale/);
    await play(page, "B");
    assert.equal(await value(page, "scheduler-counter"), 1, "B wrote back 0 + 1 over A's 1");
    assert.equal(await value(page, "scheduler-lost"), 1);
    assert.match(await page.locator("[data-testid=scheduler] [role=status]").textContent(), /A's increment is lost/);
    for (const t of ["A", "B"]) {
      assert.equal(await step(page, t).isDisabled(), true, `${t} has finished`);
      assert.equal(await step(page, t).textContent(), `${t} has finished`);
    }
    await page.getByTestId("scheduler-reset").click();
    assert.equal(await value(page, "scheduler-counter"), 0);
    await play(page, "AAABBB");
    assert.equal(await value(page, "scheduler-counter"), 2, "one after the other loses nothing");
    assert.equal(await value(page, "scheduler-lost"), 0);
  });

  test("mutex: the waiting thread's button is disabled and says why; nothing is lost", async () => {
    await page.getByTestId("scheduler-mode").selectOption("mutex");
    await play(page, "A"); // A takes the lock
    assert.equal(await step(page, "B").isDisabled(), true);
    assert.equal(await step(page, "B").textContent(), "B waits: A holds the lock");
    await play(page, "AAAA"); // read, add, write, release
    assert.equal(await step(page, "B").isDisabled(), false, "B may go once A released the lock");
    await play(page, "BBBBB");
    assert.equal(await value(page, "scheduler-counter"), 2);
    assert.equal(await value(page, "scheduler-lost"), 0);
  });

  test("atomic: read, add and write are one step", async () => {
    await page.getByTestId("scheduler-mode").selectOption("atomic");
    await play(page, "BA");
    assert.equal(await value(page, "scheduler-counter"), 2);
    assert.equal(await step(page, "A").isDisabled(), true);
    assert.equal(await step(page, "B").isDisabled(), true);
  });

  test("event loop: a switch only at the await, which the reader places; by keyboard alone", async () => {
    await page.getByTestId("scheduler-mode").selectOption("eventloop");
    await page.getByTestId("scheduler-await").selectOption("read");
    // the keyboard: focus A's button, Enter steps it
    await step(page, "A").focus();
    await page.keyboard.press("Enter"); // A reads
    assert.equal(await step(page, "B").textContent(), "B waits: the loop runs A until it awaits");
    await page.keyboard.press("Enter"); // A awaits: either task may go
    assert.equal(await step(page, "B").isDisabled(), false);
    await step(page, "B").focus();
    await page.keyboard.press("Enter"); // B reads 0
    await page.keyboard.press("Enter"); // B awaits
    await play(page, "AABB");
    assert.equal(await value(page, "scheduler-lost"), 1, "the await between read and write let B read the old value");
    // no await at all: nothing can interleave
    await page.getByTestId("scheduler-await").selectOption("none");
    await play(page, "B");
    assert.equal(await step(page, "A").isDisabled(), true);
    await play(page, "BBAAA");
    assert.equal(await value(page, "scheduler-counter"), 2);
    assert.equal(await value(page, "scheduler-lost"), 0);
    assert.deepEqual(b.errors, []);
  });

  test("predict, then run: a guess reordered by keyboard and by dragging is scored against what was measured", async () => {
    await page.evaluate(() => localStorage.removeItem("playground.predictions.v1"));
    await page.goto(`${server.origin}/?preset=cpu_non_concurrent&tasks=4&n=2000000&repeat=1&variants=sequential,pool,gil,process`);
    await waitConnected(page);
    await page.getByTestId("predict").waitFor({ state: "visible" });
    assert.deepEqual(await order(page), ["sequential", "pool", "gil", "process"]);
    // keyboard: GIL up twice
    const up = page.getByRole("button", { name: "Move threads + GIL up (faster)" });
    await up.focus();
    await page.keyboard.press("Enter");
    await page.keyboard.press("Enter");
    assert.deepEqual(await order(page), ["gil", "sequential", "pool", "process"]);
    assert.match(await page.locator("[data-testid=predict] [role=status]").textContent(), /threads \+ GIL is now 1st of 4/);
    // drag: the process pool onto the sequential run takes its place
    await page.locator("[data-testid=predict] li[data-variant=process]").dragTo(page.locator("[data-testid=predict] li[data-variant=sequential]"));
    assert.deepEqual(await order(page), ["gil", "process", "sequential", "pool"]);

    await page.getByTestId("run-all").click();
    const score = page.getByTestId("predict-score");
    await score.waitFor({ state: "visible", timeout: 120_000 });
    await waitIdle(page);
    // the score, recomputed here from the result rows: one run per variant (the backend's where
    // both ran), pairs in the guessed order, runs within 10 % a tie
    const rows = await page.locator("[data-testid=result-row]").evaluateAll((trs) => trs.map((tr) => ({ ...tr.dataset })));
    const dur = {};
    for (const r of rows) if (!(r.variant in dur) || r.where === "native") dur[r.variant] = Number(r.durationMs);
    const guess = ["gil", "process", "sequential", "pool"];
    let correct = 0;
    const wrong = new Set();
    for (let i = 0; i < guess.length; i++) {
      for (let j = i + 1; j < guess.length; j++) {
        const [a, c] = [dur[guess[i]], dur[guess[j]]];
        if (a <= c || Math.abs(a - c) <= 0.1 * Math.max(a, c)) correct++;
        else wrong.add(guess[i]).add(guess[j]);
      }
    }
    // the table's colours follow the same rule: a place is a miss when its guessed variant is in a wrong pair
    const colours = await page.locator("[data-testid=predict] tbody tr").evaluateAll((trs) => trs.map((tr) => tr.className));
    assert.deepEqual(colours, guess.map((v) => (wrong.has(v) ? "miss" : "hit")), `the colours agree with the score (wrong pairs among ${[...wrong].join(", ") || "none"})`);
    assert.equal(await score.getAttribute("data-total"), "6");
    assert.equal(Number(await score.getAttribute("data-correct")), correct, `the score from the measured durations ${JSON.stringify(dur)}`);
    const measuredOrder = await page.locator("[data-testid=predict] tbody tr td:nth-child(3)").allTextContents();
    assert.equal(measuredOrder.length, 4);
    const sorted = Object.entries(dur).sort((x, y) => x[1] - y[1]).map(([v]) => v);
    assert.deepEqual(measuredOrder.map((t) => t.replace(/ \(.*\)$/, "")), sorted.map((v) => ({ sequential: "sequential", pool: "thread pool", gil: "threads + GIL", process: "process pool" })[v]));
    // each miss has a reason taken from the figures: the GIL's, when it ran about as long as sequential
    const misses = await page.locator("[data-testid=predict] .predict-misses li").evaluateAll((lis) => lis.map((li) => ({ v: li.dataset.variant, text: li.textContent })));
    for (const m of misses) assert.match(m.text, /you said \d(st|nd|rd|th), it was \d(st|nd|rd|th)\. \S/);
    const gil = misses.find((m) => m.v === "gil");
    const gilVsSeq = dur.gil / dur.sequential;
    if (gil && gilVsSeq >= 0.8 && gilVsSeq <= 1.25) assert.match(gil.text, /interpreter lock/);
    if (gil && gilVsSeq > 1.25) assert.match(gil.text, /slower than sequential/);
    await screenshot(page, "predict-scored.png");

    // kept in the history, across a reload
    await page.reload();
    const kept = page.locator("#predict-history [data-testid=predict-kept]");
    await kept.first().waitFor();
    assert.match(await kept.first().textContent(), new RegExp(`${correct} of 6 pairs`));

    // a share link carries the guess, and opening it restores it
    await page.getByRole("button", { name: "Move threads + GIL down (slower)" }).click(); // a guess made on this page
    const guessNow = await order(page);
    await page.getByTestId("share").click();
    const link = await page.locator("#share-text").inputValue();
    assert.equal(new URL(link).searchParams.get("guess"), guessNow.join(","));
    await page.goto(link);
    await page.getByTestId("predict").waitFor({ state: "visible" });
    assert.deepEqual(await order(page), guessNow);
    assert.match(await page.locator("[data-testid=predict] [role=status]").textContent(), /The link's guess/);
    assert.deepEqual(b.errors, []);
  });

  test("an embed with data-predict asks for a guess before it runs every variant; on a phone, in dark mode", async () => {
    const host = await startHost(`<!doctype html><meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,"><body style="margin:0">
<div data-concurrency-playground="race_condition" data-tasks="50" data-variants="sequential,eventloop" data-predict="1" data-theme="dark"></div>
<script src="${server.origin}/embed.js" async></script></body>`);
    const phone = await launch({ viewport: { width: 360, height: 800 }, colorScheme: "dark" });
    try {
      await phone.page.goto(host.origin);
      const frame = phone.page.frameLocator("iframe");
      await frame.getByTestId("predict").waitFor({ state: "visible" });
      await frame.getByTestId("run-all").click();
      assert.match(await frame.locator("[data-testid=predict] [role=status]").textContent(), /Make your guess first/);
      assert.equal(await frame.getByTestId("result-row").count(), 0, "nothing ran before the guess");
      // the host page's run command is held back too, and told why
      const refused = await phone.page.evaluate(
        () =>
          new Promise((resolve) => {
            const div = document.querySelector("[data-concurrency-playground]");
            div.addEventListener("concurrency-playground:error", (e) => resolve(e.detail), { once: true });
            div.concurrencyPlayground.send("run", { where: "all" });
          }),
      );
      assert.match(refused.message, /has not made a prediction yet/);
      assert.equal(await frame.getByTestId("result-row").count(), 0, "nothing ran on the host's command either");
      await frame.getByTestId("predict-keep").click();
      await frame.getByTestId("run-all").click();
      await frame.getByTestId("predict-score").waitFor({ state: "visible", timeout: 60_000 });
      assert.equal(await frame.getByTestId("predict-score").getAttribute("data-total"), "1");
      // the scheduler works in the card too, and nothing is wider than the phone
      await frame.getByTestId("scheduler").waitFor({ state: "visible" });
      await frame.locator("[data-testid=scheduler-step][data-thread=A]").click();
      await frame.locator("[data-testid=scheduler-step][data-thread=B]").click();
      const sizes = await frame.locator("body").evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth, dark: matchMedia("(prefers-color-scheme: dark)").matches || document.documentElement.dataset.theme === "dark" }));
      assert.ok(sizes.scroll <= sizes.client, `the card fits the phone: ${sizes.scroll} > ${sizes.client}`);
      assert.ok(sizes.dark);
      await screenshot(phone.page, "predict-scheduler-embed-phone-dark.png");
      assert.deepEqual(phone.errors, []);
    } finally {
      await phone.close();
      await host.stop();
    }
  });
});
