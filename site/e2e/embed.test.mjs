// /embed inside another site: a tutorial page on a second loopback origin uses the embed kit
// (a div and /embed.js from the playground's origin). The frame loads, a reader's click runs
// a browser variant, the host page receives the postMessage events and can drive the frame,
// and the frame's height follows its content.

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { cpuChecksum, launch, screenshot, startHost, startNative, waitConnected } from "./harness.mjs";

const ns = "concurrency-playground:";

function tutorial(origin) {
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>A tutorial</title><link rel="icon" href="data:,"></head>
<body style="margin:0 auto;max-width:760px;font-family:sans-serif;padding:16px">
<h1>Threads, processes and the GIL</h1>
<p>Press the button below and see the sums run one after another.</p>
<div id="kit" data-concurrency-playground="cpu_non_concurrent" data-tasks="3" data-n="100000" data-variants="sequential,eventloop,process"></div>
<iframe id="sibling" srcdoc="<p>another frame of this page</p>" hidden></iframe>
<p>After the experiment.</p>
<script>
  // What a tutorial's own script sees: every message from the playground's frame, in order,
  // and the kit's DOM events on the div.
  window.messages = [];
  window.domEvents = [];
  addEventListener("message", (e) => {
    const frame = document.querySelector("#kit iframe");
    if (e.origin === ${JSON.stringify(origin)} && frame && e.source === frame.contentWindow) window.messages.push(e.data);
  });
  document.getElementById("kit").addEventListener("${ns}result", (e) => window.domEvents.push(e.detail));
</script>
<script src="${origin}/embed.js" async></script>
</body></html>`;
}

// A host page that frames ?src= (with ?sandbox=, when given) and records the frame's messages.
const labPage = `<!doctype html><html><head><meta charset="utf-8"><title>lab</title><link rel="icon" href="data:,"></head><body>
<script>
  window.messages = [];
  addEventListener("message", (e) => {
    const f = document.querySelector("iframe");
    if (f && e.source === f.contentWindow) window.messages.push(e.data);
  });
  const q = new URLSearchParams(location.search);
  const f = document.createElement("iframe");
  if (q.has("sandbox")) f.setAttribute("sandbox", q.get("sandbox"));
  f.style.cssText = "width:760px;height:1400px;border:0";
  f.src = q.get("src");
  document.body.append(f);
</script></body></html>`;

describe("the embed on another site's page", () => {
  let server;
  let host;
  let lab;
  let browser;
  let page;

  before(async () => {
    server = await startNative();
    host = await startHost(tutorial(server.origin));
    lab = await startHost(labPage);
    browser = await launch({ viewport: { width: 820, height: 900 } });
    page = browser.page;
  });

  after(async () => {
    await browser?.close();
    await host?.stop();
    await lab?.stop();
    await server?.stop();
  });

  const messages = (type) => page.evaluate((t) => window.messages.filter((m) => m.type === t), ns + type);
  const waitMessage = (type, n = 1) =>
    page.waitForFunction(([t, n]) => window.messages.filter((m) => m.type === t).length >= n, [ns + type, n], { timeout: 30_000 });

  test("loads, runs on the reader's click, tells the host page, and sizes its frame to its content", async () => {
    await page.goto(`${host.origin}/`);
    const iframe = page.locator("#kit iframe");
    assert.equal(new URL(await iframe.getAttribute("src")).origin, server.origin, "the kit frames the playground's own origin");
    const frame = page.frameLocator("#kit iframe");
    await waitConnected(frame);
    await waitMessage("ready");
    const [ready] = await messages("ready");
    assert.equal(ready.state.preset, "cpu_non_concurrent");
    assert.equal(ready.state.tasks, "3");
    assert.equal(ready.state.variants, "sequential,eventloop,process");
    // the same hooks as the page; the variant list offers only the embed's variants
    for (const id of ["preset", "workers", "run-browser", "run-native", "run-all", "backend-status", "timeline", "share", "embed"]) {
      assert.equal(await frame.getByTestId(id).count(), 1, `one data-testid=${id} inside /embed`);
    }
    assert.deepEqual(await frame.getByTestId("variant").locator("option").evaluateAll((os) => os.map((o) => o.value)), ["sequential", "eventloop", "process"]);
    const open = new URL(await frame.locator("#open-full").getAttribute("href"));
    assert.equal(`${open.origin}${open.pathname}`, `${server.origin}/`);
    assert.equal(open.searchParams.get("tasks"), "3", "“Open in the playground” carries the state");

    // the kit applied the card's height: the frame shows all of it, no scrollbar
    const sizes = async () => ({
      frame: (await iframe.boundingBox()).height,
      content: await frame.locator("body").evaluate((b) => b.getBoundingClientRect().height),
    });
    const before = await sizes();
    assert.ok(Math.abs(before.frame - before.content) <= 2, `the frame is ${before.frame}px for ${before.content}px of content`);

    assert.equal(await frame.getByTestId("result-row").count(), 0, "nothing runs until the reader asks (no autorun)");
    await frame.getByTestId("run-browser").click();
    await frame.getByTestId("result-row").waitFor({ timeout: 30_000 });
    await waitMessage("result");
    const [started] = await messages("run-started");
    assert.equal(started.run.where, "browser");
    assert.equal(started.run.variant, "sequential");
    const [result] = await messages("result");
    assert.equal(result.result.checksum, cpuChecksum(3, 100_000), "the host page gets the run's result object");
    assert.equal(result.result.where, "browser");
    assert.ok(result.result.machine.cores >= 1, "the result says what it ran on");
    assert.equal(result.result.machine.agent, undefined, "but not the reader's user agent: any origin may read the events");
    const rowChecksum = await frame.getByTestId("result-row").first().getAttribute("data-checksum");
    assert.equal(rowChecksum, result.result.checksum);
    assert.equal((await page.evaluate(() => window.domEvents)).length, 1, "the kit passes the result on as a DOM event on its div");

    // a results table appeared: the frame grew with it
    await page.waitForFunction(
      (h) => document.querySelector("#kit iframe").getBoundingClientRect().height > h + 20,
      before.frame,
      { timeout: 5000 },
    );
    const grown = await sizes();
    assert.ok(Math.abs(grown.frame - grown.content) <= 2, `after the run the frame is ${grown.frame}px for ${grown.content}px of content`);
    assert.ok((await messages("resize")).length >= 1, "the card posted its new height");
    await screenshot(page, "embed-on-a-tutorial.png");
    assert.deepEqual(browser.errors, []);
  });

  test("the host page sets parameters and runs the experiment; bad commands are named, a stranger's ignored", async () => {
    const frameEl = await page.locator("#kit iframe").elementHandle();
    const send = (msg) => frameEl.evaluate((f, [m, o]) => f.contentWindow.postMessage(m, o), [msg, server.origin]);
    const frame = page.frameLocator("#kit iframe");

    await send({ type: `${ns}set`, params: { tasks: 0 } });
    await waitMessage("error");
    const [bad] = await messages("error");
    assert.equal(bad.command, "set");
    assert.match(bad.message, /tasks: 0 is out of range 1\.\.100000/);

    const states = (await messages("state")).length;
    await send({ type: `${ns}set`, params: { tasks: 2, n: 50000 } });
    await waitMessage("state", states + 1);
    assert.equal(await frame.getByTestId("tasks").inputValue(), "2");
    assert.equal(await frame.getByTestId("n").inputValue(), "50000");
    // another frame of the host page (not the embed's parent) cannot drive it: its set, posted
    // before the host's run, would change what runs if it were believed
    await page.locator("#sibling").evaluate((f, origin) => {
      f.contentWindow.eval(`parent.document.querySelector("#kit iframe").contentWindow.postMessage({ type: "concurrency-playground:set", params: { tasks: 9 } }, "${origin}")`);
    }, server.origin);
    const results = (await messages("result")).length;
    await send({ type: `${ns}run` });
    await waitMessage("result", results + 1);
    const last = (await messages("result")).at(-1);
    assert.equal(last.result.checksum, cpuChecksum(2, 50_000), "the run used the parameters the host set");

    // the kit's custom element, added after the kit loaded, becomes a frame too
    const src = await page.evaluate(() => {
      const el = document.createElement("concurrency-playground");
      el.setAttribute("preset", "io_asyncio");
      el.setAttribute("tasks", "12");
      el.setAttribute("theme", "dark");
      document.body.append(el);
      const frame = el.querySelector("iframe");
      const src = frame?.src;
      el.remove();
      return src;
    });
    assert.equal(src, `${server.origin}/embed?preset=io_asyncio&tasks=12&theme=dark`);
    assert.equal(await frame.getByTestId("tasks").inputValue(), "2", "the sibling frame's set was ignored");
  });

  test("a native run from the host page waits for the reader's click in the card", async () => {
    // a fresh tab: nobody has clicked in this frame yet. Playwright's evaluations in a frame
    // count as a user gesture there, so until the click below the test looks at the frame only
    // through the messages the host page receives.
    const p = await browser.ctx.newPage();
    const seen = () => p.evaluate(() => window.messages.map((m) => m.type.replace("concurrency-playground:", "")));
    const errors = () => p.evaluate(() => window.messages.filter((m) => m.type === "concurrency-playground:error"));
    await p.goto(`${host.origin}/`);
    await p.waitForFunction(() => window.messages.some((m) => m.type === "concurrency-playground:ready"));
    const frameEl = await p.locator("#kit iframe").elementHandle();
    const send = (msg) => frameEl.evaluate((f, [m, o]) => f.contentWindow.postMessage(m, o), [msg, server.origin]);
    const refusal = async (where) => {
      const n = (await errors()).length;
      await send({ type: `${ns}run`, where });
      await p.waitForFunction((n) => window.messages.filter((m) => m.type === "concurrency-playground:error").length > n, n);
      return (await errors()).at(-1);
    };
    // a click in the host page is not a click in the card
    await p.locator("h1").click();
    // until the backend check is over, the refusal is for want of a backend
    for (let i = 0; ; i++) {
      const e = await refusal("native");
      if (!/no native backend is connected/.test(e.message)) break;
      assert.ok(i < 100, "the embed found the backend");
      await new Promise((r) => setTimeout(r, 100));
    }
    await refusal("all");
    const [native, all] = (await errors()).slice(-2);
    assert.deepEqual([native.command, all.command], ["run", "run"]);
    assert.match(native.message, /^a native run needs the reader's click for that run/);
    assert.match(all.message, /^a run on every variant includes native runs, which need the reader's click for that run/);
    assert.ok(!(await seen()).includes("run-started"), "no run started");
    const results = (n) =>
      p
        .waitForFunction((n) => window.messages.filter((m) => m.type === "concurrency-playground:result").length >= n, n, { timeout: 30_000 })
        .then(() => p.evaluate(() => window.messages.filter((m) => m.type === "concurrency-playground:result")));
    // a browser run needs no click: it uses only the reader's tab, which the host page has anyway
    await send({ type: `${ns}run`, where: "browser" });
    assert.equal((await results(1))[0].result.where, "browser");
    assert.equal((await seen()).filter((t) => t === "run-started").length, 1, "only the browser run ran");

    // a click anywhere in the card once is no longer enough (it left the frame's
    // hasBeenActive true for good, and the host could then start run after run): a host's
    // native run needs the reader's press of the card's own button, for that run
    const card = p.frameLocator("#kit iframe");
    await card.getByTestId("backend-status").click();
    const again = await refusal("native");
    assert.match(again.message, /^a native run needs the reader's click for that run/);
    assert.ok(!(await seen()).some((t, i, all) => t === "run-started" && all.indexOf(t) !== i), "the click in the card started nothing");
    assert.match(await card.getByTestId("host-request").textContent(), /asks to run sequential on your own backend/);
    // a set from the host withdraws the request: the reader confirms what the card shows
    await send({ type: `${ns}set`, params: { tasks: 3 } });
    await card.getByTestId("host-request").waitFor({ state: "hidden" });
    await refusal("native");
    await card.getByTestId("host-request-run").click();
    const result = (await results(2))[1];
    assert.equal(result.result.where, "native");
    assert.equal(result.result.checksum, cpuChecksum(3, 100_000));
    await card.getByTestId("host-request").waitFor({ state: "hidden" });
    // the press was for that run: the next one asks again
    assert.match((await refusal("native")).message, /needs the reader's click for that run/);
    assert.equal((await seen()).filter((t) => t === "run-started").length, 2, "one browser run and the one native run the reader pressed for");
    await p.close();
  });

  test("the form names the work limit before a run: tasks × n × repeats over it keeps the run buttons off", async () => {
    const p = await browser.ctx.newPage();
    await p.goto(`${server.origin}/embed?preset=cpu_non_concurrent&tasks=200&n=100000000`);
    await waitConnected(p);
    const info = await (await fetch(`${server.origin}/api/info`)).json();
    const limit = info.limits.work.toLocaleString("en-US");
    assert.match(await p.locator("#variant-hint").textContent(), new RegExp(`tasks × n × repeats: 200 × 100,000,000 × 3 = 60,000,000,000 squares is over the limit of ${limit} per run`));
    assert.ok(await p.getByTestId("run-browser").isDisabled());
    assert.ok(await p.getByTestId("run-native").isDisabled());
    assert.equal(await p.getByTestId("n").getAttribute("aria-invalid"), "true");
    // within the limit again, the runs are back
    await p.getByTestId("tasks").fill("20");
    assert.ok(await p.getByTestId("run-browser").isEnabled());
    assert.doesNotMatch(await p.locator("#variant-hint").textContent(), /over the limit/);
    await p.close();
  });

  test("the event loop's lanes are six connections over HTTP/1.1 and a task each over HTTP/2, as the page's protocol says", async () => {
    const lanes = async (protocol) => {
      const p = await browser.ctx.newPage();
      // the local backend speaks HTTP/1.1; an HTTP/2 page is stood in for by its navigation entry
      if (protocol) {
        await p.addInitScript((proto) => {
          const real = performance.getEntriesByType.bind(performance);
          performance.getEntriesByType = (type) =>
            type === "navigation" ? real(type).map((e) => Object.create(e, { nextHopProtocol: { value: proto } })) : real(type);
        }, protocol);
      }
      await p.goto(`${server.origin}/embed?preset=io_asyncio&tasks=12&delay=5&size=100&variants=eventloop`);
      const hint = await p.locator("#workers-hint").textContent();
      await p.getByTestId("run-browser").click();
      await p.getByTestId("result-row").waitFor({ timeout: 30_000 });
      const row = await p.getByTestId("result-row").evaluate((tr) => ({ ...tr.dataset }));
      const label = await p.getByTestId("timeline").getAttribute("aria-label");
      // a screen reader hears the finished run's title from the polite live region (within 5 s)
      await p.waitForFunction(
        () => document.querySelector("[data-testid=timeline-announce]")?.textContent === document.getElementById("timeline-title").textContent,
        null,
        { timeout: 8000 },
      );
      assert.equal(await p.getByTestId("timeline-announce").getAttribute("aria-live"), "polite");
      assert.equal(await p.locator("#progress").getAttribute("role"), "progressbar");
      await p.close();
      return { hint, row, label };
    };
    const h1 = await lanes(null);
    assert.equal(h1.row.where, "browser");
    assert.match(h1.label, / on 6 connection lanes /);
    assert.match(h1.hint, /in this browser 6 connections carry them/);
    const h2 = await lanes("h2");
    assert.match(h2.label, / on 12 task lanes /, "over HTTP/2 the engine runs every download at once, a task per lane");
    assert.doesNotMatch(h2.hint, /connections/);
  });

  test("autorun=1 runs the offered browser variants once, without a click, and nothing on the backend", async () => {
    const p = await browser.ctx.newPage();
    await p.goto(`${server.origin}/embed?preset=cpu_non_concurrent&tasks=2&n=1000&variants=sequential&autorun=1`);
    await waitConnected(p);
    await p.waitForFunction(() => document.querySelectorAll("[data-testid=result-row]").length >= 1, null, { timeout: 30_000 });
    await p.waitForFunction(() => document.getElementById("cancel")?.hidden === true, null, { timeout: 30_000 });
    const rows = await p.getByTestId("result-row").evaluateAll((trs) => trs.map((tr) => `${tr.dataset.where}/${tr.dataset.variant}/${tr.dataset.checksum}`));
    // the backend is connected, yet only the browser ran: the URL is the host's, the backend the reader's
    assert.deepEqual(rows, [`browser/sequential/${cpuChecksum(2, 1000)}`]);
    await p.close();
  });

  test("/embed with a refused value posts its state and throws nothing; guess= is the page's own", async () => {
    const p = await browser.ctx.newPage();
    const errors = [];
    p.on("pageerror", (e) => errors.push(e.message));
    for (const q of ["tasks=0", "n=0", "repeat=11", "delay=abc"]) {
      await p.goto(`${server.origin}/embed?preset=cpu_non_concurrent&${q}`);
      await waitConnected(p);
      assert.deepEqual(errors, [], `/embed?${q}: no error`);
    }
    // framed, the card's first state (its refused field) reaches the host before ready
    await p.goto(`${lab.origin}/?src=${encodeURIComponent(`${server.origin}/embed?preset=cpu_non_concurrent&tasks=0`)}`);
    await p.waitForFunction(() => window.messages.some((m) => m.type === "concurrency-playground:ready"));
    assert.equal(await p.evaluate(() => window.messages[0].type), `${ns}state`);
    // a host page writes the embed's address: its guess= must not pass the predict=1 gate
    await p.goto(`${lab.origin}/?src=${encodeURIComponent(`${server.origin}/embed?preset=cpu_non_concurrent&tasks=2&n=1000&variants=sequential,eventloop&predict=1&guess=eventloop,sequential`)}`);
    await p.waitForFunction(() => window.messages.some((m) => m.type === "concurrency-playground:ready"));
    const n = await p.evaluate(() => window.messages.length);
    const card = p.frameLocator("iframe");
    await card.getByTestId("run-all").click();
    assert.match(await card.locator("[data-status]").textContent(), /Make your guess first/);
    assert.equal(await card.getByTestId("result-row").count(), 0, "Run all ran nothing: the address's guess was not taken");
    assert.ok(!(await p.evaluate((n) => window.messages.slice(n).some((m) => m.type === "concurrency-playground:run-started" && m.run.variant === "eventloop"), n)));
    await p.close();
  });

  test("a card framed with sandbox=\"allow-scripts\" (origin null) runs", async () => {
    const p = await browser.ctx.newPage();
    const src = `${server.origin}/embed?preset=cpu_non_concurrent&tasks=2&n=1000&variants=sequential,process&workers=2`;
    await p.goto(`${lab.origin}/?sandbox=allow-scripts&src=${encodeURIComponent(src)}`);
    const card = p.frameLocator("iframe");
    await p.waitForFunction(() => window.messages.some((m) => m.type === "concurrency-playground:ready"), null, { timeout: 20_000 });
    await card.getByTestId("run-browser").click();
    await card.getByTestId("result-row").waitFor({ timeout: 30_000 });
    assert.equal(await card.getByTestId("result-row").first().getAttribute("data-checksum"), cpuChecksum(2, 1000));
    // the browser's process pool too: its workers start from the sandboxed page
    await card.getByTestId("variant").selectOption("process");
    await card.getByTestId("run-browser").click();
    await p.waitForFunction(() => window.messages.filter((m) => m.type === "concurrency-playground:result").length >= 2, null, { timeout: 30_000 });
    const results = await p.evaluate(() => window.messages.filter((m) => m.type === "concurrency-playground:result").map((m) => `${m.result.variant}/${m.result.checksum}`));
    assert.deepEqual(results, [`sequential/${cpuChecksum(2, 1000)}`, `process/${cpuChecksum(2, 1000)}`]);
    await p.close();
  });

  test("a dark embed at a phone's width", async () => {
    const phone = await browser.ctx.newPage();
    await phone.setViewportSize({ width: 390, height: 800 });
    await phone.goto(`${server.origin}/embed?preset=io_asyncio&tasks=18&delay=15&size=800&theme=dark`);
    await waitConnected(phone);
    await phone.getByTestId("run-browser").click();
    await phone.getByTestId("result-row").waitFor({ timeout: 30_000 });
    const bg = await phone.evaluate(() => getComputedStyle(document.querySelector(".card")).backgroundColor);
    const [r, g, b] = bg.match(/\d+/g).map(Number);
    assert.ok(r + g + b < 150, `theme=dark makes the card dark (${bg})`);
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `the card is ${overflow}px wider than a phone`);
    await screenshot(phone, "embed-phone-dark.png");
    await phone.close();
  });
});
