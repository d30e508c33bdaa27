// The state in the URL's query, so a link reopens the same experiment: the page keeps its
// address in step with the form, and the share and embed links are built from the same query.
// Only values that differ from the preset's are written, so a link stays short. The same keys
// name the parameters everywhere a state is written down: an embed's URL, the embed kit's
// data-* attributes, the postMessage API's "set" command and the oEmbed endpoint.

import { boundsOf, intParams, wholeNumberError, type IntParam } from "../form/bounds";
import { defaultParams, presetByName, variantOrder } from "../presets";
import { stateForPreset, type PlaygroundState } from "../state";
import { experiments, raceModes } from "../gen/facts.gen";
import type { Experiment, RaceMode, Variant } from "../types";

/** Every key a state query may hold. */
export const stateKeys = ["preset", "experiment", "variant", "variants", "mode", "yield", ...(Object.keys(intParams) as IntParam[])];

/** "sequential,eventloop" → the known variants, once each, in the page's order; [] if none. */
export function parseVariants(list: string): Variant[] {
  const asked = list.split(",").map((v) => v.trim());
  return variantOrder.filter((v) => asked.includes(v));
}

/** Query → state. Anything unknown or out of range falls back to the preset's value. */
export function stateFromQuery(q: URLSearchParams, cores: number): PlaygroundState {
  const s = stateForPreset(q.get("preset") ?? "", cores);
  if (!presetByName(q.get("preset") ?? "")) {
    const e = q.get("experiment") as Experiment;
    if (experiments.includes(e)) {
      if (e !== s.experiment) {
        s.experiment = e;
        s.params = defaultParams(e);
      }
      s.preset = "";
    }
  }
  const offered = parseVariants(q.get("variants") ?? "");
  if (offered.length) s.variants = offered;
  const v = q.get("variant") as Variant;
  if (variantOrder.includes(v)) s.variant = v;
  if (!s.variants.includes(s.variant)) s.variant = s.variants[0]!; // only an offered variant is chosen
  const int = (name: IntParam): number | undefined => {
    const raw = q.get(name);
    if (raw === null || !/^\d+$/.test(raw)) return undefined;
    const n = Number(raw);
    const [lo, hi] = boundsOf(name, s.variant); // a process pool's workers are bounded by the processes
    return n >= lo && n <= hi ? n : undefined;
  };
  s.workers = int("workers") ?? s.workers;
  s.params.tasks = int("tasks") ?? s.params.tasks;
  s.params.n = int("n") ?? s.params.n;
  s.params.delay = int("delay") ?? s.params.delay;
  s.params.size = int("size") ?? s.params.size;
  s.params.repeat = int("repeat") ?? s.params.repeat;
  const m = q.get("mode") as RaceMode;
  if (raceModes.includes(m)) s.params.mode = m;
  if (q.has("yield")) s.params.yield = q.get("yield") === "1";
  return s;
}

/** State → query, with only what differs from the preset (or the experiment's defaults). */
export function queryFromState(s: PlaygroundState, cores: number): URLSearchParams {
  const q = new URLSearchParams();
  const base = s.preset ? stateForPreset(s.preset, cores) : null;
  if (base) q.set("preset", s.preset);
  else q.set("experiment", s.experiment);
  const d = base?.params ?? defaultParams(s.experiment);
  if (!base || s.variant !== base.variant) q.set("variant", s.variant);
  if (s.variants.length && s.variants.length < variantOrder.length) q.set("variants", s.variants.join(","));
  if (!base || s.workers !== base.workers) q.set("workers", String(s.workers));
  if (s.params.tasks !== d.tasks) q.set("tasks", String(s.params.tasks));
  if (s.experiment === "cpu" && s.params.n !== d.n) q.set("n", String(s.params.n));
  if (s.experiment === "io" && s.params.delay !== d.delay) q.set("delay", String(s.params.delay));
  if (s.experiment === "io" && s.params.size !== d.size) q.set("size", String(s.params.size));
  if (s.experiment === "race" && s.params.mode !== d.mode) q.set("mode", s.params.mode);
  if (s.experiment === "race" && s.params.yield !== d.yield) q.set("yield", s.params.yield ? "1" : "0");
  if (s.params.repeat !== d.repeat) q.set("repeat", String(s.params.repeat));
  return q;
}

