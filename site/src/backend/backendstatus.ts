// The backend's status line (#backend-status): looking, connected (and on what machine), or
// unreachable with how to start one; its Retry button and the address form. A backend that goes
// away ends the queued backend runs at once, with the reason.

import type { Backend, BackendStatus } from "./backend";
import { checkBackendURL, saveBackendURL } from "./backend";
import { byId, optionalId } from "../dom";
import { InstallCommandView } from "./installview";
import { Poll } from "./poll";
import type { RunNote } from "../run/note";
import type { RunQueue } from "../run/runs";
import type { Info, Where } from "../types";
import { pythonLabel } from "../labels";

export interface BackendStatusDeps {
  backend: Backend;
  queue: RunQueue;
  note: RunNote;
  /** Who served this page: "native" (native serve), "edge", or null (a static copy, or not known yet). */
  servedBy(): Where | null;
  /** The status changed: the buttons' availability follows. */
  changed(): void;
}

export function mountBackendStatus(el: HTMLElement, deps: BackendStatusDeps): void {
  const { backend, queue } = deps;
  const retry = optionalId("backend-retry");
  const installEl = optionalId("install-command");
  const install = installEl ? new InstallCommandView(installEl) : null;
  const poll = new Poll(() => void backend.connect(backend.status.url));

  function show(st: BackendStatus): void {
    // while the install command is up the page keeps trying quietly: a try is not news
    if (st.kind === "connecting" && poll.active) return;
    if (st.kind !== "unreachable") {
      poll.stop();
      install?.hide();
    }
    el.dataset.state = st.kind;
    if (retry) retry.hidden = st.kind !== "unreachable";
    if (!st.url) {
      el.textContent = "Looking for the native backend…"; // before the first try: where to look is not known yet
    } else if (st.kind === "connected") {
      const i = st.info;
      el.textContent = `Native backend connected: ${i.cores} ${i.cores === 1 ? "core" : "cores"} (GOMAXPROCS ${i.gomaxprocs}), ${i.go_version}, ${i.os}/${i.arch}. ${pythonsText(i)}`;
    } else if (st.kind === "connecting") {
      el.textContent = `Looking for the native backend at ${st.url}…`;
    } else {
      // queued backend runs cannot start now: end them at once, with the reason, rather than
      // letting each fail in turn. A page native serve served has its download farm on that
      // server too: its browser I/O runs cannot download either, and go the same way.
      const farmGone = sameServer(st.url, deps.servedBy());
      let dropped = queue.dropQueued((r) => r.where !== "browser", `canceled before it started: the backend disconnected (${st.reason})`);
      const droppedIO = farmGone
        ? queue.dropQueued((r) => r.where === "browser" && r.job.experiment === "io", "canceled before it started: its downloads come from the farm on the server that served this page, which stopped")
        : 0;
      dropped += droppedIO;
      // the run that was going ends just after this: its note says what went with it
      if (dropped && queue.busy) deps.note.droppedWithRun(dropped, droppedIO ? "runs" : "backend runs");
      const head = farmGone
        ? `No native backend at ${st.url}: ${st.reason}. This page's download farm is on that server too, so the browser's I/O variants need it as well; the CPU and race variants still run in this browser. For the rest, `
        : `No native backend at ${st.url}: ${st.reason}. The browser variants still work; for threads and processes on your own cores, `;
      const code = document.createElement("code");
      if (deps.servedBy() === "native") {
        // this page came from native serve, so the backend is its own origin: it only has to run again
        code.textContent = "make run";
        el.textContent = `${head}start it again with `;
        el.append(code, ", then retry.");
      } else if (install && deps.servedBy() === "edge") {
        // the Worker serves the release and writes its origin into the install scripts
        el.textContent = blocked(st.reason)
          ? `This browser does not let an https page reach the backend on your machine (${st.reason}). `
          : `${head}run this on your machine; it downloads the backend from this site, checks it and starts it for this page, which then connects by itself.`;
        install.show(location.origin, st.url);
        showFallback(blocked(st.reason));
        if (!blocked(st.reason)) poll.start(); // a refusal is the browser's: trying again changes nothing
      } else {
        // a static copy on another origin: a plain `make run` refuses this origin,
        // so say how to allow it (and, for a public page, that the browser asks first)
        code.textContent = `./bin/native serve -allow-origin ${location.origin}`;
        el.textContent = `${head}build it (make build) and start it with `;
        el.append(code, ", then retry.");
        if (!/^(127\.|localhost$|\[::1\]$)/.test(location.hostname)) {
          el.append(" Your browser may ask whether this page may reach devices on your local network: allow it for the backend.");
        }
      }
    }
    const input = optionalId<HTMLInputElement>("backend-url");
    if (input && document.activeElement !== input) input.value = st.url;
    deps.changed();
  }
  // Where a browser refuses (or may refuse) an https page's socket to this machine, the way that
  // always works: the backend serves the whole playground itself (docs/loopback-browsers.md).
  function showFallback(refused: boolean): void {
    const p = optionalId("install-fallback");
    if (!p) return;
    const loopbackPage = /^(127\.|localhost$|\[::1\]$)/.test(location.hostname);
    p.hidden = !refused && (location.protocol !== "https:" || loopbackPage);
    if (p.hidden) return;
    const a = document.createElement("a");
    a.href = a.textContent = pageOf(backend.status.url);
    p.textContent = refused
      ? "Open "
      : "Your browser may ask whether this page may reach devices on your local network: allow it. If it refuses (Safari does), open ";
    p.append(a, " once the backend runs: it serves this whole playground itself. Add -open to the command and it opens that page for you.");
  }
  backend.onStatus(show);
  retry?.addEventListener("click", () => void backend.connect(backend.status.url));

  optionalId("backend-form")?.addEventListener("submit", (e) => {
    e.preventDefault();
    const input = byId<HTMLInputElement>("backend-url");
    const url = input.value.trim();
    const bad = checkBackendURL(url);
    input.setAttribute("aria-invalid", bad ? "true" : "false");
    const hint = optionalId("backend-hint");
    if (bad) {
      if (hint) hint.textContent = bad;
      return;
    }
    saveBackendURL(url);
    void backend.connect(url);
  });
}

/**
 * Whether the backend at url is the server that served this page (native serve, on the page's
 * own origin): then the browser's download farm (the page's /farm/) is on it as well.
 */
/** What the backend offers of CPython, or how to make it offer one. */
export function pythonsText(i: Info): string {
  const ps = i.pythons ?? [];
  if (!ps.length) return "No CPython offered: start the backend with -python PATH (or with python3 on its PATH) to run the lesson's own scripts beside Go.";
  return `CPython offered: ${ps.map((p) => pythonLabel(p)).join("; ")}.`;
}

function sameServer(url: string, servedBy: Where | null): boolean {
  if (servedBy !== "native") return false;
  try {
    return new URL(url, location.href).host === location.host;
  } catch {
    return false;
  }
}

/** Whether a socket's failure says the browser refused it (mixed content), not the backend. */
function blocked(reason: string): boolean {
  return /insecure|security|mixed content/i.test(reason);
}

/** The page the backend at a ws:// URL serves itself: http://host:port/. */
function pageOf(wsURL: string): string {
  try {
    const u = new URL(wsURL);
    return `http://${u.host}/`;
  } catch {
    return "http://127.0.0.1:8080/";
  }
}
