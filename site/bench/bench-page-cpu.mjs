// Measures, in Chromium against a real `native serve` (make bench-e2e), how much CPU the page
// itself takes while the browser's engine runs: the page runs on the machine it measures, and on
// 2 cores what it draws is taken from a process pool's workers. Each round runs the CPU
// experiment's sequential run in the browser (three repeats) and reads the CPU time of every
// Chromium process this script started, by thread, from /proc (Linux only): the engine's
// threads are the Web Workers ("DedicatedWorker" threads); the rest (the page's main thread,
// its compositor, the GPU process drawing in software, the browser process) is the page's own
// cost, printed as a share of a core over the run's wall time. Not a test: it prints figures.

import fs from "node:fs";
import { launch, runAndWait, setUp, startNative } from "../e2e/harness.mjs";

const rounds = Number(process.env.ROUNDS ?? 3);
const msPerTick = 1000 / 100; // /proc counts CPU time in USER_HZ ticks, 100 a second on Linux

/** utime + stime of a /proc stat line, in ms. */
function cpuMs(stat) {
  const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(f[11]) + Number(f[12])) * msPerTick;
}

function read(path) {
  try {
    return fs.readFileSync(path, "utf8");
  } catch {
    return null; // the process or thread ended between listing and reading
  }
}

/** The Chromium processes under this script's process: the browser it launched and its children. */
function chromiumProcesses() {
  const children = new Map();
  for (const d of fs.readdirSync("/proc")) {
    const stat = /^\d+$/.test(d) && read(`/proc/${d}/stat`);
    if (!stat) continue;
    const parent = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
    children.set(parent, [...(children.get(parent) ?? []), Number(d)]);
  }
  const all = [];
  for (const queue = [process.pid]; queue.length; ) {
    const p = queue.pop();
    all.push(p);
    queue.push(...(children.get(p) ?? []));
  }
  return all.filter((p) => /chrom/.test(read(`/proc/${p}/comm`) ?? ""));
}

/**
 * CPU time so far of those processes: in all, and in their live Web Worker threads. A thread
 * that ended is counted in its process's total only.
 */
function sample() {
  let total = 0;
  let workers = 0;
  for (const p of chromiumProcesses()) {
    const stat = read(`/proc/${p}/stat`);
    if (!stat) continue;
    total += cpuMs(stat);
    let threads = [];
    try {
      threads = fs.readdirSync(`/proc/${p}/task`);
    } catch {
      continue; // it ended
    }
    for (const t of threads) {
      const ts = read(`/proc/${p}/task/${t}/stat`);
      if (ts && ts.slice(ts.indexOf("(") + 1, ts.lastIndexOf(")")).startsWith("DedicatedWorker")) workers += cpuMs(ts);
    }
  }
  return { total, workers };
}

const spread = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return `${s[0].toFixed(2)}–${s[Math.floor(s.length / 2)].toFixed(2)}–${s[s.length - 1].toFixed(2)}`;
};

const server = await startNative();
const b = await launch();
try {
  const page = b.page;
  await page.goto(`${server.origin}/`);
  await page.waitForFunction(() => document.documentElement.dataset.engineReady);
  const shares = [];
  for (let r = 0; r < rounds; r++) {
    await setUp(page, "cpu_non_concurrent");
    const before = sample();
    const t0 = performance.now();
    await runAndWait(page, "run-browser", { variant: "sequential", where: "browser", timeout: 180_000 });
    const wall = performance.now() - t0;
    const after = sample();
    const engine = after.workers - before.workers;
    const rest = after.total - before.total - engine;
    shares.push(rest / wall);
    console.log(`round ${r + 1}: ${wall.toFixed(0)} ms of wall time; the engine's thread ${engine.toFixed(0)} ms of CPU, the rest of the browser ${rest.toFixed(0)} ms`);
  }
  console.log(`cpu_non_concurrent in the browser, ${rounds} rounds: the page's own CPU while it ran, ${spread(shares)} of a core (min–median–max)`);
} finally {
  await b.close();
  await server.stop();
}
