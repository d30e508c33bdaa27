// The playground: wires the form, the run queue, the browser engine, the backend and the charts
// together on a page that holds their elements (index.html; a compact view such as /embed may
// leave sections out: the durations, the race, the runs table and the sweep are optional).
// The pieces (form, queue, engine, backend, charts, history) live in their own modules. Besides
// connecting them, this one still writes the page's running text itself: the run note and the
// timeline title, the backend's status and how to start one, the share and embed flow, the
// edge note and the browser's limits.

import { Backend, checkBackendURL, findBackend, saveBackendURL, type BackendStatus } from "./backend";
import { themeColor } from "./chart";
import { Controls } from "./controls";
import { DurationChart } from "./durations";
import { loadEngine, type BrowserEngine } from "./engine";
import { canvasPNG, chromeTrace, download, fileStem, resultsCSV, resultsJSON, type ExportedRun } from "./export";
import { count, duration } from "./format";
import { RunHistory } from "./history";
import { HistoryPanel } from "./historypanel";
import { browserName, laneName, runTitle, whereLabel } from "./labels";
import { browserConnectionsPerHost, browserVariants, connectionLimit, presetByName, variantNames, variantOrder } from "./presets";
import { renderRace } from "./race";
import { ResultsTable } from "./results";
import { notesFor, rankingNote } from "./runnotes";
import { fastestRepeat } from "./spread";
import { keptSpanRuns, RunQueue, type Executor, type Run, type RunWhere } from "./runs";
import { describeWork, fixesWorkers, jobFor, stateForPreset, type PlaygroundState } from "./state";
import { decodeSnapshot, encodeSnapshot, snapshotParam } from "./snapshot";
import { iframeSnippet, kitSnippet } from "./snippets";
import { ladder, SweepChart } from "./sweep";
import { Timeline, type RepeatMark, type TimelineRun } from "./timeline";
import type { Result, Variant, Where } from "./types";
import { linkTo, queryFromState, stateFromQuery } from "./urlstate";

export interface PlaygroundOptions {
  /** Keep the page's address in step with the form (the main page does; an embed may not). */
  syncURL?: boolean;
  /** Inside another site's page (an iframe): never scroll the host page to bring a chart into view. */
  framed?: boolean;
  /** A run started (for a host page's postMessage API, a run history). */
  onRunStart?(run: Run): void;
  /** A run finished with a result. */
  onResult?(result: Result, run: Run): void;
  /** A run failed or was canceled (run.status, run.error say which and why). */
  onRunFailed?(run: Run): void;
  /** The form changed. */
  onState?(state: PlaygroundState): void;
}

export interface Playground {
  readonly state: PlaygroundState;
  setState(s: PlaygroundState): void;
  /** Runs the current variant where asked (if it can run there), or every offered variant. */
  run(where: RunWhere | "all", opts?: { browserOnly?: boolean }): void;
  /** Cancels the running run and the queued ones. */
  cancel(): void;
  readonly runs: readonly Run[];
  readonly backend: Backend;
  /** Settles once the first look for the backend is over (connected or not). */
  readonly backendChecked: Promise<void>;
}

