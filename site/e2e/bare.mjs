// A Chromium page driven over the DevTools protocol on a pipe, attached to the page alone, for
// the benchmarks of the browser's process pool (site/bench/bench-cpu.mjs). Playwright attaches
// to every Web Worker a page starts and holds it at its start until Playwright's own process
// has answered (Target.setAutoAttach with waitForDebuggerOnStart). In a probe of 3 runs of 20 each, a Web
// Worker that does nothing answered its first message in 16–17–18 ms without that and 21–22–28
// ms with it, and two started together in 28–29–30 ms against 37–38–40 ms (the runs' medians);
// bench-cpu.mjs prints both floors every time. A visitor's page pays neither, and a pool starts
// its workers for every repeat. Here nothing attaches to a worker; the page is read and driven
// by evaluating functions in it.

import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromiumArgs, chromiumPath, moreMatching } from "./harness.mjs";

/** How long any one request to Chromium may take: longer than any run a bench waits for. */
const requestTimeout = 300_000;

/** Starts Chromium headless in a fresh profile with one page; resolves with its driver. */
export async function launchBare() {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "playground-bare-"));
  // fds 3 and 4 are the protocol's pipe
  const proc = spawn(chromiumPath, [...chromiumArgs, `--user-data-dir=${profile}`, "--remote-debugging-pipe", "--window-size=1280,900", "about:blank"], {
    stdio: ["ignore", "ignore", "pipe", "pipe", "pipe"],
  });
  let log = "";
  proc.stderr.on("data", (d) => (log = (log + d).slice(-4000)));
  const toBrowser = proc.stdio[3];
  const fromBrowser = proc.stdio[4];

  // What waits on Chromium: requests by id, and events by method. When Chromium has gone, or
  // the page's renderer crashed, all of it fails at once with why.
  let gone; // the Error once Chromium has gone or the page has crashed
  const pending = new Map();
  const waiters = new Set();
  function fail(err) {
    gone ??= err;
    for (const p of [...pending.values(), ...waiters]) p.reject(gone);
    pending.clear();
    waiters.clear();
  }
  // "error" when Chromium could not be started at all, "exit" otherwise (a signal included)
  const exited = new Promise((resolve) => {
    proc.once("exit", resolve);
    proc.once("error", (err) => ((log += `\n${err.message}`), resolve()));
  }).then(() => fail(new Error(`Chromium exited:\n${log}`)));
  // a write to a Chromium that has gone fails its request through fail(), not the process
  toBrowser.on("error", () => undefined);

  // Messages are JSON, each ended by a NUL byte.
  let buffered = Buffer.alloc(0);
  fromBrowser.on("data", (chunk) => {
    buffered = Buffer.concat([buffered, chunk]);
    for (let end = buffered.indexOf(0); end >= 0; end = buffered.indexOf(0)) {
      const m = JSON.parse(buffered.subarray(0, end).toString("utf8"));
      buffered = buffered.subarray(end + 1);
      const p = m.id !== undefined && pending.get(m.id);
      if (p) {
        pending.delete(m.id);
        if (m.error) p.reject(new Error(`${p.method}: ${m.error.message}`));
        else p.resolve(m.result);
      } else if (m.method === "Inspector.targetCrashed" || m.method === "Target.detachedFromTarget") {
        fail(new Error(`the page ${m.method === "Inspector.targetCrashed" ? "crashed" : "was closed"}`));
      } else if (m.method) {
        for (const w of waiters) if (w.method === m.method) w.resolve(m.params);
      }
    }
  });

  let nextId = 0;
  const send = (method, params = {}, sessionId) =>
    new Promise((resolve, reject) => {
      if (gone) return reject(gone);
      const id = ++nextId;
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new Error(`${method}: no answer from Chromium in ${requestTimeout / 1000} s`));
      }, requestTimeout);
      const done = (f) => (v) => (clearTimeout(timer), f(v));
      pending.set(id, { method, resolve: done(resolve), reject: done(reject) });
      toBrowser.write(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }) + "\0");
    });
  /** The next event named method, of the page's session. */
  const next = (method) =>
    new Promise((resolve, reject) => {
      if (gone) return reject(gone);
      const w = { method, resolve: (params) => (waiters.delete(w), resolve(params)), reject };
      waiters.add(w);
    });

  /** Closes Chromium as its own menu would, so that no process of it still writes to the profile. */
  async function close() {
    if (!gone) {
      const killer = setTimeout(() => proc.kill("SIGKILL"), 5_000);
      await send("Browser.close").catch(() => undefined);
      await exited;
      clearTimeout(killer);
    } else if (proc.exitCode === null && proc.signalCode === null && proc.pid !== undefined) {
      proc.kill("SIGKILL"); // the page crashed, Chromium is still there
      await exited;
    }
    fs.rmSync(profile, { recursive: true, force: true, maxRetries: 5 });
  }

  let sessionId;
  try {
    const { targetInfos } = await send("Target.getTargets");
    const target = targetInfos.find((t) => t.type === "page");
    if (!target) throw new Error("Chromium opened no page");
    ({ sessionId } = await send("Target.attachToTarget", { targetId: target.targetId, flatten: true }));
    await send("Page.enable", {}, sessionId);
    await send("Inspector.enable", {}, sessionId);
  } catch (err) {
    await close();
    throw err;
  }

  return {
    /** Runs fn(arg) in every document the page opens from now on, before its own scripts. */
    async addInitScript(fn, arg) {
      await send("Page.addScriptToEvaluateOnNewDocument", { source: `(${fn})(${JSON.stringify(arg ?? null)})` }, sessionId);
    },
    /** Opens url and resolves once its load event has fired. */
    async goto(url) {
      const loaded = next("Page.loadEventFired");
      loaded.catch(() => undefined); // when navigating fails, that failure is the one to report
      const { errorText } = await send("Page.navigate", { url }, sessionId);
      if (errorText) throw new Error(`opening ${url}: ${errorText}`);
      await loaded;
    },
    /** The value of fn(arg) in the page, awaited; arg and the value travel as JSON. */
    async evaluate(fn, arg) {
      const r = await send("Runtime.evaluate", { expression: `(${fn})(${JSON.stringify(arg ?? null)})`, awaitPromise: true, returnByValue: true }, sessionId);
      if (r.exceptionDetails) throw new Error(r.exceptionDetails.exception?.description ?? r.exceptionDetails.text);
      return r.result.value;
    },
    close,
  };
}

