// The Worker's JavaScript half (package bridge is the Go half): it replaces the worker.mjs that
// syumai/workers generates, keeping that package's wasm_exec.js and runtime.mjs. syumai's starts
// a fresh Go instance for every request; this one starts one on the first request and keeps it,
// so a request costs a call into Go instead of a Go start-up (docs/edge.md).
//
// workerd binds timers, streams and promises to the request that made them, while Go runs on
// whichever request's event woke it. So nothing of one request is touched on another's turn:
// - Go gets plain values (the body read whole) and answers with plain values, from which the
//   request builds its own Response;
// - Go's timers (its scheduler's wake-ups, the farm's delay among them) are not setTimeout calls
//   made on the turn that asked for them, which end with that request: each request in flight
//   keeps its own timer for the earliest wake-up Go asked for, until it has its answer.
import "./wasm_exec.js";
import { createRuntimeContext, loadModule } from "./runtime.mjs";

// syumai's Go package calls tryCatch from its init (as its own worker.mjs defines it).
globalThis.tryCatch = (fn) => {
  try {
    return { result: fn() };
  } catch (error) {
    return { error };
  }
};

// The status codes whose Response has no body (as syumai's Go side sends them).
const bodiless = new Set([101, 204, 205, 304]);

let instance; // a promise of the running Go instance; unset when none is running
let nextID = 0;
const waiting = new Map(); // request id → { resolve, reject } until Go answers
const timeouts = new Map(); // Go's timeout id → when it is due (performance.now() ms)
const wakers = new Set(); // one per request in flight: wakes its timer loop

function start(env, ctx) {
  const go = new Go();
  const binding = {
    respond(id, status, statusText, headers, body) {
      waiting.get(id)?.resolve({ status, statusText, headers, body });
      waiting.delete(id);
    },
    fail(id, message) {
      waiting.get(id)?.reject(new Error(message));
      waiting.delete(id);
    },
  };
  const gojs = go.importObject.gojs;
  // func scheduleTimeoutEvent(delay int64) int32: remember when; the requests' loops wake Go.
  gojs["runtime.scheduleTimeoutEvent"] = (sp) => {
    sp >>>= 0;
    const delay = go.mem.getUint32(sp + 8, true) + go.mem.getInt32(sp + 12, true) * 4294967296;
    const id = go._nextCallbackTimeoutID++;
    timeouts.set(id, performance.now() + delay);
    go.mem.setInt32(sp + 16, id, true);
    for (const wake of wakers) wake(); // each loop sets its timer again, as this may be sooner
  };
  // func clearTimeoutEvent(id int32)
  gojs["runtime.clearTimeoutEvent"] = (sp) => {
    timeouts.delete(go.mem.getInt32((sp >>> 0) + 8, true));
  };
  // Go's exit, however it comes (a fatal error included), ends the instance at once.
  const exit = gojs["runtime.wasmExit"];
  gojs["runtime.wasmExit"] = (sp) => {
    exit(sp);
    stopped(running, "the Go instance exited");
  };
  const running = (async () => {
    const mod = await loadModule();
    let ready;
    const readied = new Promise((resolve) => (ready = resolve));
    const inst = new WebAssembly.Instance(mod, { ...go.importObject, workers: { ready: () => ready() } });
    const exited = go.run(inst, createRuntimeContext({ env, ctx, binding }));
    await Promise.race([readied, exited.then(() => Promise.reject(new Error("the Go instance exited before it was ready")))]);
    return { go, binding };
  })();
  running.catch(() => stopped(running, "the Go instance did not start"));
  return running;
}

// stopped forgets an instance that ended and fails the requests it still owed an answer; the
// next request starts a new one.
function stopped(running, why) {
  if (instance !== running) return;
  instance = undefined;
  for (const { reject } of waiting.values()) reject(new Error(why));
  waiting.clear();
  timeouts.clear();
}

// enter runs Go (a call into it or a wake-up); an exception out of it (a trap) ends the instance.
function enter(running, fn) {
  try {
    fn();
  } catch (e) {
    stopped(running, `the Go instance failed: ${e}`);
    throw e;
  }
}

// wakeGo resumes Go for every timeout that is due, as wasm_exec.js's own timer would.
function wakeGo(running, go) {
  const now = performance.now();
  for (const [id, due] of timeouts) {
    if (due <= now && timeouts.delete(id)) enter(running, () => go._resume());
  }
}

// untilAnswered keeps this request's timer for Go's earliest wake-up until the answer is in.
async function untilAnswered(running, go, answer) {
  let answered = false;
  const settled = answer.then(
    () => (answered = true),
    () => (answered = true),
  );
  while (!answered) {
    let wake;
    const woken = new Promise((resolve) => (wake = resolve));
    wakers.add(wake);
    const due = Math.min(...timeouts.values());
    const timer = due === Infinity ? undefined : setTimeout(wake, Math.max(0, due - performance.now()));
    await Promise.race([settled, woken]);
    wakers.delete(wake);
    clearTimeout(timer);
    if (!answered) wakeGo(running, go);
  }
}

async function fetch(req, env, ctx) {
  const running = (instance ??= start(env, ctx));
  const { go, binding } = await running;
  let body = null;
  if (req.body !== null) {
    if (Number(req.headers.get("Content-Length")) > binding.maxBody) return tooLarge(binding);
    body = new Uint8Array(await req.arrayBuffer());
    if (body.length > binding.maxBody) return tooLarge(binding);
  }
  let headers = "";
  for (const [name, value] of req.headers) headers += name + "\0" + value + "\0";
  const id = nextID++;
  const answer = new Promise((resolve, reject) => waiting.set(id, { resolve, reject }));
  enter(running, () => binding.serve(id, req.method, req.url, headers, body));
  await untilAnswered(running, go, answer);
  return toResponse(await answer);
}

function toResponse({ status, statusText, headers, body }) {
  const h = new Headers();
  const kv = headers.split("\0");
  for (let i = 0; i + 1 < kv.length; i += 2) h.append(kv[i], kv[i + 1]);
  const init = { status, statusText, headers: h };
  if (bodiless.has(status)) return new Response(null, init);
  return new Response(body, init);
}

function tooLarge(binding) {
  return new Response(`request body over ${binding.maxBody} bytes\n`, { status: 413 });
}

export default { fetch };
