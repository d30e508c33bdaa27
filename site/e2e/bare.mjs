// A Chromium page driven over the DevTools protocol on a pipe, attached to the page alone, for
// the benchmarks of the browser's process pool (bench-cpu.mjs). Playwright attaches to every Web
// Worker a page starts and holds it at its start until Playwright's own process has answered
// (Target.setAutoAttach with waitForDebuggerOnStart): measured here, a Web Worker that does
// nothing answered its first message in 16–17–18 ms without that and 21–22–28 ms with it, and
// two started together in 28–29–30 ms against 37–38–40 ms (3 runs of 20 each, medians). A
// visitor's page pays neither, and a pool starts its workers for every repeat. Here nothing
// attaches to a worker; the page is read and driven by evaluating functions in it.

import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromiumArgs, chromiumPath } from "./harness.mjs";

/** Starts Chromium headless in a fresh profile with one page; resolves with its driver. */
export async function launchBare() {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "playground-bare-"));
  // fds 3 and 4 are the protocol's pipe
  const proc = spawn(chromiumPath, [...chromiumArgs, `--user-data-dir=${profile}`, "--remote-debugging-pipe", "--window-size=1280,900", "about:blank"], {
    stdio: ["ignore", "ignore", "pipe", "pipe", "pipe"],
  });
  let log = "";
  proc.stderr.on("data", (d) => (log = (log + d).slice(-4000)));
  // "error" when Chromium could not be started at all, "exit" otherwise
  const exited = new Promise((r) => (proc.once("exit", r), proc.once("error", (err) => ((log += `\n${err.message}`), r()))));
  const toBrowser = proc.stdio[3];
  const fromBrowser = proc.stdio[4];
  // a write to a Chromium that has gone fails its request when it exits (below), not the process
  toBrowser.on("error", () => undefined);

  // Messages are JSON, each ended by a NUL byte.
  let nextId = 0;
  const pending = new Map();
  const waiters = [];
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
      } else if (m.method) {
        for (const w of waiters.filter((w) => w.method === m.method)) w.resolve(m.params);
      }
    }
  });
  exited.then(() => {
    for (const p of pending.values()) p.reject(new Error(`Chromium exited:\n${log}`));
    pending.clear();
  });
  const send = (method, params = {}, sessionId) =>
    new Promise((resolve, reject) => {
      const id = ++nextId;
      pending.set(id, { method, resolve, reject });
      toBrowser.write(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }) + "\0");
    });
  const next = (method) =>
    new Promise((resolve) => {
      const w = { method, resolve: (params) => (waiters.splice(waiters.indexOf(w), 1), resolve(params)) };
      waiters.push(w);
    });

  const { targetInfos } = await send("Target.getTargets");
  const target = targetInfos.find((t) => t.type === "page");
  if (!target) throw new Error("Chromium opened no page");
  const { sessionId } = await send("Target.attachToTarget", { targetId: target.targetId, flatten: true });
  await send("Page.enable", {}, sessionId);

  return {
    /** Runs fn(arg) in every document the page opens from now on, before its own scripts. */
    async addInitScript(fn, arg) {
      await send("Page.addScriptToEvaluateOnNewDocument", { source: `(${fn})(${JSON.stringify(arg ?? null)})` }, sessionId);
    },
    /** Opens url and resolves once its load event has fired. */
    async goto(url) {
      const loaded = next("Page.loadEventFired");
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
    /** Closes Chromium as its own menu would, so that no process of it still writes to the profile. */
    async close() {
      if (proc.exitCode === null) {
        const killer = setTimeout(() => proc.kill("SIGKILL"), 5_000);
        await send("Browser.close").catch(() => undefined);
        await exited;
        clearTimeout(killer);
      }
      fs.rmSync(profile, { recursive: true, force: true, maxRetries: 5 });
    },
  };
}

/**
 * In the page: fills the form as a reader would (the preset, then each field of params by its
 * test id), clicks button and waits, watching the DOM, for the result row of variant and where;
 * resolves with the row's data. For evaluate(), as harness.mjs's setUp and runAndWait do it.
 */
export async function runInPage({ preset, params = {}, button, variant, where, timeout = 180_000 }) {
  const field = (id) => {
    const el = document.querySelector(`[data-testid="${id}"]`);
    if (!el) throw new Error(`the page has no [data-testid=${id}]`);
    return el;
  };
  const set = (id, value) => {
    const el = field(id);
    el.value = String(value);
    if (el.value !== String(value)) throw new Error(`${id} does not take ${value}`);
    el.dispatchEvent(new Event("input", { bubbles: true }));
    el.dispatchEvent(new Event("change", { bubbles: true }));
  };
  set("preset", preset);
  for (const [id, value] of Object.entries(params)) set(id, value);
  const sel = `[data-testid=result-row][data-variant=${variant}][data-where=${where}]`;
  const before = document.querySelectorAll(sel).length;
  const button_ = field(button);
  if (button_.disabled) throw new Error(`${button} is disabled`);
  button_.click();
  await new Promise((resolve, reject) => {
    const watch = new MutationObserver(() => {
      if (document.querySelectorAll(sel).length <= before) return;
      watch.disconnect();
      clearTimeout(timer);
      resolve();
    });
    const timer = setTimeout(() => {
      watch.disconnect();
      reject(new Error(`waiting for a result row of ${sel}: timed out after ${timeout} ms`));
    }, timeout);
    watch.observe(document.body, { childList: true, subtree: true });
  });
  // rows are newest first
  return { ...document.querySelector(sel).dataset };
}

/** In the page: resolves once the page's engine is ready and, with backend, its backend connected. */
export async function pageReady({ backend, timeout = 30_000 }) {
  const ready = () =>
    document.documentElement.dataset.engineReady && (!backend || /connected/.test(document.querySelector("[data-testid=backend-status]")?.textContent ?? ""));
  if (ready()) return;
  await new Promise((resolve, reject) => {
    const watch = new MutationObserver(() => {
      if (!ready()) return;
      watch.disconnect();
      clearTimeout(timer);
      resolve();
    });
    const timer = setTimeout(() => {
      watch.disconnect();
      reject(new Error(`the page was not ready${backend ? " with its backend connected" : ""} after ${timeout} ms`));
    }, timeout);
    watch.observe(document.documentElement, { attributes: true, childList: true, subtree: true, characterData: true });
  });
}
