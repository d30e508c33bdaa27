// What every end-to-end test needs: the built native binary serving the built page on a free
// loopback port, Debian's Chromium driven by playwright-core in a fresh profile, a static
// server for the page on a second origin, and a place for screenshots.

import { spawn } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const dist = path.join(root, "site/dist");
export const artifacts = path.join(root, "test-artifacts");
const binary = path.join(root, "bin/native");

export const chromiumPath = process.env.CHROMIUM ?? "/usr/bin/chromium";
/** Chromium's switches for every page the tests and benches open: headless, quiet, nothing fetched from outside. */
export const chromiumArgs = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

/** A free TCP port on 127.0.0.1 (closed again: nothing listens on it when this returns). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.on("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms).unref());

/** Starts `bin/native serve` on a free port; returns its origin and a stop function. env, if
 * given, is the server's environment (e.g. a PATH without python3). */
export async function startNative(extraArgs = [], { env } = {}) {
  if (!fs.existsSync(binary)) throw new Error(`${binary} is missing: run make build first`);
  if (!fs.existsSync(path.join(dist, "index.html"))) throw new Error(`${dist}/index.html is missing: run make build first`);
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const proc = spawn(binary, ["serve", "-addr", `127.0.0.1:${port}`, ...extraArgs], { stdio: ["ignore", "ignore", "pipe"], env: env ?? process.env });
  let log = "";
  proc.stderr.on("data", (d) => (log += d));
  const exited = new Promise((r) => proc.once("exit", r));
  for (let i = 0; ; i++) {
    try {
      const res = await fetch(`${origin}/healthz`);
      if (res.ok) break;
    } catch {
      /* not listening yet */
    }
    if (proc.exitCode !== null || i > 100) {
      proc.kill("SIGKILL");
      throw new Error(`native serve did not start on ${origin}:\n${log}`);
    }
    await sleep(50);
  }
  return {
    origin,
    log: () => log,
    /** Kills the server at once (SIGKILL), as a crash would: no graceful close of its connections. */
    async kill() {
      if (proc.exitCode === null) proc.kill("SIGKILL");
      await exited;
    },
    async stop() {
      if (proc.exitCode === null) proc.kill("SIGTERM");
      const t = setTimeout(() => proc.kill("SIGKILL"), 5000);
      t.unref();
      await exited;
      clearTimeout(t);
    },
  };
}

const types = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".css": "text/css", ".wasm": "application/wasm", ".json": "application/json", ".svg": "image/svg+xml" };

/**
 * Serves site/dist on a second loopback origin, as any static host would (no /api/info, no
 * /ws), and passes /farm/ to farmOrigin: the page's browser runs fetch the farm on the page's
 * own origin, as they do from the edge. farmDelay(i), if given, holds the i-th farm request
 * (from 0) that many ms first: a machine that was busy for a moment, on demand.
 */
export async function startStatic(farmOrigin, { farmDelay } = {}) {
  let farmRequests = 0;
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url, "http://x");
    if (url.pathname.startsWith("/farm/")) {
      const hold = farmDelay?.(farmRequests++) ?? 0;
      if (hold > 0) await sleep(hold);
      const up = http.request(`${farmOrigin}${url.pathname}${url.search}`, { method: req.method }, (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      });
      up.on("error", () => res.writeHead(502).end());
      req.pipe(up);
      return;
    }
    const rel = url.pathname === "/" ? "index.html" : decodeURIComponent(url.pathname.slice(1));
    const file = path.join(dist, rel);
    if (!file.startsWith(dist + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found");
      return;
    }
    res.writeHead(200, { "content-type": types[path.extname(file)] ?? "application/octet-stream" });
    fs.createReadStream(file).pipe(res);
  });
  return listen(server);
}

/** Listens on a free loopback port; returns the origin and a stop function. */
async function listen(server) {
  server.keepAliveTimeout = 1000;
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  server.unref();
  return {
    origin: `http://127.0.0.1:${server.address().port}`,
    stop: () => new Promise((r) => server.close(r)),
  };
}

