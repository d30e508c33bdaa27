// The embeddable view's entry (embed.html, served at /embed): one experiment in a compact card
// that another site frames. The URL configures it (the playground's state keys, plus theme and
// autorun); the card sizes its frame to its content and talks to the host page through a small
// postMessage API (docs/embed.md), every message namespaced "concurrency-playground:".
//
//   to the host:   ready, state, run-started, result, run-failed, resize, error
//   from the host: run {where?}, set {params}, cancel
//
// Commands are acted on only when they come from the window that frames this one: another
// frame of the host page, or a popup, cannot drive the reader's CPU. A run command that would
// start a native run (the reader's own backend, every core) is never started by the command
// alone: the card shows what the host page asks and a "Run on your backend" button, and the
// reader's press of it starts that one run (hostrequest.ts). Browser runs need no click: they
// use one thread of the reader's tab, which the host page has anyway.
import "./style.css";
import { mountPlayground } from "./playground";
import { browserVariants } from "./presets";
import type { Run } from "./run/runs";
import type { PlaygroundState } from "./state";
import type { Result } from "./types";
import { applyParams, queryFromState } from "./share/urlstate";
import { HostRequest } from "./backend/hostrequest";

const ns = "concurrency-playground:";
const framed = window.parent !== window;
const params = new URLSearchParams(location.search);

/**
 * Posts an event to the host page. Any origin may read the events (the host is not known in
 * advance), so they carry what a run measured and where (docs/embed.md lists it), never the
 * reader's user agent: posted results leave machine.agent out (agentless).
 */
function post(type: string, data: Record<string, unknown> = {}): void {
  if (framed) window.parent.postMessage({ ...data, type: ns + type, v: 1 }, "*");
}

/** The playground once mounted: its first state event is posted while it mounts, before pg exists. */
let mounted: ReturnType<typeof mountPlayground> | null = null;
const cores = () => mounted?.backend.info?.cores ?? (navigator.hardwareConcurrency || 1);
const stateQuery = (s: PlaygroundState) => Object.fromEntries(queryFromState(s, cores()));
const runInfo = (run: Run) => ({ id: run.id, where: run.where, variant: run.variant, job: run.job });
function agentless(result: Result): Result {
  if (!result.machine?.agent) return result;
  const { agent: _agent, ...machine } = result.machine;
  return { ...result, machine };
}

// The code view is folded in the compact card; code=1 opens it, code=0 leaves it out
// (docs/embed.md): the playground mounts what is left
const codeFold = document.getElementById("code-fold") as HTMLDetailsElement | null;
if (params.get("code") === "0") codeFold?.remove();
else if (codeFold) codeFold.open = params.get("code") === "1";

const pg = mountPlayground({
  syncURL: false,
  framed,
  onState: (s) => post("state", { state: stateQuery(s) }),
  onRunStart: (run) => post("run-started", { run: runInfo(run) }),
  onResult: (result, run) => post("result", { run: runInfo(run), result: agentless(result) }),
  onRunFailed: (run) => post("run-failed", { run: runInfo(run), status: run.status, error: run.error ?? "" }),
  // data-predict: the reader orders the variants before "Run all" runs them
  predict: params.get("predict") === "1" || params.get("predict") === "true" ? "ask" : "off",
});
mounted = pg;

// ---- auto-height: the host sizes the frame to the card (the kit does; docs/embed.md shows how)

let lastHeight = 0;
const height = () => Math.ceil(document.body.getBoundingClientRect().height);
new ResizeObserver(() => {
  const h = height();
  if (h !== lastHeight) {
    lastHeight = h;
    post("resize", { height: h });
  }
}).observe(document.body);

// ---- commands from the host page

// A native run the host page asks for waits here for the reader's press; a set or a cancel
// from the host withdraws it, so the press always runs what the card shows.
const hostRequest = new HostRequest(document.querySelector("#controls .actions"), (where) => {
  if (!pg.run(where)) post("error", { command: "run", message: predictFirst });
});
const predictFirst = "the reader has not made a prediction yet (predict=1): every variant runs once they have ordered the list or kept its order";

window.addEventListener("message", (e: MessageEvent) => {
  if (!framed || e.source !== window.parent) return;
  const d = e.data as { type?: unknown; where?: unknown; params?: unknown } | null;
  if (typeof d !== "object" || d === null || typeof d.type !== "string" || !d.type.startsWith(ns)) return;
  const command = d.type.slice(ns.length);
  const fail = (message: string) => post("error", { command, message });
  switch (command) {
    case "run": {
      const s = pg.state;
      const where = d.where ?? (browserVariants.includes(s.variant) ? "browser" : "native");
      if (where !== "browser" && where !== "native" && where !== "all") return fail(`where: ${String(where)} is not one of browser, native, all`);
      if (where === "browser" && !browserVariants.includes(s.variant)) return fail(`the ${s.variant} variant does not run in the browser`);
      if (where === "native" && !pg.backend.info) return fail("no native backend is connected (the reader starts one with make run)");
      // the prediction comes first: no run of any kind starts before it, native or not
      if (where === "all" && pg.awaitsPrediction()) return fail(predictFirst);
      const native = where === "native" || (where === "all" && pg.backend.info !== null);
      if (native) {
        hostRequest.ask(where, where === "all" ? "every variant, the native ones" : pg.state.variant);
        return fail(
          `a ${where === "all" ? "run on every variant includes native runs, which need" : "native run needs"} the reader's click for that run: ` +
            `the card asks them with a “Run on your backend” button, and the run starts when they press it (where: "browser" runs need no click)`,
        );
      }
      if (!pg.run(where)) return fail(predictFirst);
      return;
    }
    case "set": {
      const { state, errors } = applyParams(pg.state, d.params, cores());
      if (!state) return fail(errors.join("; "));
      hostRequest.withdraw();
      pg.setState(state);
      return;
    }
    case "cancel":
      hostRequest.withdraw();
      pg.cancel();
      return;
    default:
      // "concurrency-playground:resize" and the other events are ours going out, not commands
      if (!["ready", "state", "run-started", "result", "run-failed", "resize", "error"].includes(command)) fail(`${command} is not a command; the commands are run, set, cancel`);
  }
});

post("ready", { state: stateQuery(pg.state), height: (lastHeight = height()) });

// ---- autorun: off by default, so a page of embeds does not burn the reader's CPU; when on,
// the experiment's browser variants run once, when the card first comes into view and the
// backend check is over. The native ones wait for the reader's click: a URL the host page
// chose must not start work on the reader's own backend, as a host's run command may not.

if (params.get("autorun") === "1" || params.get("autorun") === "true") {
  void pg.backendChecked.then(() => {
    const io = new IntersectionObserver((entries) => {
      if (!entries.some((e) => e.isIntersecting)) return;
      io.disconnect();
      pg.run("all", { browserOnly: true });
    }, { threshold: 0.2 });
    io.observe(document.body);
  });
}
