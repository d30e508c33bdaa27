// The playground page: wires the form, the run queue, the browser engine, the backend and the
// charts together. Each piece lives in its own module; this file only connects them.

import "./style.css";
import { Backend, checkBackendURL, findBackend, saveBackendURL, type BackendStatus } from "./backend";
import { Controls } from "./controls";
import { DurationChart } from "./durations";
import { loadEngine, type BrowserEngine } from "./engine";
import { count, duration } from "./format";
import { browserName, laneName, runTitle } from "./labels";
import { browserConnectionsPerHost, browserVariants, presetByName, variantOrder } from "./presets";
import { renderRace } from "./race";
import { ResultsTable } from "./results";
import { RunQueue, type Executor, type Run } from "./runs";
import { jobFor, describeWork, type PlaygroundState } from "./state";
import { ladder, SweepChart } from "./sweep";
import { Timeline, type TimelineRun } from "./timeline";
import { linkTo, queryFromState, stateFromQuery } from "./urlstate";

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const browserCores = navigator.hardwareConcurrency || 1;
const backend = new Backend();
/** "One per core" means the backend's cores when it is connected, else this machine's. */
const cores = () => backend.info?.cores ?? browserCores;

// The engine (a few MB of WebAssembly) loads once, on first use or when the page is idle.
let engine: Promise<BrowserEngine> | null = null;
const browserEngine = (): Promise<BrowserEngine> => (engine ??= loadEngine());

const browserExecutor = async (): Promise<Executor> => {
  const e = await browserEngine();
  // The farm is on the page's own origin: native serve and the edge Worker both serve /farm/.
  return { run: (job, h) => e.run(job, location.origin, h), cancel: () => e.cancel() };
};

const timeline = new Timeline($("timeline"));
const durations = new DurationChart($("duration-chart"), $("duration-table"));
const sweep = new SweepChart($("sweep-chart"), $("sweep-table"));
let sweepRuns: Run[] = [];
let sweepTitle = "";

