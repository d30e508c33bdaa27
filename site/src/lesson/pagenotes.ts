// The footer's notes on where this page runs: the browser's own limits (shown rather than
// hidden: they are part of the lesson) and, at the edge, what the Worker adds to the figures.

import { optionalId } from "../dom";
import { browserName } from "../labels";
import { browserConnectionsPerHost, connectionLimit } from "../presets";
import type { Where } from "../types";

/** Writes #browser-limit now; servedBy(where) writes #edge-note once the page's server is known. */
export function mountPageNotes(deps: { browserCores: number }): { servedBy(where: Where | null): void } {
  const limit = optionalId("browser-limit");
  const cores = deps.browserCores;
  if (limit) {
    limit.textContent =
      `This page runs in ${browserName(navigator.userAgent)} on a machine with ${cores} logical ${cores === 1 ? "core" : "cores"}. ` +
      `Browser runs use one thread (the engine's Web Worker), and ` +
      (connectionLimit() !== null
        ? `the browser opens at most ${browserConnectionsPerHost} HTTP/1.1 connections per host, so its event loop downloads ${browserConnectionsPerHost} pages at a time.`
        : `this page's server speaks HTTP/2, which carries every download on one connection, so the event loop starts them all at once.`);
  }
  return {
    // At the edge, the farm's pages cost the Worker's own start-up: say so beside the figures.
    servedBy(where) {
      const note = optionalId("edge-note");
      if (!note || where !== "edge") return;
      note.hidden = false;
      note.textContent =
        "This page and its site farm are served at the edge by a Cloudflare Worker written in Go. Every farm request starts a fresh " +
        "Go instance, which adds a few milliseconds to each download (about 8 ms one at a time, measured in Cloudflare's workerd) " +
        "and more while many are in flight, so browser I/O runs here include that cost on top of the asked latency.";
    },
  };
}
