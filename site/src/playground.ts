// The playground: connects the pieces of a page (index.html; /embed, whose page may leave
// sections out: the durations, the history, the runs table and the sweep are optional). Each
// piece is mounted by its own module, mountX(el, deps); this one holds what they share (the
// backend, the browser engine, the run queue, the form) and passes each event on to those
// that show it.

import { Backend, findBackend } from "./backend/backend";
import { mountBackendStatus } from "./backend/backendstatus";
import { mountCoreAdoption } from "./backend/adoptcores";
import { likelyWhere, mountCodePanel, type CodeView } from "./lesson/codeview";
import { Controls } from "./form/controls";
import { byId, optionalId } from "./dom";
import { mountDownloads } from "./share/downloads";
import { renderForm } from "./form/form";
import { loadEngine, type BrowserEngine, type RunHandlers } from "./engine";
import type { ExportedRun } from "./share/export";
import { explainFarmFailure } from "./farm";
import { mountHints } from "./form/hints";
import { mountHistory } from "./share/historypanel";
import { mountLaunch, variantsForAll } from "./run/launch";
import { mountLead } from "./run/lead";
import { mountLiveView, type LiveView } from "./timeline/liveview";
import { mountRunNote } from "./run/note";
import { mountPageNotes } from "./lesson/pagenotes";
import { mountReference } from "./lesson/reference";
import { mountPredict } from "./predict/predictview";
import { mountResults } from "./run/resultsview";
import { mountScheduler } from "./scheduler/schedulerview";
import { hasEnded, isFinishedRun, RunQueue, type Executor, type Run, type RunWhere } from "./run/runs";
import { mountShare } from "./share/share";
import type { PlaygroundState } from "./state";
import { mountSweep } from "./sweep/sweeppanel";
import type { Job, Result, Where } from "./types";
import { queryFromState, refusedInQuery, stateFromQuery } from "./share/urlstate";

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
  /**
   * The "predict, then run" panel (#predict): offered (the main page), asked for before a run
   * of every variant (an embed's data-predict), or left out.
   */
  predict?: "offer" | "ask" | "off";
}

export interface Playground {
  readonly state: PlaygroundState;
  setState(s: PlaygroundState): void;
  /**
   * Runs the current variant where asked (if it can run there), or every offered variant; false
   * when nothing was queued because the prediction an embed asks for is not made yet.
   */
  run(where: RunWhere | "all", opts?: { browserOnly?: boolean }): boolean;
  /** Whether "Run every variant" waits for the prediction an embed asks for. */
  awaitsPrediction(): boolean;
  /** Cancels the running run and the queued ones. */
  cancel(): void;
  readonly runs: readonly Run[];
  readonly backend: Backend;
  /** Settles once the first look for the backend is over (connected or not). */
  readonly backendChecked: Promise<void>;
}

export function mountPlayground(opts: PlaygroundOptions = {}): Playground {
  const browserCores = navigator.hardwareConcurrency || 1;
  const backend = new Backend();
  /** "One per core" means the backend's cores when it is connected, else this machine's. */
  const cores = () => backend.info?.cores ?? browserCores;
  const browserEngine = lazyEngine();
  const browserExecutor = executorOf(browserEngine);
  /** Who served this page: "native" (native serve), "edge" (the Worker), null (a static copy). */
  let servedBy: Where | null = null;

  // The queue's and the form's callbacks (changed, onState) reach the pieces mounted below:
  // they are called only once the page runs, after every piece is mounted.
  const queue = new RunQueue(
    { browser: browserExecutor, native: async () => backend, cpython: async () => backend }, // a CPython job names its interpreter
    { onChange: (run) => changed(run), onProgress: (run) => live.progressed(run), onLockDenied: (run) => note.lockDenied(run), onLockWait: (run) => note.lockWait(run) },
  );
  const runs = () => queue.runs;
  renderForm(byId<HTMLFormElement>("controls"));
  const controls = new Controls(stateFromQuery(new URLSearchParams(location.search), browserCores), cores, onState);
  const state = () => controls.value;

  const live = mountLiveView(byId("live"), { framed: !!opts.framed });
  const code = mountCodePanel(optionalId("code"), live.timeline);
  const referenceEl = optionalId("reference");
  const reference = referenceEl && mountReference(referenceEl, { compact: "compact" in referenceEl.dataset });
  const note = mountRunNote(byId("run-note"), { live, runs });
  const say = note.say;
  const { finished, downloads, results, keep } = mountRecords({ runs, live, code, say });
  const hints = mountHints(controls, { backend, busy: () => queue.busy });
  const sweep = mountSweep({ queue, backend, state, cores, invalid: () => controls.invalid, changed: refresh });
  const predict = mountPredict(opts.predict === "off" ? null : shown(optionalId("predict")), { state, offered: () => variantsForAll(state(), backend), required: opts.predict === "ask", runAll: () => run("all") });
  // the guess comes before "Run every variant": its button stands at the panel's foot
  predict.runSlot?.prepend(controls.runAll);
  const share = mountShare({ state, cores, finished, say, linkParams: predict.linkParams });
  const run = mountLaunch(controls, { queue, backend, state, cores, browserCores, note, changed: refresh, allow: predict.allow, launched: predict.launched });
  const setState = (s: PlaygroundState): void => {
    controls.fill(s);
    onState(s);
  };
  mountCoreAdoption({ backend, state, browserCores, cores, setState });
  mountBackendStatus(byId("backend-status"), { backend, queue, note, servedBy: () => servedBy, changed: refresh });
  const pageNotes = mountPageNotes({ browserCores });
  const scheduler = mountScheduler(optionalId("scheduler"));
  const lead = mountLead({ framed: !!opts.framed, note });

  /** What can run now, and why not: after every change of the form, the queue or the backend. */
  function refresh(): void {
    hints.availability();
    sweep.update();
    predict.update();
  }

  /** A run changed status: everything that shows runs follows. */
  function changed(run: Run): void {
    if (run.status === "running") {
      live.started(run);
      code?.show(state().experiment, run.variant, run.where);
      downloads.update(); // the timeline's exports wait for the run to end
      opts.onRunStart?.(run);
    }
    if (hasEnded(run)) {
      live.ended(run);
      predict.ended(run);
      keep(run);
      note.ended(run);
      live.showProgress(run); // hides the bar
      downloads.update();
      if (run.result) opts.onResult?.(run.result, run);
      else opts.onRunFailed?.(run);
    }
    if (run.purpose === "sweep") sweep.render();
    lead.changed(run, queue.runs, queue.busy);
    refresh();
  }

  /** The form's state, shown by every piece that follows it; where: where the run would likely go. */
  function show(s: PlaygroundState, where: RunWhere): void {
    hints.lesson(s);
    share.update(s);
    code?.show(s.experiment, s.variant, where);
    reference?.update(s);
    scheduler.show(s.experiment === "race");
    refresh();
  }

  function onState(s: PlaygroundState): void {
    if (opts.syncURL !== false) {
      const q = queryFromState(s, cores()).toString();
      window.history.replaceState(window.history.state, "", `${location.pathname}${q ? `?${q}` : ""}`);
    }
    show(s, likelyWhere(s.variant, backend.info !== null));
    // the run note is a live region: a field that went wrong is said once, where it is read,
    // and taken back once it is fixed
    note.formProblems(controls.invalid.join(" "));
    opts.onState?.(s);
  }

  show(controls.value, likelyWhere(controls.value.variant, false));
  // what the link asked for and the state could not hold is refused in sight, as if typed
  controls.retype(refusedInQuery(new URLSearchParams(location.search), controls.value));
  downloads.update();
  results.render();
  const backendChecked = findBackend().then(({ url, pageInfo }) => {
    servedBy = pageInfo?.where ?? null;
    pageNotes.servedBy(servedBy);
    return backend.connect(url);
  });

  loadWhenIdle(browserEngine, say);

  document.documentElement.dataset.ready = performance.now().toFixed(0);

  return { get state() { return controls.value; }, setState, run, awaitsPrediction: () => predict.awaits(), cancel: () => queue.cancelAll(), backendChecked, get runs() { return queue.runs; }, backend }; // prettier-ignore
}

