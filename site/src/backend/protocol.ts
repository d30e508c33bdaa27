// The WebSocket messages between the page and the native backend, as docs/protocol.md (the
// contract) and internal/protocol/messages.go write them, and the check of what arrives: the
// backend is another program, perhaps another version, so nothing it sends is trusted
// unread. The messages' types, the names and the version come from the Go side (src/gen).

import { errorCodes, protocolVersion, stateNames, variants, wheres, type ErrorCode, type StateName, type Where } from "../gen/facts.gen";
import { serverMessageTypes, type ServerMessage } from "../gen/protocol.gen";
import { checkResult } from "../share/snapshot";

// The messages themselves are generated from internal/protocol's structs.
export type { ClientMessage, ServerMessage, WireSpan } from "../gen/protocol.gen";

/**
 * A message that arrived, checked: the message, or what was wrong with it, with its type and
 * the run it names, so that a malformed message about a run can end that run with the reason.
 */
export type Received =
  | { ok: true; msg: ServerMessage }
  | { ok: false; type: ServerMessage["type"]; id: string | undefined; problem: string };

type Fields = Record<string, unknown>;
const isObject = (v: unknown): v is Fields => typeof v === "object" && v !== null && !Array.isArray(v);
const isInt = (v: unknown, lo: number): v is number => Number.isInteger(v) && (v as number) >= lo;
const isStr = (v: unknown): v is string => typeof v === "string" && v.length > 0 && v.length <= 400;
const isTime = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v) && v >= 0;

/**
 * The info a hello (or /api/info) carries, checked before the page relies on it: the status
 * line, the worker bounds and the offered variants all read it. Returns what was wrong, or null.
 */
export function infoProblem(i: unknown): string | null {
  if (!isObject(i)) return "it sent no description of its machine";
  for (const k of ["version", "go_version", "os", "arch"]) if (!isStr(i[k])) return `its ${k} is missing`;
  if (!wheres.includes(i.where as Where)) return "its where is missing";
  if (!isInt(i.cores, 1) || !isInt(i.gomaxprocs, 0)) return "its core count is missing";
  if (!Array.isArray(i.variants) || !i.variants.every((v) => variants.includes(v))) return "its variants are not ones this page knows";
  const l = i.limits;
  if (!isObject(l)) return "its limits are missing";
  for (const k of ["workers", "process_workers", "tasks", "n", "work", "size"]) if (!isInt(l[k], 0)) return `its limits.${k} is missing`;
  const ps = i.pythons;
  if (ps !== undefined && !(Array.isArray(ps) && ps.every((p) => isObject(p) && isStr(p.id) && isStr(p.version) && typeof p.gil === "boolean"))) {
    return "its pythons are not a list of interpreters (id, version, gil)";
  }
  return null;
}

function spanProblem(s: unknown): string | null {
  if (!Array.isArray(s) || s.length !== 5) return "a span is not [worker, task, state, start_ns, end_ns]";
  const [worker, task, state, start, end] = s as unknown[];
  if (!isInt(worker, 0) || !isInt(task, -1)) return "a span's worker or task is not a whole number";
  if (!stateNames.includes(state as StateName)) return `a span's state ${JSON.stringify(state)} is not one of ${stateNames.join(", ")}`;
  if (!isTime(start) || !isTime(end) || end < start) return "a span's times are not a start and an end in ns";
  return null;
}

/** What is wrong with the fields of a message of a known type, or null. */
function fieldsProblem(m: Fields): string | null {
  switch (m.type) {
    case "hello":
      return m.protocol !== protocolVersion
        ? `it speaks protocol ${JSON.stringify(m.protocol)} and this page speaks ${protocolVersion}: rebuild the page and the backend from the same version`
        : infoProblem(m.info);
    case "spans":
      if (!Array.isArray(m.spans)) return "its spans are missing";
      for (const s of m.spans) {
        const bad = spanProblem(s);
        if (bad) return bad;
      }
      return null;
    case "progress":
      return isInt(m.done, 0) && isInt(m.total, 0) ? null : "its done and total are not counts";
    case "result": {
      const r = m.result;
      if (!isObject(r) || !checkResult(r)) return "its result lacks a field the page reads, or one is out of range";
      return Array.isArray(r.results) && r.results.every((x) => typeof x === "string") ? null : "its results are not a list of texts";
    }
    case "error":
      if (!errorCodes.includes(m.code as ErrorCode)) return `its code ${JSON.stringify(m.code)} is not one of ${errorCodes.join(", ")}`;
      return typeof m.message === "string" ? null : "its message is missing";
  }
  return null;
}

/**
 * A text frame from the backend, checked. Null for what is not ours to act on: anything but a
 * JSON object, or a type this page does not know (a newer backend may add one). The id of a
 * run-message must be a string, since it is how a message finds its run.
 */
export function readServerMessage(text: string): Received | null {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isObject(v) || typeof v.type !== "string" || !serverMessageTypes.includes(v.type as ServerMessage["type"])) return null;
  const type = v.type as ServerMessage["type"];
  const id = typeof v.id === "string" ? v.id : undefined;
  const problem = type !== "hello" && type !== "error" && id === undefined ? "its id is missing" : fieldsProblem(v);
  if (problem) return { ok: false, type, id, problem };
  return { ok: true, msg: v as unknown as ServerMessage };
}