export function mountPlayground(opts: PlaygroundOptions = {}): Playground {
  const $ = <T extends HTMLElement>(id: string) => {
    const el = document.getElementById(id);
    if (!el) throw new Error(`the page has no #${id}`);
    return el as T;
  };
  const maybe = <T extends HTMLElement>(id: string) => document.getElementById(id) as T | null;

  const browserCores = navigator.hardwareConcurrency || 1;
  const backend = new Backend();
  /** "One per core" means the backend's cores when it is connected, else this machine's. */
  const cores = () => backend.info?.cores ?? browserCores;

  // The engine (a few MB of WebAssembly) loads once, on first use or when the page is idle.
  let engine: Promise<BrowserEngine> | null = null;
  const browserEngine = (): Promise<BrowserEngine> =>
    (engine ??= loadEngine().catch((e) => {
      engine = null; // a failed load (a network error, a 503) is not final: the next run tries again
      throw e;
    }));
  const browserExecutor = async (): Promise<Executor> => {
    const e = await browserEngine();
    // The farm is on the page's own origin: native serve and the edge Worker both serve /farm/.
    return { run: (job, h) => e.run(job, location.origin, h), cancel: () => e.cancel() };
  };

  const timeline = new Timeline($("timeline"));
  const durationEl = maybe("duration-chart");
  const durations = durationEl ? new DurationChart(durationEl, $("duration-table")) : null;
  const sweepEl = maybe("sweep-chart");
  const sweep = sweepEl ? new SweepChart(sweepEl, $("sweep-table")) : null;
  let sweepRuns: Run[] = [];
  let sweepTitle = "";

  // The history (where the page has a panel for it): this visit's runs are saved as they
  // finish, under a key of this page load, so the chart can tell them from earlier ones.
  const historyTable = maybe<HTMLTableElement>("history-table");
  const saved = historyTable ? new RunHistory() : null;
  try {
    if (saved) new HistoryPanel(historyTable!, saved);
  } catch (e) {
    // the history is an extra: the page must start without it
    const note = maybe("history-note");
    if (note) note.textContent = `The history could not be shown: ${(e as Error).message}`;
  }
  const session = Math.random().toString(36).slice(2, 10);
  const finishedAt = new Map<number, number>();
  const overlay = maybe<HTMLInputElement>("overlay-history");
  overlay?.addEventListener("change", () => renderResults());
  saved?.onChange(() => renderResults());

  const queue = new RunQueue(
    { browser: browserExecutor, native: async () => backend },
    {
      onChange(run) {
        if (run.status === "running") {
          timeline.show(timelineRun(run));
          showProgress(run);
          updateExports(); // the timeline's exports wait for the run to end
          opts.onRunStart?.(run);
        }
        if (run.status === "done" || run.status === "failed" || run.status === "canceled") {
          if (timeline.current?.id === run.id) {
            timeline.flush();
            timeline.describe();
          }
          if (run.result) {
            finishedAt.set(run.id, Date.now());
            liveRepeats.delete(run.id); // the result's durations mark the repeats from now on
          }
          if (run.result && run.purpose === "run") saved?.add({ key: `${session}:${run.id}`, at: finishedAt.get(run.id)!, result: run.result });
          renderResults();
          noteRun(run);
          showProgress(run); // hides the bar
          updateExports();
          if (run.result) opts.onResult?.(run.result, run);
          else opts.onRunFailed?.(run);
        }
        if (run.purpose === "sweep") sweep?.render(sweepRuns, sweepRuns[0]?.job.experiment ?? "cpu", cores(), sweepTitle);
        updateAvailability();
      },
      onProgress(run) {
        noteRepeat(run);
        if (timeline.current?.id === run.id) timeline.update();
        showProgress(run);
      },
    },
  );

  function timelineRun(run: Run): TimelineRun {
    return {
      id: run.id,
      title: `run ${run.id}: ${runTitle(run.where, run.variant, run.job.workers)}`,
      laneName: laneName(run.where, run.variant, run.job.experiment ?? ""),
      spans: run.spans,
      repeats: () => repeatMarks(run),
    };
  }

  /** Which repeat a run is in, and how far: from its progress, which counts tasks × repeats. */
  function repeatOf(run: Run): { repeat: number; repeats: number; done: number; tasks: number } {
    const { done, total } = run.progress;
    const tasks = run.job.tasks || total;
    const repeats = tasks > 0 && total > tasks ? Math.round(total / tasks) : 1;
    const repeat = Math.min(repeats, Math.floor(done / (tasks || 1)) + 1);
    return { repeat, repeats, done: done - (repeat - 1) * tasks, tasks };
  }

  /** "repeat 2 of 3: 5 of 20 tasks", or "5 of 20 tasks" for a run of one repeat. */
  function progressText(run: Run): string {
    const p = repeatOf(run);
    const tasks = `${count(p.done)} of ${count(p.tasks)} tasks`;
    return p.repeats > 1 ? `repeat ${p.repeat} of ${p.repeats}: ${tasks}` : tasks;
  }

  /**
   * Where each repeat of a running run started, as far as the timeline has got when its
   * progress passes into the next repeat (the repeats run one after another); the result's own
   * durations replace them at the end.
   */
  const liveRepeats = new Map<number, number[]>();
  function noteRepeat(run: Run): void {
    const { repeat } = repeatOf(run);
    const starts = liveRepeats.get(run.id) ?? [0];
    while (starts.length < repeat) starts.push(run.spans.maxEnd);
    liveRepeats.set(run.id, starts);
  }

  /** The timeline's repeat marks: from the result's durations once it is in, else as they came. */
  function repeatMarks(run: Run): RepeatMark[] {
    const times = run.result?.repeats;
    if (times && times.length > 1) {
      const fastest = fastestRepeat(times);
      let at = 0;
      return times.map((d, i) => {
        const m = { start: at, label: `repeat ${i + 1}${i === fastest ? " · fastest" : ""}`, short: `${i + 1}${i === fastest ? " fastest" : ""}` };
        at += d / 1e6;
        return m;
      });
    }
    if (run.result) return [];
    const starts = liveRepeats.get(run.id) ?? [];
    return starts.length > 1 ? starts.map((start, i) => ({ start, label: `repeat ${i + 1}`, short: String(i + 1) })) : [];
  }

  const resultsEl = maybe<HTMLTableElement>("results");
  const results = resultsEl
    ? new ResultsTable(resultsEl, $("results-empty"), (run) => {
        timeline.show(timelineRun(run));
        timeline.describe();
        setTimelineTitle(run);
        updateExports();
        if (!opts.framed) $("live").scrollIntoView({ behavior: "smooth", block: "start" });
        $("timeline").focus({ preventScroll: true });
      })
    : null;

  function renderResults(): void {
    results?.render(queue.runs);
    const past = saved && (overlay?.checked ?? true)
      ? saved.runs.filter((r) => !r.key.startsWith(`${session}:`)).map((r) => ({ result: r.result, label: r.shared ? "shared" : "earlier", visit: r.shared ? "shared" : r.key.split(":")[0]! }))
      : [];
    durations?.render(queue.runs, past);
    const empty = maybe("durations-empty");
    if (empty) empty.hidden = past.length > 0 || queue.runs.some((r) => r.status === "done" && r.purpose === "run");
    const race = maybe("race");
    const lastRace = [...queue.runs].reverse().find((r) => r.status === "done" && r.result?.race && r.purpose === "run");
    if (race) renderRace(race, lastRace?.result);
  }

  let progressFrame = 0;
  let progressRun: Run | null = null;
  /** Shows run's progress at the next frame (the latest run asked for wins). */
  function showProgress(run: Run): void {
    progressRun = run;
    if (progressFrame) return;
    progressFrame = requestAnimationFrame(() => {
      progressFrame = 0;
      const run = progressRun!;
      $("progress").hidden = run.status !== "running";
      const { done, total } = run.progress;
      const pct = total ? (100 * done) / total : 0;
      $("progress-bar").style.width = `${pct}%`;
      // the bar is a progressbar (index.html): its value is read out as well as drawn
      $("progress").setAttribute("aria-valuenow", String(Math.round(pct)));
      $("progress").setAttribute("aria-valuetext", progressText(run));
      if (timeline.current?.id === run.id) setTimelineTitle(run);
    });
  }

  /** What the timeline lacks: spans the recorder did not keep, or that were released since. */
  function spansNote(run: Run): string {
    const n = run.result?.spans ?? 0;
    if (run.spansReleased) return `; its ${count(n)} ${n === 1 ? "span was" : "spans were"} released to save memory (only the newest ${keptSpanRuns} runs keep their timelines)`;
    const dropped = run.result?.spans_dropped ?? 0;
    return dropped > 0 ? `; ${count(dropped)} more ${dropped === 1 ? "span was" : "spans were"} not recorded (over the recorder's limit), so the timeline is incomplete` : "";
  }

  function setTimelineTitle(run: Run): void {
    const t = $("timeline-title");
    const head = `Run ${run.id}: ${runTitle(run.where, run.variant, run.job.workers)}`;
    if (run.status === "running") {
      t.textContent = `${head}, running: ${progressText(run)}, ${count(run.spans.n)} spans so far`;
    } else if (run.result) {
      const n = run.result.repeats?.length ?? 1;
      const fastest = n > 1 ? `the fastest of ${n} repeats ${duration(run.result.duration_ns)} (all ${n} are on this timeline, one after another)` : duration(run.result.duration_ns);
      t.textContent = `${head}: ${describeWork(run.result.spec)}, ${fastest}${run.spansReleased ? "" : `, ${count(run.spans.n)} spans`}${spansNote(run)}`;
    } else if (run.status === "canceled") {
      t.textContent = `${head}: ${run.error ?? "canceled"}`;
    } else {
      t.textContent = `${head}: ${run.status}${run.error ? ` (${run.error})` : ""}`;
    }
  }

  /** Queued backend runs canceled when the backend went away during a run: said with that run's failure. */
  let droppedWithRun = 0;

  function noteRun(run: Run): void {
    const note = $("run-note");
    setTimelineTitle(run);
    let also = "";
    if (run.where === "native" && run.status === "failed" && droppedWithRun) {
      also = ` The ${count(droppedWithRun)} queued backend ${droppedWithRun === 1 ? "run was" : "runs were"} canceled with it.`;
      droppedWithRun = 0;
    }
    if (run.status === "failed") note.textContent = `Run ${run.id} (${runTitle(run.where, run.variant)}) failed: ${run.error}${also && !/[.!?]$/.test(run.error ?? "") ? "." : ""}${also}`;
    else if (run.status === "canceled") note.textContent = `Run ${run.id} was ${run.error ?? "canceled"}.`;
    else if (run.result) {
      const r = run.result;
      const n = r.repeats?.length ?? 1;
      const done = queue.runs.filter((o) => o.status === "done" && o.purpose === "run" && o.result).map((o) => o.result!);
      const beside = [...notesFor(r), run.purpose === "run" ? rankingNote(r, done) : ""].filter(Boolean).map((t) => ` ${t}`).join("");
      note.textContent = `Run ${run.id}, ${runTitle(run.where, run.variant, run.job.workers)}: ${n > 1 ? `the fastest of ${n}, ` : ""}${duration(r.duration_ns)}${spansNote(run)}.${runNotes.get(run.id) ?? ""}${beside}`;
    }
  }

  // ---- the form, the URL and the buttons

  const controls = new Controls(stateFromQuery(new URLSearchParams(location.search), browserCores), cores, onState);

  function onState(s: PlaygroundState): void {
    if (opts.syncURL !== false) {
      const q = queryFromState(s, cores()).toString();
      window.history.replaceState(window.history.state, "", `${location.pathname}${q ? `?${q}` : ""}`);
    }
    describeLesson(s);
    linkState(s);
    updateAvailability();
    // the run note is a live region: a field that went wrong is said once, where it is read
    if (controls.invalid.length) $("run-note").textContent = controls.invalid.join(" ");
    opts.onState?.(s);
  }

  /** The links that carry the state: "open in the playground" (in an embed), oEmbed discovery. */
  function linkState(s: PlaygroundState): void {
    const full = maybe<HTMLAnchorElement>("open-full");
    if (full) full.href = linkTo("/", s, cores());
    const oembed = document.querySelector<HTMLLinkElement>("link[type='application/json+oembed']");
    if (oembed) oembed.href = `/oembed?format=json&url=${encodeURIComponent(linkTo("/", s, cores()))}`;
  }

  function describeLesson(s: PlaygroundState): void {
    const p = presetByName(s.preset);
    $("lesson-text").textContent = p ? p.lesson : "Your own parameters: pick a variant and compare it with the sequential run of the same work.";
    const script = maybe("lesson-script");
    if (script) script.textContent = p ? `The lesson's script: ${p.script}.` : "";
  }

  function updateAvailability(): void {
    const reason = controls.setAvailability({ nativeVariants: backend.info?.variants ?? null, busy: queue.busy });
    const s = controls.value;
    let bound = "";
    if (s.experiment === "io") {
      const delay = s.params.delay * 1e6;
      if (s.variant === "sequential") bound = `Sequential I/O cannot beat ${count(s.params.tasks)} × ${s.params.delay} ms = ${duration(s.params.tasks * delay)}.`;
      const conns = connectionLimit();
      if (s.variant === "eventloop" && conns !== null) {
        bound = `In this browser the event loop's bound is ⌈${count(s.params.tasks)} ÷ ${conns} connections⌉ × ${s.params.delay} ms = ${duration(Math.ceil(s.params.tasks / conns) * delay)}.`;
      } else if (s.variant === "eventloop") {
        bound = `Over HTTP/2 the event loop starts every download at once: its bound is one latency, ${s.params.delay} ms, plus what the server adds.`;
      }
    }
    $("variant-hint").textContent = [bound, reason].filter(Boolean).join(" ");
    maybe("run-sweep")?.toggleAttribute("disabled", !backend.info || queue.busy);
  }

  /**
   * The worker count for a variant on the backend: processes are bounded by the backend's limit.
   * When the chosen variant fixes its own count (sequential, the event loop), the state's count
   * is the lesson's pool size, and the process pool gets the lesson's one per backend core.
   */
  function nativeWorkers(s: PlaygroundState, v = s.variant): number {
    if (v !== "process") return s.workers;
    const asked = fixesWorkers(s.variant) ? cores() : s.workers;
    return Math.min(asked, backend.info?.limits.process_workers ?? 64);
  }

  /** Said with a run's outcome: what the page changed in what was asked (a bounded process pool). */
  const runNotes = new Map<number, string>();

  /** Queues variant on the backend; a process pool bounded by the backend's limit is said, not slipped in. */
  function addNative(s: PlaygroundState, v: Variant): void {
    const workers = nativeWorkers(s, v);
    const run = queue.add("native", jobFor(s, v, workers));
    if (v === "process" && !fixesWorkers(s.variant) && workers < s.workers) {
      runNotes.set(run.id, ` The backend runs at most ${count(workers)} processes, so the pool ran ${count(workers)}, not the ${count(s.workers)} asked for.`);
      if (run.status === "queued" || run.status === "running") $("run-note").textContent = `The process pool runs with ${count(workers)} processes, the backend's limit, not the ${count(s.workers)} asked for.`;
    }
  }

  function run(where: RunWhere | "all", opts: { browserOnly?: boolean } = {}): void {
    const s = controls.value;
    if (where === "browser" && browserVariants.includes(s.variant)) queue.add("browser", jobFor(s, s.variant));
    if (where === "native" && backend.info?.variants.includes(s.variant)) addNative(s, s.variant);
    if (where === "all") {
      for (const v of browserVariants) if (s.variants.includes(v)) queue.add("browser", jobFor(s, v));
      for (const v of variantOrder) {
        if (!opts.browserOnly && s.variants.includes(v) && backend.info?.variants.includes(v)) addNative(s, v);
      }
    }
    updateAvailability();
  }

  controls.runBrowser.addEventListener("click", () => run("browser"));
  controls.runNative.addEventListener("click", () => run("native"));
  controls.runAll.addEventListener("click", () => run("all"));
  controls.cancel.addEventListener("click", () => queue.cancelAll());

  maybe("run-sweep")?.addEventListener("click", () => {
    const s = controls.value;
    const info = backend.info;
    if (!info || queue.busy) return;
    const v = s.variant === "pool" || s.variant === "gil" || s.variant === "process" ? s.variant : "pool";
    const top = v === "process" ? Math.min(info.limits.process_workers, 2 * info.cores) : Math.min(s.experiment === "io" ? 64 : 4 * info.cores, info.limits.workers);
    const max = Math.max(1, Math.min(s.params.tasks, top));
    sweepTitle = `${variantNames[v]} on ${info.cores} ${info.cores === 1 ? "core" : "cores"}, ${describeWork(jobFor(s, v))}`;
    sweepRuns = ladder(max).map((w) => queue.add("native", jobFor(s, v, w), "sweep"));
    updateAvailability();
  });

  // ---- share and embed: the state as a link, an iframe, or the embed kit's script tag

  /** This visit's finished runs, as exported, kept and shared. */
  const finished = (): ExportedRun[] =>
    queue.runs.filter((r) => r.status === "done" && r.purpose === "run" && r.result).map((r) => ({ at: finishedAt.get(r.id) ?? Date.now(), result: r.result! }));

  async function offer(kind: "share" | "embed"): Promise<void> {
    const s = controls.value;
    const withResults = maybe<HTMLInputElement>("share-results");
    const runs = finished();
    let text: string;
    let second = "";
    let kept = 0;
    if (kind === "share") {
      const extra: Record<string, string> = {};
      if (withResults?.checked && runs.length) {
        const snap = await encodeSnapshot(runs);
        if (snap.kept) extra[snapshotParam] = snap.text;
        kept = snap.kept;
      }
      text = linkTo("/", s, cores(), extra);
    } else {
      text = iframeSnippet(linkTo("/embed", s, cores()), `Concurrency Playground: ${s.preset || s.experiment}`);
      second = kitSnippet(queryFromState(s, cores()), new URL("/embed.js", location.href).toString());
    }
    const box = maybe("share-box");
    const area = maybe<HTMLTextAreaElement>("share-text");
    if (box && area) {
      $("share-label").textContent = kind === "share" ? "Link to this experiment" : "Embed this experiment: an iframe";
      area.value = text;
      box.hidden = false;
      box.dataset.kind = kind;
      const kit = maybe<HTMLTextAreaElement>("share-kit");
      if (kit) kit.value = second;
      const opt = maybe("share-results-field");
      if (opt) opt.hidden = kind !== "share";
      if (withResults) {
        withResults.disabled = runs.length === 0;
        $("share-results-label").textContent = runs.length
          ? `Include my results: ${withResults.checked ? `${count(kept)} of ${count(runs.length)}` : count(runs.length)} ${runs.length === 1 ? "run" : "runs"} and the machines they ran on`
          : "Include my results (none yet: run something first)";
      }
    }
    let copied = false;
    try {
      await navigator.clipboard.writeText(text);
      copied = true;
    } catch {
      /* no clipboard permission (an insecure origin, a frame, a headless browser): the text is selected */
    }
    if (area) {
      area.focus();
      area.select();
    }
    $("run-note").textContent = copied
      ? `${kind === "share" ? "Link" : "Embed code"} copied to the clipboard.`
      : `Copy the ${kind === "share" ? "link" : "embed code"} below (it is selected).`;
  }
  maybe("share")?.addEventListener("click", () => void offer("share"));
  maybe("embed")?.addEventListener("click", () => void offer("embed"));
  maybe("share-results")?.addEventListener("change", () => void offer("share"));

  // ---- export: this visit's results, the shown run's timeline

  function shownRun(): Run | undefined {
    const id = timeline.current?.id;
    return queue.runs.find((r) => r.id === id);
  }

  /** A file name for a run, from its result or, for one that broke off, from its job. */
  const stem = (run: Run) => fileStem(run.result ?? { preset: run.job.preset, experiment: run.job.experiment ?? "cpu", variant: run.variant, where: run.where });

  function updateExports(): void {
    const done = queue.runs.some((r) => r.status === "done" && r.purpose === "run");
    for (const id of ["export-json", "export-csv"]) maybe(id)?.toggleAttribute("disabled", !done);
    const shown = shownRun();
    const ready = !!shown && shown.status !== "running" && shown.status !== "queued" && shown.spans.n > 0;
    for (const id of ["export-trace", "export-png"]) maybe(id)?.toggleAttribute("disabled", !ready);
  }

  maybe("export-json")?.addEventListener("click", () => download(`playground-runs-${fileStem(finished().at(-1)!.result)}.json`, resultsJSON(finished())));
  maybe("export-csv")?.addEventListener("click", () => download(`playground-runs-${fileStem(finished().at(-1)!.result)}.csv`, resultsCSV(finished()), "text/csv"));
  maybe("export-trace")?.addEventListener("click", () => {
    const run = shownRun();
    if (run) download(`${stem(run)}.trace.json`, chromeTrace(run));
  });
  maybe("export-png")?.addEventListener("click", () => {
    const run = shownRun();
    const canvas = $("timeline").querySelector("canvas");
    if (!run || !canvas) return;
    canvasPNG(canvas, themeColor("--panel")).then(
      (png) => download(`${stem(run)}.png`, png),
      (e) => ($("run-note").textContent = (e as Error).message),
    );
  });

  for (const b of document.querySelectorAll<HTMLButtonElement>("[data-zoom]")) {
    b.addEventListener("click", () => timeline.zoom(Number(b.dataset.zoom)));
  }

  // ---- the backend

  /** Who served this page: "native" (native serve), "edge" (the Worker), null (a static copy). */
  let servedBy: Where | null = null;

  /** At the edge, the farm's pages cost the Worker's own start-up: say so beside the figures. */
  function showServedBy(where: Where | null): void {
    const note = maybe("edge-note");
    if (!note || where !== "edge") return;
    note.hidden = false;
    note.textContent =
      "This page and its site farm are served at the edge by a Cloudflare Worker written in Go. Every farm request starts a fresh " +
      "Go instance, which adds a few milliseconds to each download (about 8 ms one at a time, measured in Cloudflare's workerd) " +
      "and more while many are in flight, so browser I/O runs here include that cost on top of the asked latency.";
  }

  // "One per core" was counted on this machine's cores at load, before any backend answered:
  // when the first backend connects, a lesson that runs one per core takes the backend's count,
  // unless the link or the reader chose a count.
  let coresAdopted = new URLSearchParams(location.search).has("workers");
  function adoptBackendCores(): void {
    if (coresAdopted) return;
    coresAdopted = true;
    const s = controls.value;
    const p = presetByName(s.preset);
    if (!p) return;
    // one process per core, as far as the backend's process limit goes (the form refuses more)
    const perCore = p.variant === "process" ? Math.min(cores(), backend.info?.limits.process_workers ?? cores()) : cores();
    if (p.workers !== 0 || fixesWorkers(p.variant) || s.workers !== stateForPreset(p.name, browserCores).workers || s.workers === perCore) return;
    const next = { ...s, workers: perCore };
    controls.fill(next);
    onState(next);
  }

  function showBackend(st: BackendStatus): void {
    const el = $("backend-status");
    if (st.kind === "connected") adoptBackendCores();
    el.dataset.state = st.kind;
    const retry = maybe("backend-retry");
    if (retry) retry.hidden = st.kind !== "unreachable";
    if (!st.url) {
      el.textContent = "Looking for the native backend…"; // before the first try: where to look is not known yet
    } else if (st.kind === "connected") {
      const i = st.info;
      el.textContent = `Native backend connected: ${i.cores} ${i.cores === 1 ? "core" : "cores"} (GOMAXPROCS ${i.gomaxprocs}), ${i.go_version}, ${i.os}/${i.arch}.`;
    } else if (st.kind === "connecting") {
      el.textContent = `Looking for the native backend at ${st.url}…`;
    } else {
      // queued backend runs cannot start now: end them at once, with the reason, rather than
      // letting each fail in turn
      const dropped = queue.dropQueued((r) => r.where === "native", `canceled before it started: the backend disconnected (${st.reason})`);
      // the backend run that was going fails just after this: its note says what went with it
      if (dropped && queue.runs.some((r) => r.status === "running" && r.where === "native")) droppedWithRun = dropped;
      const head = `No native backend at ${st.url}: ${st.reason}. The browser variants still work; for threads and processes on your own cores, `;
      const code = document.createElement("code");
      if (servedBy === "native") {
        // this page came from native serve, so the backend is its own origin: it only has to run again
        code.textContent = "make run";
        el.textContent = `${head}start it again with `;
        el.append(code, ", then retry.");
      } else {
        // the edge or a static copy on another origin: a plain `make run` refuses this origin,
        // so say how to allow it (and, for a public page, that the browser asks first)
        code.textContent = `./bin/native serve -allow-origin ${location.origin}`;
        el.textContent = `${head}build it (make build) and start it with `;
        el.append(code, ", then retry.");
        if (!/^(127\.|localhost$|\[::1\]$)/.test(location.hostname)) {
          el.append(" Your browser may ask whether this page may reach devices on your local network: allow it for the backend.");
        }
      }
    }
    const input = maybe<HTMLInputElement>("backend-url");
    if (input && document.activeElement !== input) input.value = st.url;
    updateAvailability();
  }
  backend.onStatus(showBackend);
  maybe("backend-retry")?.addEventListener("click", () => void backend.connect(backend.status.url));

  maybe("backend-form")?.addEventListener("submit", (e) => {
    e.preventDefault();
    const input = $<HTMLInputElement>("backend-url");
    const url = input.value.trim();
    const bad = checkBackendURL(url);
    input.setAttribute("aria-invalid", bad ? "true" : "false");
    const hint = maybe("backend-hint");
    if (bad) {
      if (hint) hint.textContent = bad;
      return;
    }
    saveBackendURL(url);
    void backend.connect(url);
  });

  // The browser's own limits, shown rather than hidden: they are part of the lesson.
  const limit = maybe("browser-limit");
  if (limit) {
    limit.textContent =
      `This page runs in ${browserName(navigator.userAgent)} on a machine with ${browserCores} logical ${browserCores === 1 ? "core" : "cores"}. ` +
      `Browser runs use one thread (the engine's Web Worker), and ` +
      (connectionLimit() !== null
        ? `the browser opens at most ${browserConnectionsPerHost} HTTP/1.1 connections per host, so its event loop downloads ${browserConnectionsPerHost} pages at a time.`
        : `this page's server speaks HTTP/2, which carries every download on one connection, so the event loop starts them all at once.`);
  }

  describeLesson(controls.value);
  linkState(controls.value);
  updateAvailability();
  updateExports();
  renderResults();
  const backendChecked = findBackend().then(({ url, pageInfo }) => {
    servedBy = pageInfo?.where ?? null;
    showServedBy(servedBy);
    return backend.connect(url);
  });

  // A shared link's results join the history (in memory) and the duration chart.
  const shared = new URLSearchParams(location.search).get(snapshotParam);
  if (shared && saved) {
    decodeSnapshot(shared).then(
      (runs) => {
        saved.addShared(runs);
        const machines = new Set(runs.map((r) => whereLabel(r.result)));
        $("run-note").textContent = `This link holds ${count(runs.length)} ${runs.length === 1 ? "run" : "runs"} measured on ${[...machines].join("; ")}: they are in the history below, marked “shared”, and in the duration chart.`;
      },
      (e) => ($("run-note").textContent = `The link's results were not shown: ${(e as Error).message}.`),
    );
  }

  // Load the engine once the page is idle, so the first browser run does not wait for it.
  const idle = (window as Window & { requestIdleCallback?: (f: () => void) => void }).requestIdleCallback ?? ((f: () => void) => setTimeout(f, 200));
  idle(() => {
    browserEngine().then(
      () => (document.documentElement.dataset.engineReady = performance.now().toFixed(0)),
      (e) => ($("run-note").textContent = `The browser engine did not load: ${(e as Error).message}`),
    );
  });

  document.documentElement.dataset.ready = performance.now().toFixed(0);

  return {
    get state() {
      return controls.value;
    },
    setState(s) {
      controls.fill(s);
      onState(s);
    },
    run,
    cancel: () => queue.cancelAll(),
    backendChecked,
    get runs() {
      return queue.runs;
    },
    backend,
  };
}

