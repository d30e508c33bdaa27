// The connections a browser gives one host, which bound the event loop's concurrent downloads.
// Here, in the engine's folder, because the engine sets its default worker count by it; the
// page (presets.ts) re-exports it for its hints and lane names.

import { browserConnectionsPerHost } from "../gen/facts.gen";

/** Chromium opens at most this many HTTP/1.1 connections per host: the event loop's I/O lanes (the Go side's number). */
export { browserConnectionsPerHost };

/**
 * The connections the event loop's downloads share here: six over HTTP/1.1, none to count over
 * HTTP/2 or HTTP/3, which carry every request on one connection. The protocol is the one this
 * page was loaded over (its navigation entry's nextHopProtocol): the farm is this page's origin,
 * so its requests go the same way. Where the browser does not say (an empty or unknown value),
 * the scheme guesses: http: is HTTP/1.1 (a local backend), https: HTTP/2 (such as the edge).
 * The engine client (index.ts) sends this decision with each run.
 */
export function connectionLimit(): number | null {
  const nav = typeof performance === "undefined" ? undefined : performance.getEntriesByType?.("navigation")[0];
  const protocol = (nav as PerformanceNavigationTiming | undefined)?.nextHopProtocol ?? "";
  if (protocol === "http/1.1" || protocol === "http/1.0") return browserConnectionsPerHost;
  if (protocol === "h2" || protocol === "h2c" || protocol === "h3" || protocol.startsWith("h3-")) return null;
  return location.protocol === "http:" ? browserConnectionsPerHost : null;
}
