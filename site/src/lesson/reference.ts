// The lesson's own figures beside ours: the article's reported times and CPython 3.11
// re-measured on a 2-core machine (internal/lesson → lesson.gen.ts, the figures native bench's
// CPython column quotes). None of them is measured in this page, and every row says where it
// comes from. A table, so a screen reader reads it as one; the bars in it are drawn for the
// eye only. The preset on screen is marked; a compact view (the embed) shows only its rows.

import { lessonFigures, lessonRaceNote, lessonSources } from "../gen/lesson.gen";
import { presets } from "../presets";
import type { PlaygroundState } from "../state";

export interface Reference {
  update(s: PlaygroundState): void;
}

type Figure = (typeof lessonFigures)[number];

const sourceNames: Record<Figure["source"], string> = { article: "the article", cpython: "CPython 3.11, 2 cores" };

/** The CPython I/O figure measured with the latency nearest the page's (they exist for 20 and 80 ms). */
function nearestLatency(figs: Figure[], delayMs: number): Figure[] {
  const latencies = [...new Set(figs.filter((f) => f.delayMs > 0).map((f) => f.delayMs))];
  if (!latencies.length) return figs;
  const best = latencies.reduce((a, b) => (Math.abs(b - delayMs) < Math.abs(a - delayMs) ? b : a));
  return figs.filter((f) => f.delayMs === 0 || f.delayMs === best);
}

export function mountReference(el: HTMLElement, opts: { compact?: boolean } = {}): Reference {
  el.textContent = "";
  // a heading in the playground's durations panel; the embed's card has no headings to nest in
  const head = el.appendChild(document.createElement(opts.compact ? "p" : "h3"));
  head.className = "reference-head";
  head.textContent = "The lesson's own figures: not measured in this page";
  const note = el.appendChild(document.createElement("p"));
  note.className = "hint";
  const table = el.appendChild(document.createElement("table"));
  table.className = "reference-table";
  const caption = table.appendChild(document.createElement("caption"));
  caption.className = "sr-only";
  const thead = table.appendChild(document.createElement("thead"));
  thead.innerHTML = `<tr><th scope="col">script</th><th scope="col">source</th><th scope="col" class="num">time</th><th scope="col"><span class="sr-only">bar</span></th></tr>`;
  const body = table.appendChild(document.createElement("tbody"));
  let shown = "";

  return {
    update(s) {
      const key = `${s.experiment}/${s.preset}/${s.params.delay}`;
      if (key === shown) return;
      shown = key;
      body.textContent = "";
      const names = presets.filter((p) => p.experiment === s.experiment).map((p) => p.name);
      const figs = nearestLatency(
        lessonFigures.filter((f) => names.includes(f.preset) && (!opts.compact || f.preset === s.preset)),
        s.params.delay,
      );
      // the compact view of a preset with no figure of its own (a custom job) shows nothing
      el.hidden = opts.compact === true && !figs.length && s.experiment !== "race";
      table.hidden = !figs.length;
      const latency = figs.find((f) => f.delayMs > 0)?.delayMs;
      note.textContent = s.experiment === "race"
        ? lessonRaceNote
        : `The article: ${lessonSources.article}. CPython: ${lessonSources.cpython}${latency ? `, against a local site with ${latency} ms latency (the nearest measured to this page's ${s.params.delay} ms)` : ", at the lesson's n of 5,000,000"}. Times from another machine and another language: compare each script's ratio to the others, not its time to this page's.`;
      caption.textContent = `The lesson's figures for the ${s.experiment} scripts, not measured in this page`;
      const max = Math.max(...figs.map((f) => f.seconds), 1e-9);
      for (const name of names) {
        for (const f of figs.filter((f) => f.preset === name)) {
          const tr = body.appendChild(document.createElement("tr"));
          tr.dataset.testid = "reference-row";
          tr.dataset.source = f.source;
          tr.dataset.preset = f.preset;
          tr.dataset.durationMs = String(Math.round(f.seconds * 1000));
          if (f.preset === s.preset) {
            tr.className = "current";
            tr.setAttribute("aria-current", "true");
          }
          const script = f.script === f.preset ? f.script : `${f.preset} (the lesson's ${f.script})`;
          const source = sourceNames[f.source] + (f.delayMs ? `, ${f.delayMs} ms latency` : "");
          for (const [text, cls] of [[script, ""], [source, ""], [`${f.seconds.toFixed(2)} s`, "num"]] as const) {
            const td = tr.appendChild(document.createElement("td"));
            td.textContent = text;
            if (cls) td.className = cls;
          }
          const bar = tr.appendChild(document.createElement("td"));
          bar.className = "rbar";
          bar.setAttribute("aria-hidden", "true");
          const fill = bar.appendChild(document.createElement("span"));
          fill.className = `rfill ${f.source}`;
          fill.style.width = `${Math.max(0.5, (100 * f.seconds) / max)}%`;
        }
      }
    },
  };
}
