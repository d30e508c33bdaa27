// What a reader keeps of their runs: the exports (JSON, CSV, a Chrome trace with every span, a
// PNG), a share link that carries the state and, on request, the results, reopened in a fresh
// browser profile; and the history, which survives a reload and says what changed between two
// runs.

import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { artifacts, cpuChecksum, downloadFrom, launch, runAndWait, screenshot, setUp, startPlayground, stopPlayground } from "./harness.mjs";

/** RFC 4180, enough for the export: quoted fields may hold commas and doubled quotes. */
function parseCSV(text) {
  const rows = [];
  let row = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') field += '"', i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") row.push(field), (field = "");
    else if (c === "\n") row.push(field), rows.push(row), (row = []), (field = "");
    else if (c !== "\r") field += c;
  }
  return rows;
}

describe("exports, share links and the history", () => {
  let server;
  let browser;
  let page;
  let cpu;
  let io;

  before(async () => {
    ({ server, browser, page } = await startPlayground("/"));
    await setUp(page, "cpu_non_concurrent", { tasks: 3, n: 50_000 });
    cpu = await runAndWait(page, "run-browser", { variant: "sequential", where: "browser" });
    await setUp(page, "io_asyncio", { tasks: 30, delay: 10, size: 700 });
    io = await runAndWait(page, "run-browser", { variant: "eventloop", where: "browser" });
  });

  after(() => stopPlayground({ browser, server }));

  test("results export as JSON and CSV that parse and hold every run", async () => {
    const json = await downloadFrom(page, "export-json");
    // named for what it holds, both runs, not for the one on screen
    assert.match(json.name, /^playground-runs-2-runs-cpu_non_concurrent\+io_asyncio-[0-9T-]+\.json$/);
    const doc = JSON.parse(json.data.toString("utf8"));
    assert.equal(doc.format, "concurrency-playground/results");
    assert.deepEqual(doc.runs.map((r) => `${r.variant}/${r.checksum}`), [`sequential/${cpu.checksum}`, `eventloop/${io.checksum}`]);
    assert.equal(doc.runs[0].results.length, 3, "the JSON keeps the per-task results");
    assert.equal(cpu.checksum, cpuChecksum(3, 50_000));

    const csv = await downloadFrom(page, "export-csv");
    assert.equal(csv.name, json.name.replace(/\.json$/, ".csv"));
    const [head, ...rows] = parseCSV(csv.data.toString("utf8"));
    assert.equal(rows.length, 2);
    const col = (name) => head.indexOf(name);
    for (const name of ["variant", "where", "repeat", "duration_ms", "repeats_ms", "checksum", "agent", "delay"]) assert.ok(col(name) >= 0, `the CSV has a ${name} column`);
    assert.equal(rows[1][col("checksum")], io.checksum);
    assert.equal(rows[1][col("delay")], "10ms");
    assert.equal(Number(rows[1][col("duration_ms")]), Number(io.durationMs));
    assert.match(rows[1][col("agent")], /Chrome/, "the browser's user agent, commas and all, is one field");
  });

  test("a run's timeline exports as a Chrome trace holding every span, and as a PNG", async () => {
    const tl = page.getByTestId("timeline");
    assert.equal(await tl.getAttribute("data-run"), io.run, "the timeline shows the I/O run");
    const drawn = Number(await tl.getAttribute("data-spans"));
    const trace = await downloadFrom(page, "export-trace");
    assert.match(trace.name, /io_asyncio-eventloop-browser-.*\.trace\.json$/);
    const { traceEvents, displayTimeUnit, otherData } = JSON.parse(trace.data.toString("utf8"));
    assert.equal(displayTimeUnit, "ms");
    const spans = traceEvents.filter((e) => e.ph === "X");
    assert.equal(spans.length, drawn, "one complete event per span the timeline drew");
    assert.equal(spans.length, Number(io.spans), "and per span the result counted");
    assert.deepEqual([...new Set(spans.map((e) => e.args.task))].sort((a, b) => a - b), [...Array(30).keys()], "every task is in the trace");
    const lanes = new Set(spans.map((e) => e.tid));
    const named = traceEvents.filter((e) => e.ph === "M" && e.name === "thread_name");
    assert.deepEqual(named.map((e) => e.tid).sort(), [...lanes].sort(), "every lane is named");
    assert.ok(named.every((e) => /^connection \d+$/.test(e.args.name)), "the browser's I/O lanes are connections");
    assert.ok(lanes.size <= 6, `at most 6 connections per host (${lanes.size})`);
    for (const e of spans) {
      assert.ok(e.ts >= 0 && e.dur >= 0 && ["run", "wait"].includes(e.cat), `a span in µs with a state: ${JSON.stringify(e)}`);
    }
    const end = Math.max(...spans.map((e) => e.ts + e.dur)) / 1000;
    assert.ok(end <= Number(io.durationMs) * 1.05 + 1, `the spans end (${end} ms) within the run (${io.durationMs} ms)`);
    assert.equal(otherData.checksum, io.checksum);

    const png = await downloadFrom(page, "export-png");
    assert.match(png.name, /\.png$/);
    assert.deepEqual([...png.data.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], "a PNG file");
    assert.ok(png.data.length > 2000, `a PNG of a drawn chart (${png.data.length} bytes)`);
    fs.mkdirSync(artifacts, { recursive: true });
    fs.writeFileSync(path.join(artifacts, "timeline-export.png"), png.data);
    // a title and a legend above the chart: a band of the PNG that the chart does not fill,
    // holding text in the page's ink and a swatch of each state's colour
    const look = await page.evaluate(async (b64) => {
      const bmp = await createImageBitmap(new Blob([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], { type: "image/png" }));
      const chart = document.querySelector("[data-testid=timeline] canvas");
      const c = new OffscreenCanvas(bmp.width, bmp.height);
      const x = c.getContext("2d");
      const rgb = (css) => {
        x.clearRect(0, 0, 1, 1);
        x.fillStyle = css;
        x.fillRect(0, 0, 1, 1);
        return [...x.getImageData(0, 0, 1, 1).data.subarray(0, 3)];
      };
      const probe = document.createElement("span");
      document.body.append(probe);
      const ink = (v) => ((probe.style.color = `var(${v})`), rgb(getComputedStyle(probe).color));
      const colours = { fg: ink("--fg"), run: ink("--run"), wait: ink("--wait") };
      probe.remove();
      x.drawImage(bmp, 0, 0);
      const band = bmp.height - chart.height;
      const found = { fg: 0, run: 0, wait: 0 };
      if (band > 0) {
        const d = x.getImageData(0, 0, bmp.width, band).data;
        for (let i = 0; i < d.length; i += 4) {
          for (const [k, [r, g, b]] of Object.entries(colours)) if (Math.abs(d[i] - r) + Math.abs(d[i + 1] - g) + Math.abs(d[i + 2] - b) < 12) found[k]++;
        }
      }
      return { band, found };
    }, png.data.toString("base64"));
    assert.ok(look.band >= 30, `the PNG has a band above the chart for its title and legend (${look.band} px)`);
    assert.ok(look.found.fg > 50, `the band holds text in the page's ink (${look.found.fg} px)`);
    assert.ok(look.found.run > 20 && look.found.wait > 20, `the band holds a swatch of computing and of waiting (${JSON.stringify(look.found)})`);
  });

  test("a share link with results reopens the same state, and the results, in a fresh profile", async () => {
    await page.getByTestId("variant-gil").uncheck(); // the reader compares without the GIL variant
    await page.getByTestId("share").click();
    const plain = await page.locator("#share-text").inputValue();
    assert.equal(new URL(plain).searchParams.get("results"), null, "results only on request");
    await page.getByTestId("share-results").check();
    await page.waitForFunction(() => document.getElementById("share-text").value.includes("results="));
    const link = await page.locator("#share-text").inputValue();
    const u = new URL(link);
    assert.equal(u.searchParams.get("preset"), "io_asyncio");
    assert.equal(u.searchParams.get("variants"), "sequential,eventloop,pool,process");
    assert.ok(link.length < 3000, `the link stays short: ${link.length} characters`);

    const fresh = await launch();
    try {
      await fresh.page.goto(link);
      const p = fresh.page;
      await p.getByTestId("history-row").nth(1).waitFor({ timeout: 5000 });
      assert.equal(await p.getByTestId("preset").inputValue(), "io_asyncio");
      for (const [id, v] of [["tasks", "30"], ["delay", "10"], ["size", "700"]]) assert.equal(await p.getByTestId(id).inputValue(), v, id);
      assert.equal(await p.getByTestId("variant-gil").isChecked(), false, "the variants the reader chose");
      assert.equal(await p.getByTestId("variant-process").isChecked(), true);
      const shared = await p.getByTestId("history-row").evaluateAll((trs) => trs.map((tr) => ({ ...tr.dataset, shared: tr.classList.contains("shared") })));
      assert.deepEqual(shared.map((r) => [r.variant, r.where, r.durationMs, r.shared]), [
        ["eventloop", "browser", io.durationMs, true],
        ["sequential", "browser", cpu.durationMs, true],
      ]);
      assert.match(await p.locator("#run-note").textContent(), /2 runs measured on browser · Chrome/);
      assert.equal(await p.locator(".dbar.past").count(), 2, "the shared runs are in the duration chart");
      // the link's sequential run is the link's baseline, never this visit's: a reader's run of
      // the same work on the same machine is not compared with a figure someone else sent
      await setUp(p, "cpu_non_concurrent", { variant: "eventloop", tasks: 3, n: 50_000 });
      await runAndWait(p, "run-browser", { variant: "eventloop", where: "browser" });
      const cells = await p.locator("#duration-table tbody tr").evaluateAll((trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent)));
      // columns: work, variant, workers, where, duration, repeats, speedup
      const theirs = cells.find((c) => c[3].includes("(shared)") && /sequential/i.test(c[1]));
      const mine = cells.find((c) => !c[3].includes("(shared)") && c[0] === theirs?.[0]);
      assert.ok(mine && theirs, `this visit's and the link's run of the same work: ${JSON.stringify(cells)}`);
      assert.equal(mine[6], "no sequential run yet", "this visit's bar has no baseline of its own");
      assert.equal(theirs[6], "baseline of the link's runs");
      assert.match(await p.locator(".dgroup .hint").first().textContent(), /compared with the sequential run of their own visit or link/);
      assert.doesNotMatch(await p.locator(".dbar:not(.past)").first().textContent(), /×/, "no speedup on this visit's bar");
      assert.deepEqual(fresh.errors, []);
      // a damaged snapshot is said so, and the state still opens
      const broken = new URL(link);
      broken.searchParams.set("results", broken.searchParams.get("results").slice(0, -12) + "AAAAAAAAAAAA");
      await p.goto(broken.toString());
      await p.locator("#run-note").filter({ hasText: "were not shown" }).waitFor({ timeout: 5000 });
      assert.equal(await p.getByTestId("tasks").inputValue(), "30");
      assert.equal(await p.locator("[data-testid=history-row].shared").count(), 0, "nothing of the damaged link is shown");
      assert.equal(await p.getByTestId("history-row").count(), 1, "the reader's own run stays");
    } finally {
      await fresh.close();
    }
  });

  test("the history survives a reload, says what changed between two runs, and forgets on request", async () => {
    await page.reload();
    const rows = page.getByTestId("history-row");
    await rows.nth(1).waitFor();
    assert.equal(await rows.count(), 2);
    assert.deepEqual(await rows.evaluateAll((trs) => trs.map((tr) => tr.dataset.variant)), ["eventloop", "sequential"]);
    assert.equal(await page.getByTestId("result-row").count(), 0, "a new visit has no runs of its own yet");
    assert.equal(await page.locator(".dbar.past").count(), 2, "the earlier runs are overlaid in the duration chart");

    // two runs of the same work: what changed is the variant
    await setUp(page, "io_non_concurrent", { tasks: 30, delay: 10, size: 700 });
    await runAndWait(page, "run-browser", { variant: "sequential", where: "browser" });
    assert.equal(await rows.count(), 3);
    await rows.nth(0).locator("input[type=checkbox]").check();
    await rows.nth(1).locator("input[type=checkbox]").check();
    const compare = page.locator("#compare");
    await compare.waitFor();
    assert.match(await compare.locator(".compare-summary").textContent(), /^Changed: variant \(sequential → event loop\)/);
    assert.match(await compare.textContent(), /on the same work/);
    assert.deepEqual(await compare.locator("tr.changed th").allTextContents(), ["variant", "workers", "duration"], "the same work on the same machine, with the same checksum");
    await screenshot(page, "history-compare.png");

    await rows.nth(2).getByTestId("history-remove").click();
    assert.equal(await rows.count(), 2);
    await page.reload();
    await rows.nth(1).waitFor();
    assert.equal(await rows.count(), 2, "a removed run stays removed");
    page.once("dialog", (d) => d.accept());
    await page.getByTestId("history-clear").click();
    assert.equal(await rows.count(), 0);
    await page.reload();
    await page.locator("#history-empty").waitFor();
    assert.equal(await rows.count(), 0, "and so does a cleared history");

    // a full storage quota: the run is still listed for this visit, and the page says it is not kept
    await page.evaluate(() => {
      // pieces of halving size until not even one character fits
      for (let n = 256 * 1024, k = 0; n >= 1; ) {
        try {
          localStorage.setItem(`filler-${k++}`, "x".repeat(n));
        } catch {
          n = Math.floor(n / 2);
        }
      }
    });
    await runAndWait(page, "run-browser", { variant: "sequential", where: "browser" });
    assert.equal(await rows.count(), 1);
    assert.match(await page.locator("#history-note").textContent(), /storage is full/);
    await page.reload();
    await page.locator("#history-empty").waitFor();
    assert.equal(await rows.count(), 0, "as the note said, the run was not kept");
    await page.evaluate(() => localStorage.clear());
    assert.deepEqual(browser.errors, []);
  });
});