const queue = new RunQueue(
  { browser: browserExecutor, native: async () => backend },
  {
    onChange(run) {
      if (run.status === "running") {
        timeline.show(timelineRun(run));
        showProgress(run);
      }
      if (run.status === "done" || run.status === "failed" || run.status === "canceled") {
        if (timeline.current?.id === run.id) {
          timeline.flush();
          timeline.describe();
        }
        renderResults();
        noteRun(run);
      }
      if (run.purpose === "sweep") sweep.render(sweepRuns, sweepRuns[0]?.job.experiment ?? "cpu", cores(), sweepTitle);
      updateAvailability();
    },
    onProgress(run) {
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
  };
}

const results = new ResultsTable($("results"), $("results-empty"), (run) => {
  timeline.show(timelineRun(run));
  timeline.describe();
  setTimelineTitle(run);
  $("live").scrollIntoView({ behavior: "smooth", block: "start" });
  $("timeline").focus({ preventScroll: true });
});

function renderResults(): void {
  results.render(queue.runs);
  durations.render(queue.runs);
  $("durations-empty").hidden = queue.runs.some((r) => r.status === "done" && r.purpose === "run");
  const lastRace = [...queue.runs].reverse().find((r) => r.status === "done" && r.result?.race && r.purpose === "run");
  renderRace($("race"), lastRace?.result);
}

let progressFrame = 0;
function showProgress(run: Run): void {
  if (progressFrame) return;
  progressFrame = requestAnimationFrame(() => {
    progressFrame = 0;
    const bar = $("progress");
    const live = run.status === "running";
    bar.hidden = !live;
    const { done, total } = run.progress;
    $("progress-bar").style.width = `${total ? (100 * done) / total : 0}%`;
    if (timeline.current?.id === run.id) setTimelineTitle(run);
  });
}

function setTimelineTitle(run: Run): void {
  const t = $("timeline-title");
  const head = `Run ${run.id}: ${runTitle(run.where, run.variant, run.job.workers)}`;
  if (run.status === "running") {
    t.textContent = `${head}, running: ${count(run.progress.done)} of ${count(run.progress.total)} tasks, ${count(run.spans.n)} spans so far`;
  } else if (run.result) {
    t.textContent = `${head}: ${describeWork(run.result.spec)}, ${duration(run.result.duration_ns)}, ${count(run.spans.n)} spans`;
  } else {
    t.textContent = `${head}: ${run.status}${run.error ? ` (${run.error})` : ""}`;
  }
}

function noteRun(run: Run): void {
  const note = $("run-note");
  setTimelineTitle(run);
  if (run.status === "failed") note.textContent = `Run ${run.id} (${runTitle(run.where, run.variant)}) failed: ${run.error}`;
  else if (run.status === "canceled") note.textContent = `Run ${run.id} was canceled.`;
  else if (run.result) note.textContent = `Run ${run.id}, ${runTitle(run.where, run.variant, run.job.workers)}: ${duration(run.result.duration_ns)}.`;
}

// ---- the form, the URL and the buttons

const controls = new Controls(stateFromQuery(new URLSearchParams(location.search), browserCores), cores, onState);

function onState(s: PlaygroundState): void {
  const q = queryFromState(s, cores()).toString();
  history.replaceState(null, "", `${location.pathname}${q ? `?${q}` : ""}`);
  describeLesson(s);
  updateAvailability();
}

function describeLesson(s: PlaygroundState): void {
  const p = presetByName(s.preset);
  $("lesson-text").textContent = p ? p.lesson : "Your own parameters: pick a variant and compare it with the sequential run of the same work.";
  $("lesson-script").textContent = p ? `The lesson's script: ${p.script}.` : "";
}

function updateAvailability(): void {
  const reason = controls.setAvailability({ nativeVariants: backend.info?.variants ?? null, busy: queue.busy });
  const s = controls.value;
  let bound = "";
  if (s.experiment === "io") {
    const delay = s.params.delay * 1e6;
    if (s.variant === "sequential") bound = `Sequential I/O cannot beat ${count(s.params.tasks)} × ${s.params.delay} ms = ${duration(s.params.tasks * delay)}.`;
    if (s.variant === "eventloop") {
      bound = `In this browser the event loop's bound is ⌈${count(s.params.tasks)} ÷ ${browserConnectionsPerHost} connections⌉ × ${s.params.delay} ms = ${duration(Math.ceil(s.params.tasks / browserConnectionsPerHost) * delay)}.`;
    }
  }
  $("variant-hint").textContent = [bound, reason].filter(Boolean).join(" ");
}

controls.runBrowser.addEventListener("click", () => queue.add("browser", jobFor(controls.value, controls.value.variant)));
controls.runNative.addEventListener("click", () => queue.add("native", jobFor(controls.value, controls.value.variant, nativeWorkers(controls.value))));
controls.runAll.addEventListener("click", () => {
  const s = controls.value;
  for (const v of browserVariants) queue.add("browser", jobFor(s, v));
  for (const v of variantOrder) {
    if (backend.info?.variants.includes(v)) queue.add("native", jobFor(s, v, nativeWorkers(s, v)));
  }
  updateAvailability();
});
controls.cancel.addEventListener("click", () => queue.cancelAll());
for (const b of [controls.runBrowser, controls.runNative]) b.addEventListener("click", () => updateAvailability());

/** The worker count for a variant on the backend: processes are bounded by the backend's limit. */
function nativeWorkers(s: PlaygroundState, v = s.variant): number {
  if (v !== "process") return s.workers;
  return Math.min(s.workers, backend.info?.limits.process_workers ?? 64);
}

$("run-sweep").addEventListener("click", () => {
  const s = controls.value;
  const info = backend.info;
  if (!info) return;
  const v = s.variant === "pool" || s.variant === "gil" || s.variant === "process" ? s.variant : "pool";
  const top = v === "process" ? Math.min(info.limits.process_workers, 2 * info.cores) : Math.min(s.experiment === "io" ? 64 : 4 * info.cores, info.limits.workers);
  const max = Math.max(1, Math.min(s.params.tasks, top));
  sweepTitle = `${v} on ${info.cores} cores, ${describeWork(jobFor(s, v))}`;
  sweepRuns = ladder(max).map((w) => queue.add("native", jobFor(s, v, w), "sweep"));
  updateAvailability();
});

// ---- share and embed: the state as a link (issue: embeds, share links, export, history)

async function offer(kind: "share" | "embed"): Promise<void> {
  const s = controls.value;
  const text =
    kind === "share"
      ? linkTo("/", s, cores())
      : `<iframe src="${linkTo("/embed", s, cores()).replace(/&/g, "&amp;")}" title="Concurrency Playground: ${s.preset || s.experiment}" width="100%" height="520" style="border:0" loading="lazy"></iframe>`;
  const box = $("share-box");
  const area = $<HTMLTextAreaElement>("share-text");
  $("share-label").textContent = kind === "share" ? "Link to this experiment" : "Embed this experiment in your page";
  area.value = text;
  box.hidden = false;
  let copied = false;
  try {
    await navigator.clipboard.writeText(text);
    copied = true;
  } catch {
    /* no clipboard permission (an insecure origin, a headless browser): the text is selectable */
  }
  area.focus();
  area.select();
  $("run-note").textContent = copied
    ? `${kind === "share" ? "Link" : "Embed code"} copied to the clipboard.`
    : `Copy the ${kind === "share" ? "link" : "embed code"} below.`;
}
$("share").addEventListener("click", () => void offer("share"));
$("embed").addEventListener("click", () => void offer("embed"));

for (const b of document.querySelectorAll<HTMLButtonElement>("[data-zoom]")) {
  b.addEventListener("click", () => timeline.zoom(Number(b.dataset.zoom)));
}

// ---- the backend

function showBackend(st: BackendStatus): void {
  const el = $("backend-status");
  el.dataset.state = st.kind;
  if (st.kind === "connected") {
    const i = st.info;
    el.textContent = `Native backend connected: ${i.cores} ${i.cores === 1 ? "core" : "cores"} (GOMAXPROCS ${i.gomaxprocs}), ${i.go_version}, ${i.os}/${i.arch}.`;
  } else if (st.kind === "connecting") {
    el.textContent = `Looking for the native backend at ${st.url}…`;
  } else {
    const code = document.createElement("code");
    code.textContent = "make run";
    el.textContent = `No native backend at ${st.url}: the browser variants still work. For threads and processes on your own cores, start it with `;
    el.append(code, " and press Connect.");
  }
  $<HTMLInputElement>("backend-url").value = st.url;
  updateAvailability();
  $("run-sweep").toggleAttribute("disabled", st.kind !== "connected");
}
backend.onStatus(showBackend);

$("backend-form").addEventListener("submit", (e) => {
  e.preventDefault();
  const input = $<HTMLInputElement>("backend-url");
  const bad = checkBackendURL(input.value.trim());
  input.setAttribute("aria-invalid", bad ? "true" : "false");
  if (bad) {
    $("backend-hint").textContent = bad;
    return;
  }
  saveBackendURL(input.value.trim());
  void backend.connect(input.value.trim());
});

// The browser's own limits, shown rather than hidden: they are part of the lesson.
$("browser-limit").textContent =
  `This page runs in ${browserName(navigator.userAgent)} on a machine with ${browserCores} logical ${browserCores === 1 ? "core" : "cores"}; ` +
  `browser runs use one of them (WebAssembly on the tab's thread), and the browser opens at most ${browserConnectionsPerHost} connections per host, so its event loop downloads ${browserConnectionsPerHost} pages at a time.`;

describeLesson(controls.value);
updateAvailability();
void findBackend().then(({ url }) => backend.connect(url));

// Load the engine once the page is idle, so the first browser run does not wait for it.
const idle = (window as Window & { requestIdleCallback?: (f: () => void) => void }).requestIdleCallback ?? ((f: () => void) => setTimeout(f, 200));
idle(() => {
  browserEngine().catch((e) => ($("run-note").textContent = `The browser engine did not load: ${(e as Error).message}`));
});

document.documentElement.dataset.ready = performance.now().toFixed(0);
