// The code view beside the timeline and the lesson's own figures: the Python and the Go shown
// for each preset, every Go line checked against the repository's files; the link between a
// span and its lines, both ways, by mouse and by keyboard; the reference rows; the embed,
// with the code hidden by its parameter; a phone's width and dark mode.

import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { launch, root, screenshot, startHost, startPlayground, stopPlayground, waitConnected } from "./harness.mjs";

/** Every line of every Go block on the page: its file, its number, its text. */
const shownGo = (page) =>
  page.getByTestId("code-go").locator(".code-block").evaluateAll((blocks) =>
    blocks.flatMap((b) => [...b.querySelectorAll(".cl")].map((l) => ({ file: b.dataset.file, n: Number(l.dataset.line), text: l.textContent }))),
  );

/** Asserts each shown line is the line of its file it says it is, whitespace aside. */
function assertLinesOfTheSource(lines, what) {
  assert.ok(lines.length > 5, `${what}: only ${lines.length} Go lines shown`);
  const files = new Map();
  for (const l of lines) {
    assert.ok(l.file.endsWith(".go") && !l.file.includes(".."), `${what}: ${l.file} is not a Go file of the repository`);
    if (!files.has(l.file)) files.set(l.file, fs.readFileSync(path.join(root, l.file), "utf8").split("\n"));
    const src = files.get(l.file)[l.n - 1];
    assert.equal(l.text.replace(/\s+/g, " ").trim(), (src ?? "<no such line>").replace(/\s+/g, " ").trim(), `${what}: ${l.file}:${l.n}`);
  }
}

