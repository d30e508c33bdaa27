// Starts `edge dev` (the Worker in workerd, serving the page too) for the page's tests and
// benchmarks: edge/page.test.mjs and edge/bench-page.mjs.

import { spawn } from "node:child_process";
import path from "node:path";
import { freePort, root } from "../site/e2e/harness.mjs";

const sleep = (ms) => new Promise((r) => setTimeout(r, ms).unref());

/**
 * `edge dev` (it becomes workerd) serving the Worker in worker (make edge's by default) and the
 * page, or the static assets in assets (the page and the release), in its own process group,
 * killed as a whole by stop().
 */
export async function startEdge({ worker = process.env.EDGE_WORKER_DIR ?? "edge/dist", assets } = {}) {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const args = ["dev", "-addr", `127.0.0.1:${port}`, "-worker", worker, ...(assets ? ["-assets", assets] : [])];
  const proc = spawn(path.join(root, "bin/edge"), args, { cwd: root, detached: true, stdio: ["ignore", "ignore", "pipe"] });
  let log = "";
  proc.stderr.on("data", (d) => (log += d));
  const stop = group(proc);
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${origin}/healthz`)).ok) return { origin, stop, log: () => log };
    } catch {
      /* not listening yet */
    }
    if (proc.exitCode !== null || i > 200) {
      await stop();
      throw new Error(`the Worker did not answer on ${origin}:\n${log}`);
    }
    await sleep(50);
  }
}

/** A stop() that kills proc's whole process group and waits for proc to end. */
export function group(proc) {
  const exited = proc.exitCode !== null ? Promise.resolve() : new Promise((r) => proc.once("exit", r));
  return async () => {
    try {
      process.kill(-proc.pid, "SIGKILL");
    } catch {
      /* already gone */
    }
    await exited;
  };
}
