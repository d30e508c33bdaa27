// The native backend, over its WebSocket (docs/protocol.md; the messages in protocol.ts): find
// it, connect, run one job at a time, stream its spans. Spans arrive as [[worker, task, "run",
// start, end], …] and leave this module as the flat SpanBatch the browser engine also
// produces, so the rest of the page sees one shape whatever ran the job.

import type { RunHandlers } from "../engine";
import { readServerMessage, type ClientMessage, type Received, type WireSpan } from "./protocol";
import { SPAN_FIELDS, stateNames, type Info, type Job, type Result, type SpanBatch } from "../types";

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

/** After a lost connection, tries again after 1, 2, 4, … seconds, up to this many times. */
const reconnectTries = 6;

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

  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private tries = 0;

  /** Connects (closing any previous connection) and waits for the hello. Never throws. */
  connect(url: string): Promise<void> {
    this.tries = 0;
    return this.open(url);
  }

  /**
   * A connection that was up and closed (the backend restarted, the laptop slept) is tried
   * again on its own, a few times with growing pauses; the reader's retry starts afresh.
   */
  private reconnectLater(url: string, reason: string): void {
    if (this.tries >= reconnectTries) {
      this.set({ kind: "unreachable", url, reason: `${reason}; gave up after ${reconnectTries} tries` });
      return;
    }
    const wait = 1000 * 2 ** this.tries++;
    this.set({ kind: "unreachable", url, reason: `${reason}; trying again in ${wait / 1000} s` });
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.open(url, true);
    }, wait);
  }

  private open(url: string, retrying = false): Promise<void> {
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
        // the protocol is JSON text frames of known types; anything else is not ours to act on
        const got = readServerMessage(String(ev.data));
        if (!got) return;
        if (helloed) return this.dispatch(got);
        if (got.ok && got.msg.type === "hello") {
          clearTimeout(timer);
          helloed = true;
          this.tries = 0;
          this.set({ kind: "connected", url, info: got.msg.info });
          return done();
        }
        if (got.ok || got.type !== "hello") return; // nothing counts before the hello
        // not a backend this page can use: say why, and do not try again on our own
        clearTimeout(timer);
        this.ws = null;
        ws.close();
        this.set({ kind: "unreachable", url, reason: got.problem });
        done();
      };
      ws.onclose = () => {
        clearTimeout(timer);
        if (this.ws !== ws) return; // a newer connection replaced this one, or the hello was refused
        this.ws = null;
        this.failPending(new RunError("failed", "the backend disconnected during the run (its connection closed)"));
        if (helloed || retrying) this.reconnectLater(url, helloed ? "the connection closed" : "it did not answer again");
        else this.set({ kind: "unreachable", url, reason: "nothing answered, or it refused this page's origin" });
        done();
      };
    });
  }

  close(): void {
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
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

  private dispatch(got: Received): void {
    const p = this.pending;
    const id = got.ok ? (got.msg.type === "hello" ? undefined : got.msg.id) : got.id;
    if (!p || id !== p.id) return; // a late message of a run already given up on
    if (!got.ok) {
      // the run cannot be followed any further: end it with the reason rather than show half of it
      this.pending = null;
      p.reject(new RunError("failed", `the backend sent a malformed ${got.type} message: ${got.problem}`));
      return;
    }
    const msg = got.msg;
    switch (msg.type) {
      case "spans":
        p.h.onSpans(flatten(msg.spans));
        break;
      case "progress":
        p.h.onProgress(msg.done, msg.total);
        break;
      case "result":
        this.pending = null;
        p.resolve(msg.result);
        break;
      case "error":
        this.pending = null;
        p.reject(new RunError(msg.code, msg.message || "the run failed"));
        break;
    }
  }

  private send(ws: WebSocket, msg: ClientMessage): void {
    ws.send(JSON.stringify(msg));
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
      this.send(ws, { type: "run", id, job });
    });
  }

  cancel(): void {
    const p = this.pending;
    if (p && this.ws) this.send(this.ws, { type: "cancel", id: p.id });
  }
}

function flatten(spans: WireSpan[]): SpanBatch {
  const out = new Float64Array(spans.length * SPAN_FIELDS);
  for (let i = 0, o = 0; i < spans.length; i++, o += SPAN_FIELDS) {
    const s = spans[i]!;
    out[o] = s[0];
    out[o + 1] = s[1];
    out[o + 2] = stateNames.indexOf(s[2]); // a known state: readServerMessage checked it
    out[o + 3] = s[3];
    out[o + 4] = s[4];
  }
  return out;
}
