// Measures, in Chromium against a real `native serve` on loopback (make bench-e2e):
//  - time to interactive: navigation start to the end of the page's wiring (the <html>
//    element's data-ready, set by playground.ts), and to the browser engine being ready
//    (data-engine-ready), over a few loads;
//  - the timeline's live update with 20,000 spans: a native run of 20,000 tasks streams its spans
//    in batches; the timeline times every redraw with performance.now() around uPlot's
//    setData/redraw (its data-update-ms) and the harness collects each one with the span count
//    it drew.
// Not a test: timings depend on the machine and its load. It prints the figures.

import { launch, startNative, waitForRows } from "../e2e/harness.mjs";

const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

const server = await startNative();
const b = await launch();
try {
  const loads = [];
  for (let i = 0; i < 5; i++) {
    const page = await b.ctx.newPage();
    await page.goto(`${server.origin}/`);
    await page.waitForFunction(() => document.documentElement.dataset.engineReady);
    loads.push(await page.evaluate(() => [Number(document.documentElement.dataset.ready), Number(document.documentElement.dataset.engineReady)]));
    await page.close();
  }
  const ready = loads.map(([r]) => r);
  const engine = loads.map(([, e]) => e);
  console.log(`interactive after navigation: ${ready.map((x) => `${x} ms`).join(", ")} (median ${pct(ready, 50)} ms)`);
  console.log(`browser engine loaded (wasm compiled, worker started): ${engine.map((x) => `${x} ms`).join(", ")} (median ${pct(engine, 50)} ms)`);

  const page = b.page;
  await page.goto(`${server.origin}/`);
  await page.getByTestId("backend-status").filter({ hasText: "connected" }).waitFor();
  for (const workers of [4, 32]) {
    await page.getByTestId("preset").selectOption("cpu_threading");
    await page.getByTestId("tasks").fill("20000");
    await page.getByTestId("n").fill("60000");
    await page.getByTestId("workers").fill(String(workers));
    await page.evaluate(() => {
      const el = document.querySelector("[data-testid=timeline]");
      window.__updates = [];
      window.__observer?.disconnect();
      window.__observer = new MutationObserver(() => window.__updates.push([Number(el.dataset.spans), Number(el.dataset.updateMs), Number(el.dataset.drawMs)]));
      window.__observer.observe(el, { attributes: true, attributeFilter: ["data-update-ms"] });
    });
    const rows = await page.getByTestId("result-row").count();
    await page.getByTestId("run-native").click();
    await waitForRows(page, "[data-testid=result-row]", rows, 120_000);
    const updates = await page.evaluate(() => window.__updates);
    const big = updates.filter(([n]) => n >= 15_000).map(([, ms]) => ms);
    const all = updates.map(([, ms]) => ms);
    const last = updates[updates.length - 1];
    console.log(
      `${workers} lanes: ${updates.length} live updates, ${last?.[0]} spans at the end; with ≥ 15,000 spans drawn: ${big.length} updates, ` +
        `median ${pct(big, 50)?.toFixed(2)} ms, max ${Math.max(...big).toFixed(2)} ms; every update: median ${pct(all, 50)?.toFixed(2)} ms, ` +
        `max ${Math.max(...all).toFixed(2)} ms; the final ${last?.[0]}-span update ${last?.[1].toFixed(2)} ms (its draw hook ${last?.[2].toFixed(2)} ms)`,
    );
  }
} finally {
  await b.close();
  await server.stop();
}
