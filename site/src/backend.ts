// The native backend, over its WebSocket (DESIGN.md's protocol): find it, connect, run one job
// at a time, stream its spans. Spans arrive as [[worker, task, "run", start, end], …] and leave
// this module as the flat SpanBatch the browser engine also produces, so the rest of the page
// sees one shape whatever ran the job.

import { SPAN_FIELDS, stateNames, type Info, type Job, type Result, type SpanBatch } from "./types";

export interface RunHandlers {
  onSpans(batch: SpanBatch): void;
  onProgress(done: number, total: number): void;
}

export type BackendStatus =
  | { kind: "connecting"; url: string }
  | { kind: "connected"; url: string; info: Info }
  | { kind: "unreachable"; url: string; reason: string };

/** A run the backend refused or broke off: code is the protocol's (invalid, busy, limit, failed, canceled). */
export class RunError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
    this.name = "RunError";
  }
}

const settingKey = "playground.backend";
export const defaultBackendURL = "ws://127.0.0.1:8080/ws";

/** The backend URL the reader chose in the settings, or the default `make run` address. */
export function savedBackendURL(): string {
  try {
    return localStorage.getItem(settingKey) || defaultBackendURL;
  } catch {
    return defaultBackendURL; // storage can be disabled (a sandboxed frame, strict privacy settings)
  }
}

export function saveBackendURL(url: string): void {
  try {
    if (url === defaultBackendURL) localStorage.removeItem(settingKey);
    else localStorage.setItem(settingKey, url);
  } catch {
    /* the setting then lasts for this visit only */
  }
}

/** Checks a backend URL typed by the reader: ws: or wss:, with a host. */
export function checkBackendURL(text: string): string | null {
  try {
    const u = new URL(text);
    if (u.protocol !== "ws:" && u.protocol !== "wss:") return `"${text}" is not a ws:// or wss:// URL`;
    return null;
  } catch {
    return `"${text}" is not a URL; for example ${defaultBackendURL}`;
  }
}

/**
 * Where the page is served from decides where the backend is: when this origin's /api/info says
 * "native", the page came from `native serve` and its WebSocket is on the same origin; anywhere
 * else (the edge Worker, a static server) the reader's own backend is tried at the saved URL.
 */
export async function findBackend(): Promise<{ url: string; pageInfo: Info | null }> {
  let pageInfo: Info | null = null;
  try {
    const ctl = new AbortController();
    const timer = setTimeout(() => ctl.abort(), 2000);
    const res = await fetch("/api/info", { cache: "no-store", signal: ctl.signal });
    clearTimeout(timer);
    if (res.ok && (res.headers.get("content-type") ?? "").includes("json")) pageInfo = (await res.json()) as Info;
  } catch {
    /* no /api/info here: a static copy of the page */
  }
  if (pageInfo?.where === "native") {
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    return { url: `${scheme}//${location.host}/ws`, pageInfo };
  }
  return { url: savedBackendURL(), pageInfo };
}

interface Pending {
  id: string;
  h: RunHandlers;
  resolve(r: Result): void;
  reject(e: Error): void;
}

export class Backend {
  status: BackendStatus = { kind: "unreachable", url: "", reason: "not tried yet" };
  private ws: WebSocket | null = null;
  private pending: Pending | null = null;
  private seq = 0;
  private listeners: ((s: BackendStatus) => void)[] = [];

  onStatus(fn: (s: BackendStatus) => void): void {
    this.listeners.push(fn);
    fn(this.status);
  }

  private set(s: BackendStatus): void {
    this.status = s;
    for (const fn of this.listeners) fn(s);
  }

  get info(): Info | null {
    return this.status.kind === "connected" ? this.status.info : null;
  }

  /** Connects (closing any previous connection) and waits for the hello. Never throws. */
  connect(url: string): Promise<void> {
    this.close();
    this.set({ kind: "connecting", url });
    return new Promise((done) => {
      let ws: WebSocket;
      try {
        ws = new WebSocket(url);
      } catch (e) {
        this.set({ kind: "unreachable", url, reason: String((e as Error).message ?? e) });
        return done();
      }
      this.ws = ws;
      let helloed = false;
      const timer = setTimeout(() => {
        if (!helloed) ws.close();
      }, 4000);
      ws.onmessage = (ev) => {
        let msg: any;
        try {
          msg = JSON.parse(String(ev.data));
        } catch {
          return; // the protocol is JSON text frames; anything else is not ours to act on
        }
        if (msg.type === "hello") {
          helloed = true;
          clearTimeout(timer);
          this.set({ kind: "connected", url, info: msg.info as Info });
          done();
          return;
        }
        this.dispatch(msg);
      };
      ws.onclose = () => {
        clearTimeout(timer);
        if (this.ws !== ws) return; // a newer connection replaced this one
        this.ws = null;
        this.failPending(new RunError("failed", "the connection to the backend closed during the run"));
        this.set({
          kind: "unreachable",
          url,
          reason: helloed ? "the connection closed" : "nothing answered (or it refused this page's origin)",
        });
        done();
      };
    });
  }

  close(): void {
    const ws = this.ws;
    this.ws = null;
    ws?.close();
    this.failPending(new RunError("failed", "the connection to the backend was closed"));
  }

  private failPending(e: Error): void {
    const p = this.pending;
    this.pending = null;
    p?.reject(e);
  }

  private dispatch(msg: any): void {
    const p = this.pending;
    if (!p || msg.id !== p.id) return; // a late message of a run already given up on
    switch (msg.type) {
      case "spans":
        p.h.onSpans(flatten(msg.spans as [number, number, string, number, number][]));
        break;
      case "progress":
        p.h.onProgress(msg.done, msg.total);
        break;
      case "result":
        this.pending = null;
        p.resolve(msg.result as Result);
        break;
      case "error":
        this.pending = null;
        p.reject(new RunError(String(msg.code ?? "failed"), String(msg.message ?? "the run failed")));
        break;
    }
  }

  /** Runs job on the backend; rejects with a RunError. One run at a time, as the protocol says. */
  run(job: Job, h: RunHandlers): Promise<Result> {
    const ws = this.ws;
    if (!ws || this.status.kind !== "connected") {
      return Promise.reject(new RunError("failed", "the backend is not connected"));
    }
    if (this.pending) return Promise.reject(new RunError("busy", "a run is already going on the backend"));
    const id = `r${++this.seq}`;
    return new Promise((resolve, reject) => {
      this.pending = { id, h, resolve, reject };
      ws.send(JSON.stringify({ type: "run", id, job }));
    });
  }

  cancel(): void {
    const p = this.pending;
    if (p && this.ws) this.ws.send(JSON.stringify({ type: "cancel", id: p.id }));
  }
}

function flatten(spans: [number, number, string, number, number][]): SpanBatch {
  const out = new Float64Array(spans.length * SPAN_FIELDS);
  for (let i = 0, o = 0; i < spans.length; i++, o += SPAN_FIELDS) {
    const s = spans[i]!;
    out[o] = s[0];
    out[o + 1] = s[1];
    out[o + 2] = Math.max(0, stateNames.indexOf(s[2] as (typeof stateNames)[number]));
    out[o + 3] = s[3];
    out[o + 4] = s[4];
  }
  return out;
}