/** Chromium in a fresh profile; options: colorScheme, viewport, args (more flags). Collects console errors. */
export async function launch(opts = {}) {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "playground-e2e-"));
  const ctx = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    viewport: opts.viewport ?? { width: 1280, height: 900 },
    colorScheme: opts.colorScheme ?? "light",
    hasTouch: opts.hasTouch ?? false, // with isMobile: a phone's touch screen, which cannot hover
    isMobile: opts.isMobile ?? false,
    args: [...chromiumArgs, ...(opts.args ?? [])],
  });
  const page = ctx.pages()[0] ?? (await ctx.newPage());
  const errors = [];
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(`console: ${m.text()}`);
  });
  page.on("pageerror", (e) => errors.push(`page error: ${e.message}`));
  return {
    ctx,
    page,
    errors,
    async close() {
      await ctx.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

export async function screenshot(page, name) {
  fs.mkdirSync(artifacts, { recursive: true });
  const file = path.join(artifacts, name);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** Sets the form for a preset and parameters (by test id), as a reader would. */
export async function setUp(page, preset, params = {}) {
  await page.getByTestId("preset").selectOption(preset);
  for (const [id, value] of Object.entries(params)) {
    const el = page.getByTestId(id);
    if (id === "variant" || id === "mode") await el.selectOption(String(value));
    else await el.fill(String(value));
  }
}

/** Clicks a run button and waits for the result row it adds; returns the row's data. */
export async function runAndWait(page, button, { variant, where, timeout = 30_000 }) {
  const rows = page.locator(`[data-testid=result-row][data-variant=${variant}][data-where=${where}]`);
  const before = await rows.count();
  await page.getByTestId(button).click();
  await waitForRows(page, `[data-testid=result-row][data-variant=${variant}][data-where=${where}]`, before, timeout);
  // rows are newest first
  return rows.first().evaluate((tr) => ({ ...tr.dataset }));
}

/**
 * Waits until more than n elements match sel. It watches the page's DOM for changes instead of
 * polling each animation frame as waitForFunction does: that polling keeps Chromium drawing a
 * frame every 16 ms for the whole run, about a tenth of a core here, which a run in the browser
 * (the process pool on 2 cores above all) would pay for and a visitor's page does not.
 */
export async function waitForRows(page, sel, n, timeout) {
  await page.evaluate(moreMatching, [sel, n, timeout]);
}

/**
 * In the page (Playwright's or bare.mjs's evaluate): resolves once more than n elements match
 * sel, rejects after timeout ms. It wakes on elements added or removed, and with attributes on
 * attributes changed too (a state an element carries), which a run's progress changes often.
 */
export function moreMatching([sel, n, timeout, attributes = false]) {
  return new Promise((resolve, reject) => {
    const enough = () => document.querySelectorAll(sel).length > n;
    if (enough()) return resolve();
    const watch = new MutationObserver(() => {
      if (!enough()) return;
      watch.disconnect();
      clearTimeout(timer);
      resolve();
    });
    const timer = setTimeout(() => {
      watch.disconnect();
      reject(new Error(`waiting for more than ${n} of ${sel}: timed out after ${timeout} ms`));
    }, timeout);
    watch.observe(document.documentElement, { childList: true, subtree: true, attributes });
  });
}

/**
 * A real `native serve` and a Chromium page on it (launch's options), for a suite's before():
 * with path, the page is opened there and waits until it says its backend is connected.
 */
export async function startPlayground(path, opts) {
  const server = await startNative();
  let browser;
  try {
    browser = await launch(opts);
    if (path !== undefined) {
      await browser.page.goto(`${server.origin}${path}`);
      await waitConnected(browser.page);
    }
  } catch (err) {
    await stopPlayground({ browser, server });
    throw err;
  }
  return { server, browser, page: browser.page };
}

/** Ends what startPlayground started, for a suite's after(); either may be missing. */
export async function stopPlayground({ browser, server } = {}) {
  await browser?.close();
  await server?.stop();
}

/** Waits until the page (or frame) says its backend is connected. */
export async function waitConnected(page, timeout = 10_000) {
  await page.getByTestId("backend-status").filter({ hasText: "connected" }).waitFor({ timeout });
}

/** Waits until the run queue is empty (the cancel button hides). */
export async function waitIdle(page, timeout = 60_000) {
  await page.waitForFunction(() => document.getElementById("cancel")?.hidden === true, null, { timeout });
}

/**
 * A third-party site on its own loopback origin (another port: another origin) serving one
 * HTML page at /, as a tutorial that embeds the playground would.
 */
export async function startHost(html) {
  const server = http.createServer((req, res) => {
    if (new URL(req.url, "http://x").pathname !== "/") return res.writeHead(404).end();
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end(html);
  });
  return listen(server);
}

/** Clicks a button that downloads a file; returns the file's name and content (a Buffer). */
export async function downloadFrom(page, testid) {
  const [dl] = await Promise.all([page.waitForEvent("download", { timeout: 10_000 }), page.getByTestId(testid).click()]);
  return { name: dl.suggestedFilename(), data: fs.readFileSync(await dl.path()) };
}

/** The checksum Go computes (workload.Checksum: FNV-1a 64 over each result and a newline) of
 * the CPU experiment, from the closed form: an independent check of both engines. */
export function cpuChecksum(tasks, n) {
  let h = 0xcbf29ce484222325n;
  const fnv = (byte) => {
    h ^= BigInt(byte);
    h = (h * 0x100000001b3n) & 0xffffffffffffffffn;
  };
  for (let x = 0; x < tasks; x++) {
    const m = BigInt(n + x);
    for (const byte of Buffer.from(`${((m - 1n) * m * (2n * m - 1n)) / 6n}\n`)) fnv(byte);
  }
  return h.toString(16).padStart(16, "0");
}

/**
 * Presses "Run every variant" as a reader who makes no guess: the page asks for one once, and
 * the panel's "Run without a guess" runs them all.
 */
export async function runEveryVariant(page) {
  await page.getByTestId("run-all").click();
  const skip = page.getByTestId("predict-skip");
  if (await skip.isVisible()) await skip.click();
}
