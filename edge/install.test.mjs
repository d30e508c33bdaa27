// The end to end: a visitor on the hosted page (the Worker in workerd, with the release
// under /download/) reads the install command the page shows for their system, runs it with an
// empty HOME, and the page connects by itself and charts a native process-pool run.
// Run by make test-edge after make edge (this machine's release only): node --test edge/

import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { freePort, launch, root, runAndWait, screenshot, setUp, startNative } from "../site/e2e/harness.mjs";
import { group, startEdge } from "./start-edge.mjs";

test("the hosted page's install command starts a backend the page connects to and runs on", async () => {
  const worker = path.resolve(root, process.env.EDGE_WORKER_DIR ?? "edge/dist");
  const edge = await startEdge({ worker, assets: `${worker}-assets` });
  const port = await freePort();
  const b = await launch();
  let install = null;
  try {
    // The visitor's backend will listen on a free port, not 8080: the page's address setting
    // says so, and the command it shows passes it on (-addr).
    await b.ctx.addInitScript((url) => localStorage.setItem("playground.backend", url), `ws://127.0.0.1:${port}/ws`);
    await b.page.goto(`${edge.origin}/`);
    const box = b.page.getByTestId("install-command");
    await box.waitFor({ state: "visible", timeout: 15_000 });
    assert.equal(await box.getAttribute("data-os"), "linux", "Chromium on Linux is shown the Linux line");
    const line = (await box.locator(".install-line").innerText()).trim();
    assert.equal(line, `curl -fsSL ${edge.origin}/install.sh | sh -s -- -addr 127.0.0.1:${port}`);
    // The other systems are one click away.
    await box.locator("button[data-os=windows]").click();
    assert.equal(await box.getAttribute("data-os"), "windows");
    assert.match(await box.locator(".install-line").innerText(), /^powershell -c ".*\/install\.ps1\)\)\) -addr 127\.0\.0\.1:\d+"$/);
    await box.locator("button[data-os=linux]").click();

    // The visitor runs the line in a terminal, on a machine that never had the backend.
    const home = mkdtempSync(path.join(os.tmpdir(), "install-home-"));
    const started = performance.now();
    const proc = spawn("sh", ["-c", line], { env: { HOME: home, PATH: process.env.PATH }, detached: true, stdio: ["ignore", "ignore", "pipe"] });
    let log = "";
    proc.stderr.on("data", (d) => (log += d));
    install = { stop: group(proc), log: () => log };

    // The page tries again on its own every few seconds.
    await b.page.getByTestId("backend-status").filter({ hasText: "connected" }).waitFor({ timeout: 60_000 });
    const connectedMs = performance.now() - started;
    assert.equal(await box.isHidden(), true, "the install command goes once the backend is there");

    await setUp(b.page, "cpu_mp", { tasks: 4, n: 200_000, repeat: 1, variant: "process", workers: 2 });
    const run = await runAndWait(b.page, "run-native", { variant: "process", where: "native", timeout: 60_000 });
    const firstRunMs = performance.now() - started;
    assert.match(run.checksum, /^[0-9a-f]{16}$/);
    await b.page.getByTestId("timeline").waitFor({ state: "visible" });
    await screenshot(b.page, "edge-install.png");
    console.log(`install command → page connected: ${Math.round(connectedMs)} ms; → first native run charted: ${Math.round(firstRunMs)} ms`);
    assert.match(log, /downloading .*\/download\/concurrency-playground-linux-/);
  } catch (e) {
    if (install) console.log(`the install command's output:\n${install.log()}`);
    throw e;
  } finally {
    await b.close();
    await install?.stop();
    await edge.stop();
  }
});

// What a hosted (public) page meets in Chromium: Local Network Access. The Worker's loopback
// origin is declared public (--ip-address-space-overrides), as a deployed page is; its socket to
// the backend on 127.0.0.1 is then blocked until the visitor allows the page to reach this
// device (headless Chromium answers its prompt with no), and goes through once allowed.
// docs/loopback-browsers.md has the other browsers.
test("Chromium blocks a public page's socket to loopback until Local Network Access is allowed", async () => {
  const worker = path.resolve(root, process.env.EDGE_WORKER_DIR ?? "edge/dist");
  const edge = await startEdge({ worker, assets: `${worker}-assets` });
  const asPublic = [`--ip-address-space-overrides=127.0.0.1:${new URL(edge.origin).port}=public`];
  let native = null;
  try {
    native = await startNative(["-allow-origin", edge.origin]);
    for (const allowed of [false, true]) {
      const b = await launch({ args: asPublic });
      try {
        if (allowed) await b.ctx.grantPermissions(["local-network-access"]);
        await b.ctx.addInitScript((url) => localStorage.setItem("playground.backend", url), `${native.origin.replace("http:", "ws:")}/ws`);
        await b.page.goto(`${edge.origin}/`);
        const status = b.page.getByTestId("backend-status");
        if (allowed) {
          await status.filter({ hasText: "connected" }).waitFor({ timeout: 15_000 });
        } else {
          await status.filter({ hasText: "No native backend" }).waitFor({ timeout: 15_000 });
          assert.ok(
            b.errors.some((e) => e.includes("ERR_BLOCKED_BY_LOCAL_NETWORK_ACCESS_CHECKS")),
            `the socket was refused by Local Network Access, not by the backend: ${b.errors.join("; ")}`,
          );
        }
      } finally {
        await b.close();
      }
    }
  } finally {
    await native?.stop();
    await edge.stop();
  }
});
