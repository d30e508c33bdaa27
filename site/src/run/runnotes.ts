// What the page says beside a finished run when its figure needs a word: repeats that spread too
// wide to trust, an event loop paced by the browser's connections rather than by itself, and,
// once several variants of the same work ran in the same place, their order against the lesson's;
// a CPU process pool's start-up against a perfect split of the sequential run; and what a run's
// timeline lacks (spans over the recorder's limit, or released since).

import { count, duration, durationParts, parseGoDuration } from "../format";
import { browserConnectionsPerHost, variantNames } from "../presets";
import { placeKey } from "../labels";
import { keptSpanRuns, type Run } from "./runs";
import { spreadOf, spreadWarning } from "./spread";
import { workKey } from "../state";
import type { Result, Variant } from "../types";

/**
 * A browser event loop's downloads over HTTP/1.1 share the browser's connections to the farm
 * (six per host): with more downloads than connections, they go in rounds of one latency each,
 * whatever the event loop could start. Where those rounds are most of the run, they set its
 * pace; where not (a busy machine), the note says how much of it they explain. "" when there
 * were no more downloads than connections.
 */
export function connectionNote(r: Result): string {
  if (r.where !== "browser" || r.variant !== "eventloop" || r.experiment !== "io" || r.workers >= r.tasks) return "";
  const head = `${count(r.workers)} connections carried ${count(r.tasks)} downloads`;
  const noLimit = " The backend's event loop (one goroutine per download) has no such limit.";
  const delay = parseGoDuration(r.spec.delay ?? "0s");
  if (!(Number.isFinite(delay) && delay > 0)) return `${head}, ${count(r.workers)} at a time: the browser's limit per host.${noLimit}`;
  const rounds = Math.ceil(r.tasks / r.workers);
  const bound = rounds * delay;
  const rule = `${count(rounds)} rounds of ${duration(delay)}, at least ${duration(bound)}`;
  if (bound >= r.duration_ns / 2) return `${head}: the browser's limit per host, not the event loop, set the pace: ${rule}.${noLimit}`;
  return `${head}, ${count(r.workers)} at a time (the browser's limit per host): ${rule} of this ${duration(r.duration_ns)}; the rest was the browser's or the machine's own time.${noLimit}`;
}

/**
 * The browser's process pool downloads one page per Web Worker at a time, but every worker's
 * requests go to the same host, so they share the browser's connections to it (six over
 * HTTP/1.1): with more workers than that, the rest wait for a connection, as the event loop's do.
 */
export function processIONote(r: Result): string {
  if (r.where !== "browser" || r.variant !== "process" || r.experiment !== "io") return "";
  const limit = r.workers > browserConnectionsPerHost ? ` With ${count(r.workers)} workers, ${count(r.workers - browserConnectionsPerHost)} waited for a connection at any time.` : "";
  return `${count(r.workers)} Web Workers each downloaded one page at a time; they share the browser's connections to the farm's host (${browserConnectionsPerHost} over HTTP/1.1), as the page's other requests do.${limit}`;
}

/** The lesson's I/O ranking, fastest first. */
export const lessonIORanking: Variant[] = ["eventloop", "pool", "process", "sequential"];

/**
 * The variants of r's work that ran where r ran (the same machine), fastest first, each by its
 * latest run: "On the native backend, fastest first: event loop 32 ms < thread pool × 5 660 ms
 * < …". For I/O it says whether that is the lesson's order. "" with fewer than three variants.
 */
