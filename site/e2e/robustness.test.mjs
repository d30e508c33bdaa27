// What the page must survive: a damaged or old-format entry in the history this browser kept
// (at load, and arriving from another tab), an engine whose first download failed, a share
// link written to break the page rather than by it, and a backend that speaks another protocol,
// says nothing about itself, or goes away with runs queued (played by Playwright's WebSocket
// route standing in for the backend).

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import zlib from "node:zlib";
import { launch, runAndWait, setUp, startNative, waitConnected, waitForRows, runEveryVariant } from "./harness.mjs";

const historyKey = "playground.history.v1";

const machine = { where: "native", os: "linux", arch: "amd64", cores: 2, gomaxprocs: 2, go_version: "go1.26.8" };
const spec = { experiment: "cpu", variant: "pool", workers: 2, tasks: 4, n: 1000 };
/** A run as this version of the page keeps it. */
const good = {
  key: "old:1",
  at: Date.UTC(2026, 0, 2),
  result: { experiment: "cpu", variant: "pool", where: "native", workers: 2, tasks: 4, duration_ns: 2_500_000, results: [], checksum: "0123456789abcdef", spec, machine, spans: 8 },
};
/** The review's reproduction: an old format with no spec and no machine. */
const oldFormat = { key: "old:2", at: Date.UTC(2026, 0, 2), result: { duration_ns: 1_000_000, variant: "pool", where: "native" } };

/** A `results` parameter as snapshot.ts writes it: deflate-raw JSON in base64url. */
function snapshotParam(snap) {
  return zlib.deflateRawSync(Buffer.from(JSON.stringify(snap))).toString("base64url");
}

const snapRun = (m) => ({ t: 1_767_225_600, w: "native", m, k: 2, d: 2_000_000, c: "0123456789abcdef", s: spec });