/**
 * Fills the form as a reader would (the preset, then each field of params by its test id),
 * clicks button and waits for the result row of variant and where; resolves with the row's
 * data. As harness.mjs's setUp and runAndWait do it through Playwright.
 */
export async function runBare(page, { preset, params = {}, button, variant, where, timeout = 180_000 }) {
  await page.evaluate(fillForm, { preset, params });
  const sel = `[data-testid=result-row][data-variant=${variant}][data-where=${where}]`;
  const before = await page.evaluate((sel) => document.querySelectorAll(sel).length, sel);
  await page.evaluate((id) => {
    const b = document.querySelector(`[data-testid="${id}"]`);
    if (!b || b.disabled) throw new Error(`${id} is ${b ? "disabled" : "missing"}`);
    b.click();
  }, button);
  await page.evaluate(moreMatching, [sel, before, timeout]);
  // rows are newest first
  return page.evaluate((sel) => ({ ...document.querySelector(sel).dataset }), sel);
}

/** In the page: sets the preset, then each field of params, with the events a reader's input fires. */
function fillForm({ preset, params }) {
  const set = (id, value) => {
    const el = document.querySelector(`[data-testid="${id}"]`);
    if (!el) throw new Error(`the page has no [data-testid=${id}]`);
    if (el.type === "checkbox") throw new Error(`${id} is a checkbox: fillForm sets values only`);
    el.value = String(value);
    if (el.value !== String(value)) throw new Error(`${id} does not take ${value}`);
    el.dispatchEvent(new Event("input", { bubbles: true }));
    el.dispatchEvent(new Event("change", { bubbles: true }));
  };
  set("preset", preset);
  for (const [id, value] of Object.entries(params)) set(id, value);
}

/** Resolves once the page's engine is ready and, with backend, its backend connected. */
export async function waitReady(page, { backend = false, timeout = 30_000 } = {}) {
  await page.evaluate(moreMatching, ["html[data-engine-ready]", 0, timeout, true]);
  if (backend) await page.evaluate(moreMatching, ['[data-testid=backend-status][data-state="connected"]', 0, timeout, true]);
}