export function rankingNote(r: Result, all: readonly Result[]): string {
  const work = workKey(r.spec);
  const place = placeKey(r);
  const latest = new Map<Variant, Result>();
  for (const o of all) if (workKey(o.spec) === work && placeKey(o) === place) latest.set(o.variant, o);
  if (latest.size < 3) return "";
  const order = [...latest.values()].sort((a, b) => a.duration_ns - b.duration_ns);
  const pool = (o: Result) => o.variant !== "sequential" && o.variant !== "eventloop";
  const text = order.map((o) => `${variantNames[o.variant]}${pool(o) ? ` × ${count(o.workers)}` : ""} ${duration(o.duration_ns)}`).join(" < ");
  const where = r.where === "browser" ? "In this browser" : "On the native backend";
  let lesson = "";
  if (r.experiment === "io") {
    const ours = order.map((o) => o.variant).filter((v) => lessonIORanking.includes(v));
    const theirs = lessonIORanking.filter((v) => latest.has(v));
    if (ours.length >= 3) {
      lesson = ours.join() === theirs.join() ? " The lesson's order." : ` The lesson's order is ${lessonIORanking.map((v) => variantNames[v]).join(" < ")}.`;
    }
  }
  return `${where}, fastest first: ${text}.${lesson}`;
}

/** Whether startupNote has something to say of r's kind of run: a CPU process pool. */
export const startupNoted = (r: Result) => r.experiment === "cpu" && r.variant === "process";

/**
 * Where a CPU process pool's time went against a perfect split of the sequential run of the same
 * work in the same place (base): with k = min(workers, cores, tasks) processes, the tasks (all
 * about the same size) take ceil(tasks / k) of the sequential run's tasks' time. spawnsMs are the
 * fastest repeat's spawn spans: how long each process took to start before it could compute.
 * "" when there is nothing to compare.
 */
export function startupNote(r: Result, base: Result | undefined, spawnsMs: readonly number[]): string {
  if (!startupNoted(r) || !base || !(base.duration_ns > 0)) return "";
  // one spawn per process, or the timeline lost some: a span merged or not recorded
  if (spawnsMs.length !== r.workers || (r.spans_dropped ?? 0) > 0 || (r.spans_coarsened ?? 0) > 0) return "";
  const k = Math.min(r.workers, r.machine.cores > 0 ? r.machine.cores : r.workers, r.tasks);
  if (!(k >= 1)) return "";
  const ideal = (base.duration_ns * Math.ceil(r.tasks / k)) / r.tasks;
  const split = `Split perfectly over ${count(k)} ${k === 1 ? "core" : "cores"}, the sequential run's ${duration(base.duration_ns)} would take ${duration(ideal)}`;
  const lo = durationParts(Math.min(...spawnsMs) * 1e6);
  const hi = durationParts(Math.max(...spawnsMs) * 1e6);
  const each = lo.value === hi.value && lo.unit === hi.unit ? `${hi.value} ${hi.unit}` : lo.unit === hi.unit ? `${lo.value}–${hi.value} ${hi.unit}` : `${lo.value} ${lo.unit}–${hi.value} ${hi.unit}`;
  const started = `its ${count(spawnsMs.length)} ${spawnsMs.length === 1 ? "process" : "processes"} took ${each} ${spawnsMs.length === 1 ? "" : "each "}to start (the grey spans) before computing`;
  if (r.duration_ns < ideal) {
    return `${split}; this pool's fastest repeat took ${duration(r.duration_ns)}, less than that although ${started}: the sequential run's tasks ran slower than this pool's, so the machine's speed changed between the two runs. Run both again.`;
  }
  return `${split}; this pool's fastest repeat took ${duration(r.duration_ns)}, and ${started}.`;
}

/**
 * The race's outcome in its run's own note, where the reader looks once the run ends: "Lost
 * 61,204 of 500,000 updates: the counter reads 438,796." "" for any other experiment.
 */
export function raceNote(r: Result): string {
  if (!r.race) return "";
  const { expected, counted, lost } = r.race;
  return `Lost ${count(lost)} of ${count(expected)} updates: the counter reads ${count(counted)}.`;
}

/** Whether r's variant computes on several cores where it ran: the browser's pool is goroutines on one thread. */
const computesOnEveryCore = (r: Result) => r.variant === "process" || (r.variant === "pool" && r.where !== "browser");