describe("the page survives bad input", () => {
  let server;
  before(async () => {
    server = await startNative();
  });
  after(async () => {
    await server?.stop();
  });

  test("a damaged history entry is dropped and said, at load and from another tab, and the page starts", async () => {
    const b = await launch();
    try {
      await b.page.addInitScript(
        ([key, value]) => {
          if (!sessionStorage.getItem("seeded")) localStorage.setItem(key, value), sessionStorage.setItem("seeded", "1");
        },
        [historyKey, JSON.stringify({ runs: [good, oldFormat, null, { key: 7 }] })],
      );
      await b.page.goto(`${server.origin}/`);
      await b.page.waitForFunction(() => document.documentElement.dataset.ready !== undefined, null, { timeout: 10_000 });
      const rows = b.page.locator("[data-testid=history-row]");
      assert.equal(await rows.count(), 1, "the one valid run is kept");
      assert.equal(await rows.first().getAttribute("data-key"), "old:1");
      assert.match(await b.page.locator("#history-note").textContent(), /3 stored runs were damaged or written by an older version of the page/);

      // the page still works: a run finishes and joins the history
      await setUp(b.page, "cpu_non_concurrent", { tasks: 2, n: 1000 });
      await runAndWait(b.page, "run-browser", { variant: "sequential", where: "browser" });
      await b.page.waitForFunction(() => document.querySelectorAll("[data-testid=history-row]").length === 2);

      // another tab writes a damaged list: this one drops it too, and keeps working
      const other = await b.ctx.newPage();
      await other.goto(`${server.origin}/`);
      await other.evaluate(([key, value]) => localStorage.setItem(key, value), [historyKey, JSON.stringify({ runs: [good, oldFormat] })]);
      await b.page.locator("#history-note").filter({ hasText: "1 stored run was damaged" }).waitFor({ timeout: 5000 });
      assert.equal(await rows.count(), 1);
      await other.close();
      assert.deepEqual(b.errors.filter((e) => e.startsWith("page error")), [], "no uncaught exception");
    } finally {
      await b.close();
    }
  });

  test("two tabs never run at once: the second tab's run waits for the first's (Web Locks)", async () => {
    const b = await launch();
    try {
      const first = b.page;
      const second = await b.ctx.newPage();
      for (const p of [first, second]) {
        await p.goto(`${server.origin}/`);
        await waitConnected(p);
        await setUp(p, "io_non_concurrent", { tasks: 8, delay: 150, size: 100 }); // 1.2 s in the browser
      }
      const locks = () => navigator.locks.query().then((s) => ({ held: s.held.length, pending: s.pending.length }));
      await first.getByTestId("run-browser").click();
      await first.waitForFunction(() => navigator.locks.query().then((s) => s.held.length === 1), null, { timeout: 10_000 });
      await second.getByTestId("run-browser").click();
      await second.waitForFunction(() => navigator.locks.query().then((s) => s.held.length === 1 && s.pending.length === 1), null, { timeout: 5_000 });
      assert.equal(await second.getByTestId("result-row").count(), 0, "the second tab's run waits while the first runs");
      // waitForRows reacts to the row at once (a locator's waitFor looks again only every 500 ms
      // once it has waited a while, which could take firstDone late enough to fail below)
      await waitForRows(first, "[data-testid=result-row]", 0, 30_000);
      const firstDone = Date.now();
      await waitForRows(second, "[data-testid=result-row]", 0, 30_000);
      const ms = Number(await second.getByTestId("result-row").first().getAttribute("data-duration-ms"));
      assert.ok(Date.now() - firstDone >= 1000, "the second run started when the first had finished");
      assert.ok(ms >= 1200 && ms < 3000, `the second run's duration (${ms} ms) is its own, not its wait`);
      assert.deepEqual(await second.evaluate(locks), { held: 0, pending: 0 });
    } finally {
      await b.close();
    }
  });

  test("an engine that failed to load is loaded again by the next browser run", async () => {
    const b = await launch();
    try {
      let failing = true;
      let refused = 0;
      await b.page.route(/\.wasm$/, (route) => {
        if (!failing) return route.continue();
        refused++;
        return route.fulfill({ status: 503, contentType: "text/plain", body: "try later" });
      });
      await b.page.goto(`${server.origin}/`);
      await waitConnected(b.page);
      const note = b.page.locator("#run-note");
      await note.filter({ hasText: "The browser engine did not load" }).waitFor({ timeout: 10_000 });
      assert.match(await note.textContent(), /503/, "the note says what went wrong");
      assert.ok(refused >= 1);
      failing = false;
      await setUp(b.page, "cpu_non_concurrent", { tasks: 2, n: 1000 });
      const row = await runAndWait(b.page, "run-browser", { variant: "sequential", where: "browser" });
      assert.match(row.checksum, /^[0-9a-f]{16}$/);
      assert.deepEqual(b.errors.filter((e) => e.startsWith("page error")), [], "no uncaught exception");
    } finally {
      await b.close();
    }
  });

  test("a share link whose runs point at no machine is refused with a message; valid runs beside them still show", async () => {
    const b = await launch();
    try {
      const hostile = snapshotParam({ v: 1, m: [machine], r: [snapRun("__proto__"), snapRun("length"), snapRun("constructor"), snapRun(1), snapRun(-1), snapRun(0.5)] });
      await b.page.goto(`${server.origin}/?results=${hostile}`);
      const note = b.page.locator("#run-note");
      await note.filter({ hasText: "The link's results were not shown" }).waitFor({ timeout: 10_000 });
      assert.match(await note.textContent(), /none of its 6 runs are valid/);
      assert.equal(await b.page.locator("[data-testid=history-row].shared").count(), 0, "nothing from the link joins the history");

      const mixed = snapshotParam({ v: 1, m: [machine], r: [snapRun("__proto__"), snapRun(0)] });
      await b.page.goto(`${server.origin}/?results=${mixed}`);
      await note.filter({ hasText: "This link holds 1 run measured on" }).waitFor({ timeout: 10_000 });
      assert.doesNotMatch(await note.textContent(), /measured on :/, "the machine is named");
      assert.equal(await b.page.locator("[data-testid=history-row].shared").count(), 1);

      const empty = snapshotParam({ v: 1, m: [], r: [] });
      await b.page.goto(`${server.origin}/?results=${empty}`);
      await note.filter({ hasText: "The link's results were not shown: the results in this link hold no runs" }).waitFor({ timeout: 10_000 });
      assert.deepEqual(b.errors.filter((e) => e.startsWith("page error")), [], "no uncaught exception");
    } finally {
      await b.close();
    }
  });

  test("a backend's hello is checked: another protocol or no machine is refused with the reason", async () => {
    const info = await (await fetch(`${server.origin}/api/info`)).json();
    for (const [hello, said] of [
      [{ type: "hello", protocol: 2, info }, "it speaks protocol 2 and this page speaks 1"],
      [{ type: "hello", protocol: 1 }, "it sent no description of its machine"],
      [{ type: "hello", protocol: 1, info: { ...info, limits: undefined } }, "its limits are missing"],
    ]) {
      const b = await launch();
      try {
        await b.page.routeWebSocket(/\/ws$/, (ws) => ws.send(JSON.stringify(hello)));
        await b.page.goto(`${server.origin}/`);
        const status = b.page.getByTestId("backend-status");
        await status.filter({ hasText: said }).waitFor({ timeout: 10_000 });
        assert.equal(await b.page.getByTestId("run-native").isDisabled(), true, "nothing runs on a backend the page cannot trust");
        assert.deepEqual(b.errors.filter((e) => e.startsWith("page error")), [], "no uncaught exception");
      } finally {
        await b.close();
      }
    }
  });

  test("a backend that goes away cancels the queued runs at once, and is reconnected on its own", async () => {
    const info = await (await fetch(`${server.origin}/api/info`)).json();
    info.variants = ["sequential", "pool", "gil"];
    const b = await launch();
    try {
      const sockets = [];
      const runs = [];
      await b.page.routeWebSocket(/\/ws$/, (ws) => {
        sockets.push(ws);
        ws.onMessage((m) => runs.push(JSON.parse(String(m)))); // runs are never answered: the backend is about to go
        ws.send(JSON.stringify({ type: "hello", protocol: 1, info }));
      });
      await b.page.goto(`${server.origin}/?preset=cpu_threading&tasks=2&n=1000&variants=sequential,pool,gil`);
      const status = b.page.getByTestId("backend-status");
      await status.filter({ hasText: "connected" }).waitFor({ timeout: 10_000 });
      await runEveryVariant(b.page);
      await b.page.waitForFunction(() => !document.getElementById("cancel")?.hidden);
      // the browser's sequential run goes first; wait for the backend's first run to arrive
      for (let i = 0; runs.length === 0 && i < 200; i++) await new Promise((r) => setTimeout(r, 50));
      assert.equal(runs.length, 1, "one run at a time");
      await sockets[0].close();
      const note = b.page.locator("#run-note");
      await note.filter({ hasText: "failed: the backend disconnected during the run (its connection closed). The 2 queued backend runs were canceled with it." }).waitFor({ timeout: 5000 });
      await b.page.waitForFunction(() => document.getElementById("cancel")?.hidden === true, null, { timeout: 5000 });
      assert.equal(runs.length, 1, "the queued runs were not sent anywhere");
      // read once, the status is at one of its steps back: waiting to retry, looking, or connected
      assert.match(await status.textContent(), /trying again in 1 s|Looking for the native backend|connected/);
      await status.filter({ hasText: "Native backend connected" }).waitFor({ timeout: 5000 });
      assert.equal(sockets.length, 2, "reconnected once, on its own");
      assert.deepEqual(b.errors.filter((e) => e.startsWith("page error")), [], "no uncaught exception");
    } finally {
      await b.close();
    }
  });

  test("one per core is the backend's once it answers, and a process pool over its limit is said, not clamped silently", async () => {
    const info = await (await fetch(`${server.origin}/api/info`)).json();
    info.cores = 7;
    info.variants = ["sequential", "pool", "process"];
    info.limits = { ...info.limits, process_workers: 3 };
    const b = await launch();
    try {
      const runs = [];
      let answer = true;
      await b.page.routeWebSocket(/\/ws$/, (ws) => {
        ws.onMessage((m) => {
          const msg = JSON.parse(String(m));
          runs.push(msg);
          if (msg.type === "run" && answer) {
            const j = msg.job;
            const spec = { experiment: j.experiment, variant: j.variant, workers: j.workers, tasks: j.tasks, n: j.n };
            const machine = { where: "native", os: info.os, arch: info.arch, cores: info.cores, gomaxprocs: info.gomaxprocs, go_version: info.go_version };
            ws.send(JSON.stringify({ type: "result", id: msg.id, result: { ...spec, where: "native", duration_ns: 1e6, results: [], checksum: "0123456789abcdef", spec, machine, spans: 0 } }));
          }
          // as native serve words it
          if (msg.type === "cancel") ws.send(JSON.stringify({ type: "error", id: msg.id, code: "canceled", message: `run ${msg.id} stopped: cancelled by the client` }));
        });
        ws.send(JSON.stringify({ type: "hello", protocol: 1, info }));
      });
      await b.page.goto(`${server.origin}/?preset=cpu_mp&tasks=8&n=1000&variants=pool,process`);
      await waitConnected(b.page);
      // one process per backend core (7), as far as its process limit (3) goes
      await b.page.waitForFunction(() => document.querySelector("[data-testid=workers]").value === "3", null, { timeout: 30_000 });
      assert.equal(await b.page.getByTestId("run-native").isEnabled(), true);
      // five threads are allowed; the process pool that runs beside them on "run every variant" is bounded at 3
      await setUp(b.page, "cpu_mp", { variant: "pool", workers: 5, tasks: 8, n: 1000 });
      await runEveryVariant(b.page);
      // the browser's own process pool runs first (Web Workers loading the engine): slow on a busy machine
      await b.page.locator("#run-note").filter({ hasText: "The backend runs at most 3 processes, so the pool ran 3, not the 5 asked for." }).waitFor({ timeout: 30_000 });
      assert.deepEqual(runs.filter((m) => m.type === "run").map((m) => [m.job.variant, m.job.workers]), [["pool", 5], ["process", 3]], "the job asks for what the backend allows");

      // a cancel is said once, not "canceled (run r4 stopped: cancelled by the client)"; run 1
      // was the browser's own process pool, which "run every variant" runs beside the backend's
      await b.page.waitForFunction(() => document.getElementById("cancel").hidden, null, { timeout: 30_000 });
      answer = false;
      await b.page.getByTestId("run-native").click();
      await b.page.waitForFunction(() => !document.getElementById("cancel").hidden);
      await b.page.getByTestId("cancel").click();
      await b.page.locator("#run-note").filter({ hasText: "Run 4 was canceled while it ran." }).waitFor({ timeout: 5000 });
      assert.match(await b.page.locator("#timeline-title").textContent(), /^Run 4: .*: canceled while it ran; no task finished, so there is nothing to draw$/);
      assert.deepEqual(b.errors.filter((e) => e.startsWith("page error")), [], "no uncaught exception");
    } finally {
      await b.close();
    }
  });

  test("only the newest runs keep their spans; an older run's timeline says its spans were released", async () => {
    const b = await launch();
    try {
      await b.page.goto(`${server.origin}/?preset=cpu_non_concurrent&tasks=1&n=10&repeat=1`);
      await b.page.waitForFunction(() => document.documentElement.dataset.engineReady !== undefined, null, { timeout: 10_000 });
      for (let i = 0; i < 21; i++) await runAndWait(b.page, "run-browser", { variant: "sequential", where: "browser" });
      // the progressbar's value is set as well as drawn
      await b.page.waitForFunction(() => document.getElementById("progress").getAttribute("aria-valuetext") === "1 of 1 tasks", null, { timeout: 5000 });
      assert.equal(await b.page.locator("#progress").getAttribute("aria-valuenow"), "100");
      const first = b.page.locator("[data-testid=result-row][data-run='1']");
      await first.getByRole("button", { name: "Show the timeline of run 1" }).click();
      assert.match(await b.page.locator("#timeline-title").textContent(), /its 1 span was released to save memory \(only the newest 20 runs keep their timelines\)/);
      await b.page.locator("[data-testid=result-row][data-run='2']").getByRole("button").click();
      assert.match(await b.page.locator("#timeline-title").textContent(), /, 1 spans$/, "the 20 newest keep theirs");
    } finally {
      await b.close();
    }
  });
});
