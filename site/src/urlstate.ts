// The state in the URL's query, so a link reopens the same experiment: the page keeps its
// address in step with the form, and the share and embed links are built from the same query.
// Only values that differ from the preset's are written, so a link stays short.

import { defaultParams, presetByName, variantOrder } from "./presets";
import { stateForPreset, type PlaygroundState } from "./state";
import type { Experiment, RaceMode, Variant } from "./types";

const experiments: Experiment[] = ["io", "cpu", "race"];
const modes: RaceMode[] = ["unsafe", "mutex", "atomic"];

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
  const v = q.get("variant") as Variant;
  if (variantOrder.includes(v)) s.variant = v;
  const int = (name: string, lo: number, hi: number): number | undefined => {
    const raw = q.get(name);
    if (raw === null || !/^\d+$/.test(raw)) return undefined;
    const n = Number(raw);
    return n >= lo && n <= hi ? n : undefined;
  };
  s.workers = int("workers", 1, 10_000) ?? s.workers;
  s.params.tasks = int("tasks", 1, 100_000) ?? s.params.tasks;
  s.params.n = int("n", 1, 100_000_000) ?? s.params.n;
  s.params.delay = int("delay", 0, 10_000) ?? s.params.delay;
  s.params.size = int("size", 0, 1 << 20) ?? s.params.size;
  const m = q.get("mode") as RaceMode;
  if (modes.includes(m)) s.params.mode = m;
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
  if (!base || s.workers !== base.workers) q.set("workers", String(s.workers));
  if (s.params.tasks !== d.tasks) q.set("tasks", String(s.params.tasks));
  if (s.experiment === "cpu" && s.params.n !== d.n) q.set("n", String(s.params.n));
  if (s.experiment === "io" && s.params.delay !== d.delay) q.set("delay", String(s.params.delay));
  if (s.experiment === "io" && s.params.size !== d.size) q.set("size", String(s.params.size));
  if (s.experiment === "race" && s.params.mode !== d.mode) q.set("mode", s.params.mode);
  if (s.experiment === "race" && s.params.yield !== d.yield) q.set("yield", s.params.yield ? "1" : "0");
  return q;
}

/** The address of page (e.g. "/" or "/embed") with the state. */
export function linkTo(page: string, s: PlaygroundState, cores: number): string {
  const u = new URL(page, location.href);
  u.search = queryFromState(s, cores).toString();
  u.hash = "";
  return u.toString();
}