/** The address of page (e.g. "/" or "/embed") with the state and any extra parameters. */
export function linkTo(page: string, s: PlaygroundState, cores: number, extra: Record<string, string> = {}): string {
  const u = new URL(page, location.href);
  const q = queryFromState(s, cores);
  for (const [k, v] of Object.entries(extra)) q.set(k, v);
  u.search = q.toString();
  u.hash = "";
  return u.toString();
}

/**
 * Parameters given by another program (the postMessage API's "set", keys as in the URL) on top
 * of the current state: the new state, or what was wrong with them. Unlike a URL typed by
 * hand, nothing is silently dropped: a tutorial's script learns at once what it got wrong.
 * A new preset or experiment starts from its own defaults, then the other keys apply.
 */
export function applyParams(current: PlaygroundState, params: unknown, cores: number): { state?: PlaygroundState; errors: string[] } {
  if (typeof params !== "object" || params === null || Array.isArray(params)) {
    return { errors: ["params: want an object such as {\"preset\":\"cpu_mp\",\"workers\":4}"] };
  }
  const given = params as Record<string, unknown>;
  const q = "preset" in given || "experiment" in given ? new URLSearchParams() : queryFromState(current, cores);
  if (!("variants" in given) && current.variants.length < variantOrder.length) q.set("variants", current.variants.join(","));
  // one check per key, in the order given; a whole number's waits for the state, whose variant
  // bounds the workers (a process pool's are the processes, as the form's and the backend's)
  const checks: ((s: PlaygroundState) => string | null)[] = [];
  const say = (text: string | null) => checks.push(() => text);
  for (const [k, raw] of Object.entries(given)) {
    const v = typeof raw === "boolean" ? (raw ? "1" : "0") : typeof raw === "number" || typeof raw === "string" ? String(raw) : null;
    if (!stateKeys.includes(k)) {
      say(`${k}: not a parameter; the parameters are ${stateKeys.join(", ")}`);
      continue;
    }
    if (v === null) {
      say(`${k}: want a string or a number`);
      continue;
    }
    if (k in intParams) {
      checks.push((s) => wholeNumberError(k, v, ...boundsOf(k as IntParam, s.variant))?.replace(/\.$/, "") ?? null);
    } else if (k === "preset" && !presetByName(v)) {
      say(`preset: ${v} is not a preset`);
    } else if (k === "experiment" && !experiments.includes(v as Experiment)) {
      say(`experiment: ${v} is not one of ${experiments.join(", ")}`);
    } else if (k === "variant" && !variantOrder.includes(v as Variant)) {
      say(`variant: ${v} is not one of ${variantOrder.join(", ")}`);
    } else if (k === "variants" && parseVariants(v).length === 0) {
      say(`variants: ${v} names none of ${variantOrder.join(", ")}`);
    } else if (k === "mode" && !raceModes.includes(v as RaceMode)) {
      say(`mode: ${v} is not one of ${raceModes.join(", ")}`);
    } else if (k === "yield" && v !== "0" && v !== "1") {
      say("yield: want true or false");
    }
    q.set(k, v);
  }
  // a value out of its bounds does not reach the state (stateFromQuery keeps the last good one)
  const state = stateFromQuery(q, cores);
  const errors = checks.map((c) => c(state)).filter((e): e is string => e !== null);
  return errors.length ? { errors } : { state, errors };
}

/**
 * The whole numbers a link asked for that its state does not hold (out of their bounds, or not
 * whole numbers): the page puts them in the form as if typed, so they are refused the same way,
 * in sight, rather than dropped without a word.
 */
export function refusedInQuery(q: URLSearchParams, s: PlaygroundState): [IntParam, string][] {
  const held: Record<IntParam, number> = { workers: s.workers, ...s.params };
  const out: [IntParam, string][] = [];
  for (const k of Object.keys(intParams) as IntParam[]) {
    const raw = q.get(k);
    if (raw !== null && !(/^\d+$/.test(raw.trim()) && Number(raw) === held[k])) out.push([k, raw]);
  }
  return out;
}
