// What the form says around its fields: the preset's lesson and script, and under the variant
// the bound its run cannot beat and why a run button cannot act (the reasons are the form's).

import type { Backend } from "../backend/backend";
import type { Controls } from "./controls";
import { byId, optionalId } from "../dom";
import { count, duration } from "../format";
import { connectionLimit, presetByName } from "../presets";
import type { PlaygroundState } from "../state";

/** The fastest an I/O run of s's variant can be, in words; "" where there is no simple bound. */
function ioBound(s: PlaygroundState): string {
  if (s.experiment !== "io") return "";
  const delay = s.params.delay * 1e6;
  let bound = "";
  if (s.variant === "sequential") bound = `Sequential I/O cannot beat ${count(s.params.tasks)} × ${s.params.delay} ms = ${duration(s.params.tasks * delay)}.`;
  const conns = connectionLimit();
  if (s.variant === "eventloop" && conns !== null) {
    bound = `In this browser the event loop's bound is ⌈${count(s.params.tasks)} ÷ ${conns} connections⌉ × ${s.params.delay} ms = ${duration(Math.ceil(s.params.tasks / conns) * delay)}.`;
  } else if (s.variant === "eventloop") {
    bound = `Over HTTP/2 the event loop starts every download at once: its bound is one latency, ${s.params.delay} ms, plus what the server adds.`;
  }
  return bound;
}

export interface Hints {
  /** Says the lesson of s's preset. */
  lesson(s: PlaygroundState): void;
  /** Enables the run buttons that can act now and says why the others cannot. */
  availability(): void;
}

export function mountHints(controls: Controls, deps: { backend: Backend; busy(): boolean }): Hints {
  const lessonText = byId("lesson-text");
  const script = optionalId("lesson-script");
  const variantHint = byId("variant-hint");
  return {
    lesson(s) {
      const p = presetByName(s.preset);
      lessonText.textContent = p ? p.lesson : "Your own parameters: pick a variant and compare it with the sequential run of the same work.";
      if (script) script.textContent = p ? `The lesson's script: ${p.script}.` : "";
    },
    availability() {
      const reason = controls.setAvailability({ nativeVariants: deps.backend.info?.variants ?? null, busy: deps.busy(), python: deps.backend.info?.pythons?.[0]?.id ?? null });
      variantHint.textContent = [ioBound(controls.value), reason].filter(Boolean).join(" ");
    },
  };
}