/**
 * Said when a pool that should split CPU work over the cores came out no faster than the
 * sequential run of the same work in the same place (base), or below half its ideal speedup,
 * while its repeats agree (a wide spread has its own warning): the figure goes against the
 * lesson, and the page says so, with the likely cause, rather than let it stand. "" otherwise.
 */
export function againstLessonNote(r: Result, base: Result | undefined): string {
  if (r.experiment !== "cpu" || !computesOnEveryCore(r) || !base || !(base.duration_ns > 0) || !(r.duration_ns > 0)) return "";
  if (spreadOf(r.repeats)?.wide) return "";
  const k = Math.min(r.workers, r.machine.cores > 0 ? r.machine.cores : r.workers, r.tasks);
  if (!(k >= 2)) return "";
  const ideal = r.tasks / Math.ceil(r.tasks / k);
  const x = base.duration_ns / r.duration_ns;
  const noFaster = x < 1.05;
  if (!noFaster && x >= ideal / 2) return "";
  const what = noFaster ? "no faster than the sequential run" : `below half of the ${ideal.toFixed(1)}× that ${count(k)} cores allow`;
  const place = r.where === "browser" ? "this machine" : "the backend's machine";
  return (
    `This goes against the lesson: ${count(k)} ${r.variant === "process" ? "processes" : "threads"} computed ${x.toFixed(2)}× as fast as the sequential run's ${duration(base.duration_ns)}, ${what}, ` +
    `and ${spreadOf(r.repeats) ? "its repeats agree, so it was not one slow repeat" : "it ran once"}. Likely something else used a core of ${place} while it ran (another program, a build, another tab), ` +
    `so the pool had fewer cores than it counted on. Close what you can and run it again, with the sequential run beside it.`
  );
}

/** Everything to say beside r, as sentences. */
export function notesFor(r: Result): string[] {
  return [raceNote(r), spreadWarning(r), connectionNote(r), processIONote(r), cpythonRaceNote(r)].filter(Boolean);
}

/**
 * CPython's threads and the race: with a GIL a thread is switched out only every 5 ms (the
 * switch interval), and a task's hundred increments take microseconds, so an update is rarely
 * lost, which is not the same as safe; without a GIL the threads run at once and lose many.
 */
export function cpythonRaceNote(r: Result): string {
  if (r.where !== "cpython" || !r.race || r.variant === "sequential" || r.variant === "eventloop" || r.variant === "process") return "";
  // the count itself is raceNote's, said first
  if (r.python && !r.python.gil) {
    return "This CPython runs without a GIL, so its threads run counter += 1 at the same time, and a read and its write interleave with another thread's.";
  }
  return r.race.lost > 0
    ? "The GIL switched threads between a read and its write, which it may do every 5 ms."
    : "None lost, and that is luck, not safety: the GIL hands over only every 5 ms and a task's hundred increments take microseconds, so a switch between a read and its write is rare. As the lesson says, you can run this thousands of times and never see the problem.";
}

/** What the timeline lacks: spans the recorder did not keep, or that were released since. */
export function spansNote(run: Run): string {
  const n = run.result?.spans ?? 0;
  if (run.spansReleased) return `; its ${count(n)} ${n === 1 ? "span was" : "spans were"} released to save memory (only the newest ${keptSpanRuns} runs keep their timelines)`;
  const dropped = run.result?.spans_dropped ?? 0;
  const coarsened = run.result?.spans_coarsened ?? 0;
  let note = "";
  // The server merges spans, each lane's in pairs, when this page reads them slower than the run makes them.
  if (coarsened > 0) note += `; ${count(coarsened)} ${coarsened === 1 ? "span was" : "spans were"} merged with the next of its lane because the page read them slower than the run made them, so some boundaries between tasks are not drawn`;
  if (dropped > 0) note += `; ${count(dropped)} more ${dropped === 1 ? "span was" : "spans were"} not recorded (over the recorder's limit), so the timeline is incomplete`;
  return note;
}
