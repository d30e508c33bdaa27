// The I/O experiment as the page served by the Worker runs it (make bench-edge): the page from
// `edge dev` (the Worker in workerd) in Chromium, driven bare (site/e2e/bare.mjs), runs the I/O
// presets in the browser at their defaults, every farm request going to the Worker's own farm,
// and prints each run against its bound: the time the waiting alone takes when the variant's
// lanes are always busy (tasks × delay one at a time; ⌈tasks ÷ 6⌉ × delay on a browser's six
// connections; ⌈tasks ÷ workers⌉ × delay on the browser's process pool, one worker per core).
// Whatever a run takes beyond that is the server's cost and the page's: the same page served by
// `native serve` runs beside it, in alternating rounds, so the edge's share can be told from the
// machine's. Not a test: it prints figures (issue 24's targets, at the edge: sequential within
// 1.1× of its bound, the event loop within 1.25×).

import fs from "node:fs";
import path from "node:path";
import { launchBare, runBare, waitReady } from "../site/e2e/bare.mjs";
import { root, startNative } from "../site/e2e/harness.mjs";
import { startEdge } from "./start-edge.mjs";

const rounds = Number(process.env.ROUNDS ?? 3);

// The facts the Go side owns, as the build generated them for the page.
const facts = fs.readFileSync(path.join(root, "site/src/gen/facts.gen.ts"), "utf8");
const fact = (re) => Number(facts.match(re)?.[1] ?? NaN);
const tasks = fact(/"ioTasks": (\d+)/);
const delayMs = fact(/"delayMs": (\d+),\n\s+"ioTasks"/);
const connections = fact(/browserConnectionsPerHost = (\d+)/);
const maxWorkers = fact(/browserProcessWorkers = (\d+)/);

const servers = [
  { name: "edge", server: await startEdge() },
  { name: "native", server: await startNative() },
];
const pages = [];
try {
  // workerd compiles the Worker's wasm quickly first and optimises its hot functions as they
  // run, on the same two cores: a fresh workerd's first few hundred requests are slower than a
  // long-lived isolate's. Warm both servers alike before anything is timed.
  for (const s of servers) {
    for (let i = 0; i < 400; i++) await (await fetch(`${s.server.origin}/farm/warm?delay=0ms&size=25000`)).arrayBuffer();
  }
  for (const s of servers) {
    const page = await launchBare();
    pages.push(page);
    await page.goto(`${s.server.origin}/`);
    await waitReady(page);
    s.page = page;
  }
  const cores = await servers[0].page.evaluate(() => navigator.hardwareConcurrency);
  const workers = Math.min(cores, maxWorkers);
  const runs = [
    { preset: "io_non_concurrent", variant: "sequential", lanes: 1, what: "sequential" },
    { preset: "io_asyncio", variant: "eventloop", lanes: connections, what: `event loop (${connections} connections)` },
    { preset: "io_mp", variant: "process", lanes: workers, what: `browser process pool (${workers} workers)` },
  ];
  // Rounds alternate between the two servers, so a busy moment of the machine falls on both.
  for (const run of runs) run.ms = { edge: [], native: [] };
  for (let r = 0; r < rounds; r++) {
    for (const run of runs) {
      for (const s of servers) {
        const row = await runBare(s.page, { preset: run.preset, button: "run-browser", variant: run.variant, where: "browser" });
        run.ms[s.name].push(Number(row.durationMs));
      }
    }
  }
  console.log(
    `the page's I/O runs in Chromium at the defaults (${tasks} tasks × ${delayMs} ms), served by the Worker in workerd ` +
      `and, for comparison, by native serve; ${rounds} rounds, min–median–max, and the median against the bound:`,
  );
  const sec = (ms) => (ms / 1000).toFixed(2);
  for (const run of runs) {
    const bound = Math.ceil(tasks / run.lanes) * delayMs;
    const figures = servers.map(({ name }) => {
      const s = [...run.ms[name]].sort((a, b) => a - b);
      const median = s[Math.floor(s.length / 2)];
      return `${name} ${sec(s[0])}–${sec(median)}–${sec(s[s.length - 1])} s, ${(median / bound).toFixed(2)}×`;
    });
    console.log(`  ${run.what.padEnd(38)} bound ${sec(bound)} s: ${figures.join("; ")}`);
  }
} finally {
  for (const page of pages) await page.close();
  for (const s of servers) await s.server.stop();
}