/**
 * The browser engine (a few MB of WebAssembly), loaded once, on first use or when the page is
 * idle. A failed load (a network error, a 503) is not final: the next call tries again.
 */
function lazyEngine(): () => Promise<BrowserEngine> {
  let engine: Promise<BrowserEngine> | null = null;
  return () =>
    (engine ??= loadEngine().catch((e) => {
      engine = null;
      throw e;
    }));
}

/** The browser engine as the run queue's executor. */
function executorOf(engine: () => Promise<BrowserEngine>): () => Promise<Executor> {
  return async () => {
    const e = await engine();
    // The farm is on the page's own origin: native serve and the edge Worker both serve /farm/.
    const run = (job: Job, h: RunHandlers) => e.run(job, location.origin, h).catch((err) => Promise.reject(explainFarmFailure(err, job, location.origin)));
    return { run, cancel: () => e.cancel() };
  };
}

/** Loads the engine once the page is idle, so the first browser run does not wait for it. */
function loadWhenIdle(engine: () => Promise<BrowserEngine>, say: (text: string) => void): void {
  const whenIdle = (window as Window & { requestIdleCallback?: (f: () => void) => void }).requestIdleCallback ?? ((f: () => void) => setTimeout(f, 200));
  whenIdle(() => {
    engine().then(
      () => (document.documentElement.dataset.engineReady = performance.now().toFixed(0)),
      (e) => say(`The browser engine did not load: ${(e as Error).message}`),
    );
  });
}

/**
 * What is kept of finished runs: when each finished, the history, the runs table and the
 * downloads. keep(run) records an ended run and redraws the table.
 */
function mountRecords(deps: { runs: () => Run[]; live: LiveView; code: CodeView | null; say(text: string): void }) {
  const { runs, live, code, say } = deps;
  const history = mountHistory(optionalId<HTMLTableElement>("history-table"), { say });
  /** When each run finished, for what is exported, kept and shared. */
  const finishedAt = new Map<number, number>();
  const finished = (): ExportedRun[] =>
    runs().filter(isFinishedRun).map((r) => ({ at: finishedAt.get(r.id) ?? Date.now(), result: r.result }));
  const shown = () => runs().find((r) => r.id === live.shownId);
  const downloads = mountDownloads({ runs, finished, shown, timeline: byId("timeline"), say });
  const results = mountResults({
    runs,
    past: history.saved ? history.past : null,
    pick(run) {
      live.pick(run);
      if (run.result) code?.show(run.result.spec.experiment, run.variant, run.where);
      downloads.update();
    },
  });
  history.saved?.onChange(() => results.render());
  function keep(run: Run): void {
    if (run.result) {
      finishedAt.set(run.id, Date.now());
      history.keep(run, finishedAt.get(run.id)!);
    }
    results.render();
  }
  return { finished, downloads, results, keep };
}

/** Shows el (a panel the page leaves hidden until the playground fills it). */
function shown(el: HTMLElement | null): HTMLElement | null {
  if (el) el.hidden = false;
  return el;
}
