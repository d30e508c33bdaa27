// The backend's status line (#backend-status): looking, connected (and on what machine), or
// unreachable with how to start one; its Retry button and the address form. A backend that goes
// away ends the queued backend runs at once, with the reason.

import type { Backend, BackendStatus } from "./backend";
import { checkBackendURL, saveBackendURL } from "./backend";
import { byId, optionalId } from "./dom";
import type { RunNote } from "./note";
import type { RunQueue } from "./runs";
import type { Where } from "./types";

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

  function show(st: BackendStatus): void {
    el.dataset.state = st.kind;
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
      if (dropped && queue.runs.some((r) => r.status === "running" && r.where === "native")) deps.note.droppedWithRun(dropped);
      const head = `No native backend at ${st.url}: ${st.reason}. The browser variants still work; for threads and processes on your own cores, `;
      const code = document.createElement("code");
      if (deps.servedBy() === "native") {
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
    const input = optionalId<HTMLInputElement>("backend-url");
    if (input && document.activeElement !== input) input.value = st.url;
    deps.changed();
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
