// "One per core" was counted on this machine's cores at load, before any backend answered:
// when the first backend connects, a lesson that runs one per core takes the backend's count,
// unless the link or the reader chose a count.

import type { Backend } from "./backend";
import { presetByName } from "../presets";
import { fixesWorkers, stateForPreset, type PlaygroundState } from "../state";

export interface CoreAdoptionDeps {
  backend: Backend;
  state(): PlaygroundState;
  /** This machine's cores, which the form counted at load. */
  browserCores: number;
  /** "One per core" now: the backend's cores once it is connected. */
  cores(): number;
  setState(s: PlaygroundState): void;
}

/** Listens for the backend's first connection; mount it before anything else that listens. */
export function mountCoreAdoption(deps: CoreAdoptionDeps): void {
  let adopted = new URLSearchParams(location.search).has("workers");
  deps.backend.onStatus((st) => {
    if (st.kind !== "connected" || adopted) return;
    adopted = true;
    const s = deps.state();
    const p = presetByName(s.preset);
    if (!p) return;
    const cores = deps.cores();
    // one process per core, as far as the backend's process limit goes (the form refuses more)
    const perCore = p.variant === "process" ? Math.min(cores, deps.backend.info?.limits.process_workers ?? cores) : cores;
    if (p.workers !== 0 || fixesWorkers(p.variant) || s.workers !== stateForPreset(p.name, deps.browserCores).workers || s.workers === perCore) return;
    deps.setState({ ...s, workers: perCore });
  });
}