describe("the code view and the lesson's figures", () => {
  let server;
  let browser;
  let page;

  before(async () => ({ server, browser, page } = await startPlayground("/?preset=io_non_concurrent&tasks=8&delay=40&size=1000", { viewport: { width: 1400, height: 1000 } })));

  after(() => stopPlayground({ browser, server }));

  test("every preset shows its Python and Go, and every Go line is a line of the repository's source", async () => {
    const presets = await page.getByTestId("preset").locator("option").evaluateAll((os) => os.map((o) => o.value).filter(Boolean));
    assert.ok(presets.length >= 9, `presets: ${presets}`);
    const python = { io_threading: "ThreadPoolExecutor", io_asyncio: "asyncio.gather", io_mp: "multiprocessing.Pool", cpu_non_concurrent: "sum(i * i", race_condition: "counter += 1" };
    const goFunc = { io_threading: "func (r *run) pool(", cpu_gil: "func (r *run) gil(", io_mp: "func (p *pool) work(", io_asyncio: "func eventLoop(", cpu_non_concurrent: "func SumOfSquares(" };
    for (const name of presets) {
      await page.getByTestId("preset").selectOption(name);
      await page.locator(`#code[data-view^="${name.split("_")[0]}/"]`).waitFor();
      assert.ok(await page.getByTestId("code-python").isVisible(), `${name}: the Python is visible`);
      assert.ok(await page.getByTestId("code-go").isVisible(), `${name}: the Go is visible`);
      const py = await page.getByTestId("code-python").textContent();
      if (python[name]) assert.ok(py.includes(python[name]), `${name}: the Python says ${python[name]}`);
      const go = await page.getByTestId("code-go").textContent();
      if (goFunc[name]) assert.ok(go.includes(goFunc[name]), `${name}: the Go shows ${goFunc[name]}`);
      assertLinesOfTheSource(await shownGo(page), name);
    }
    // the process pool's start-up is marked where it happens
    await page.getByTestId("preset").selectOption("cpu_mp");
    await page.locator('#code[data-view="cpu/process/native"]').waitFor();
    assert.ok((await page.getByTestId("code-go").locator('.cl[data-mark="spawn"]').count()) >= 1, "startProc is marked as starting");
    assert.ok((await page.getByTestId("code-python").locator('.cl[data-mark="spawn"]').count()) >= 1, "Pool() is marked as starting");
  });

  test("the lesson's figures are reference rows, marked as not measured here, and agree with internal/lesson", async () => {
    await page.getByTestId("preset").selectOption("io_threading");
    const rows = await page.getByTestId("reference-row").evaluateAll((trs) => trs.map((tr) => ({ ...tr.dataset, text: tr.textContent })));
    const row = (preset, source) => rows.find((r) => r.preset === preset && r.source === source);
    assert.equal(rows.length, 8, "the four I/O scripts, from the article and from CPython");
    assert.equal(row("io_non_concurrent", "article").durationMs, "14290");
    assert.equal(row("io_threading", "article").durationMs, "3720");
    assert.equal(row("io_asyncio", "article").durationMs, "2570");
    assert.equal(row("io_mp", "article").durationMs, "5720");
    // the page's 40 ms is nearest the 20 ms CPython was measured with
    assert.equal(row("io_threading", "cpython").durationMs, "710");
    assert.match(row("io_threading", "cpython").text, /CPython 3\.11.*20 ms latency/);
    assert.match(await page.locator("#reference").textContent(), /not measured in this page/);
    await page.getByTestId("preset").selectOption("cpu_non_concurrent");
    const cpu = await page.getByTestId("reference-row").evaluateAll((trs) => trs.map((tr) => `${tr.dataset.preset}/${tr.dataset.source}=${tr.dataset.durationMs}`));
    for (const want of ["cpu_non_concurrent/article=7830", "cpu_threading/article=10410", "cpu_mp/article=2520", "cpu_non_concurrent/cpython=2860", "cpu_mp/cpython=1560"]) {
      assert.ok(cpu.includes(want), `${want} in ${cpu}`);
    }
    // the same figures as native bench's CPython column: one source, internal/lesson
    const goSource = fs.readFileSync(path.join(root, "internal/lesson/figures.go"), "utf8");
    assert.match(goSource, /\{"cpu_mp", "cpu_mp", CPython, 1\.56, 0\}/);
  });

  test("a span marks its lines; a line, focused or pressed, lights its spans", async () => {
    await page.goto(`${server.origin}/?preset=io_non_concurrent&tasks=8&delay=40&size=1000`);
    await waitConnected(page);
    await page.getByTestId("run-browser").click();
    await page.locator('#code[data-view="io/sequential/browser"]').waitFor();
    await page.getByTestId("result-row").first().waitFor({ timeout: 30_000 });
    await page.waitForFunction(() => Number(document.querySelector("[data-testid=timeline]").dataset.spans) > 0);
    // the pointer over the one lane's middle: a red (waiting) span
    await page.locator("#timeline .u-over").hover(); // its middle
    await page.locator('#code[data-lit="wait"]').waitFor({ timeout: 5000 });
    assert.ok((await page.getByTestId("code-python").locator(".cl.lit").count()) >= 1, "the Python's download line is marked");
    assert.ok((await page.getByTestId("code-go").locator('.cl.lit[data-mark="wait"]').count()) >= 1, "the Go's Fetch line is marked");
    assert.equal(await page.getByTestId("code-go").locator('.cl.lit:not([data-mark="wait"])').count(), 0);
    await page.mouse.move(0, 0);
    await page.locator('#code[data-lit=""]').waitFor({ timeout: 5000 });

    // the keyboard: focus a marked line, the timeline lights its spans and it is said
    const line = page.getByTestId("code-go").locator('.cl[data-mark="wait"]').first();
    await line.focus();
    await page.locator('[data-testid=timeline][data-lit="wait"]').waitFor({ timeout: 5000 });
    assert.match(await page.getByTestId("code-announce").textContent(), /waiting: \d+ Python and \d+ Go lines marked; 8 waiting spans lit/);
    assert.equal(await line.getAttribute("role"), "button");
    await page.keyboard.press("Enter");
    assert.equal(await line.getAttribute("aria-pressed"), "true");
    await page.getByTestId("run-browser").focus(); // away: the press keeps it lit
    assert.equal(await page.getByTestId("timeline").getAttribute("data-lit"), "wait");
    await line.focus();
    await page.keyboard.press(" ");
    await page.getByTestId("run-browser").focus();
    await page.locator('[data-testid=timeline][data-lit=""]').waitFor({ timeout: 5000 });

    // the span-kind buttons are the keyboard's way to a kind of span
    const computing = page.locator('#code .code-kind[data-kind="run"]');
    await computing.focus();
    await page.locator('[data-testid=timeline][data-lit="run"]').waitFor({ timeout: 5000 });
    assert.match(await page.getByTestId("code-announce").textContent(), /computing: no line of this code|computing: \d+/);
    await page.getByTestId("run-browser").focus();
  });

  test("a gil run's waits link to the line that takes the lock; the race's start-up to its gate", async () => {
    await page.goto(`${server.origin}/?preset=cpu_gil`);
    await page.locator('#code[data-view="cpu/gil/native"]').waitFor();
    const wait = page.getByTestId("code-go").locator('.cl[data-mark="wait"]');
    assert.equal(await wait.count(), 1, "one line of the gil's Go waits");
    assert.match(await wait.textContent(), /t\.acquire\(\)/);
    await page.locator('#code .code-kind[data-kind="wait"]').focus();
    await page.locator('#code[data-lit="wait"]').waitFor({ timeout: 5000 });
    assert.match(await page.getByTestId("code-announce").textContent(), /waiting: 0 Python and 1 Go lines marked/);
    assert.doesNotMatch(await page.getByTestId("code-announce").textContent(), /no line of this code/);
    await page.getByTestId("preset").selectOption("race_condition");
    await page.locator('#code[data-view="race/pool/native"]').waitFor();
    assert.match(await page.getByTestId("code-go").locator('.cl[data-mark="spawn"]').textContent(), /gate\.wait\(\)/);
  });

  for (const viewport of [{ width: 390, height: 844 }, { width: 1366, height: 768 }]) {
    test(`a tap on a span shows its tip and lights its lines, and the help says tap (${viewport.width}×${viewport.height}, touch)`, async () => {
      const phone = await launch({ viewport, hasTouch: true, isMobile: viewport.width < 500 });
      try {
        const p = phone.page;
        await p.goto(`${server.origin}/?preset=io_non_concurrent&tasks=8&delay=40&size=1000`);
        await waitConnected(p);
        assert.match(await p.locator("#timeline-help .for-touch").innerText(), /^Tap a bar/);
        assert.equal(await p.locator("#timeline-help .for-pointer").isVisible(), false, "no hover words on a touch screen");
        assert.match(await p.locator("#code .hint .for-touch").innerText(), /^Tap a span/);
        // by touch alone, as on a phone: a mouse left where a click put it would, on the next
        // layout change, be taken as leaving the chart
        await p.getByTestId("run-browser").tap();
        await p.getByTestId("result-row").first().waitFor({ timeout: 30_000 });
        await p.waitForFunction(() => Number(document.querySelector("[data-testid=timeline]").dataset.spans) > 0);
        const over = p.locator("#timeline .u-over");
        await over.scrollIntoViewIfNeeded();
        const box = await over.boundingBox();
        await p.touchscreen.tap(box.x + box.width / 2, box.y + box.height / 2); // the one lane's middle: a waiting span
        await p.locator("#timeline .tip:not([hidden])").waitFor({ timeout: 5000 });
        assert.match(await p.locator("#timeline .tip").textContent(), /task \d+/);
        await p.locator('#code[data-lit="wait"]').waitFor({ timeout: 5000 });
        assert.ok((await p.getByTestId("code-go").locator('.cl.lit[data-mark="wait"]').count()) >= 1, "the Go's Fetch line is lit");
      } finally {
        await phone.close();
      }
    });
  }

  test("on a phone the code is below the timeline; dark mode colours it", async () => {
    const phone = await launch({ viewport: { width: 390, height: 800 }, colorScheme: "dark" });
    try {
      await phone.page.goto(`${server.origin}/?preset=cpu_threading`);
      await phone.page.getByTestId("code-go").waitFor();
      const t = await phone.page.getByTestId("timeline").boundingBox();
      const c = await phone.page.getByTestId("code-python").boundingBox();
      assert.ok(c.y > t.y + t.height, `the code (y ${c.y}) is below the timeline (bottom ${t.y + t.height})`);
      const overflow = await phone.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(overflow <= 0, `the page is ${overflow}px wider than a phone`);
      const bg = await phone.page.evaluate(() => getComputedStyle(document.querySelector("#code pre")).backgroundColor);
      const [r, g, b] = bg.match(/\d+/g).map(Number);
      assert.ok(r + g + b < 150, `the code's background is dark (${bg})`);
      await phone.page.locator("#code").screenshot({ path: path.join(root, "test-artifacts", "code-phone-dark.png") });
    } finally {
      await phone.close();
    }
    // side by side on a wide screen
    const t = await page.getByTestId("timeline").boundingBox();
    const c = await page.locator("#code").boundingBox();
    assert.ok(c.x > t.x + t.width - 1, `the code (x ${c.x}) is beside the timeline (right ${t.x + t.width})`);
    await screenshot(page, "code-wide.png");
  });

  test("the embed offers the code folded and the figures; code=1 unfolds it, code=0 hides it", async () => {
    const p = await browser.ctx.newPage();
    await p.goto(`${server.origin}/embed?preset=cpu_mp`);
    await p.getByTestId("reference-row").first().waitFor();
    // the compact card: the code is one line until the reader opens it
    assert.equal(await p.locator("#code-fold").evaluate((d) => d.open), false, "folded by default");
    assert.equal(await p.getByTestId("code-go").isVisible(), false);
    await p.locator("#code-fold > summary").click();
    await p.getByTestId("code-go").waitFor();
    assertLinesOfTheSource(await shownGo(p), "embed cpu_mp");
    const rows = await p.getByTestId("reference-row").evaluateAll((trs) => trs.map((tr) => `${tr.dataset.preset}/${tr.dataset.source}=${tr.dataset.durationMs}`));
    assert.deepEqual(rows.sort(), ["cpu_mp/article=2520", "cpu_mp/cpython=1560"], "the card quotes its own preset's figures");
    await p.goto(`${server.origin}/embed?preset=cpu_mp&code=1`);
    await p.getByTestId("code-go").waitFor();
    await p.goto(`${server.origin}/embed?preset=cpu_mp&code=0`);
    await p.getByTestId("reference-row").first().waitFor();
    assert.equal(await p.getByTestId("code-python").count(), 0, "code=0: no Python");
    assert.equal(await p.getByTestId("code-go").count(), 0, "code=0: no Go");

    // the kit passes data-code on to the card
    const host = await startHost(`<!doctype html><html><head><meta charset="utf-8"><title>t</title><link rel="icon" href="data:,"></head><body>
<div data-concurrency-playground="io_threading" data-code="0"></div><script src="${server.origin}/embed.js"></script></body></html>`);
    try {
      await p.goto(host.origin);
      const frame = p.frameLocator("iframe");
      await frame.getByTestId("reference-row").first().waitFor({ timeout: 10_000 });
      assert.match(await p.locator("iframe").getAttribute("src"), /[?&]code=0(&|$)/);
      assert.equal(await frame.getByTestId("code-go").count(), 0, "data-code=0: no code in the card");
    } finally {
      await host.stop();
    }
    await p.close();
  });
});
