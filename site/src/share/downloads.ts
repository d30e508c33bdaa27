// The download buttons: this visit's results as JSON or CSV (#export-json, #export-csv), the
// shown run's timeline as a Chrome trace or a PNG (#export-trace, #export-png). The formats
// are export.ts; here, when each button can act and what it takes.

import { themeColor } from "../chart/chart";
import { optionalId } from "../dom";
import { canvasPNG, chromeTrace, download, fileStem, resultsCSV, resultsJSON, runsFileName, type ExportedRun } from "./export";
import { runTitle, stateLabels } from "../labels";
import { isFinishedRun, type Run } from "../run/runs";
import { stateNames } from "../types";

export interface DownloadDeps {
  runs(): readonly Run[];
  /** This visit's finished runs, as exported, kept and shared. */
  finished(): ExportedRun[];
  /** The run the timeline shows. */
  shown(): Run | undefined;
  /** The timeline's element (its canvas is the PNG). */
  timeline: HTMLElement;
  say(text: string): void;
}

/** A file name for a run, from its result or, for one that broke off, from its job. */
const stem = (run: Run) => fileStem(run.result ?? { preset: run.job.preset, experiment: run.job.experiment ?? "cpu", variant: run.variant, where: run.where });

/** update() enables what there is to download: call it when a run starts, ends or is shown. */
export function mountDownloads(deps: DownloadDeps): { update(): void } {
  optionalId("export-json")?.addEventListener("click", () => download(runsFileName("runs", deps.finished(), "json"), resultsJSON(deps.finished())));
  optionalId("export-csv")?.addEventListener("click", () => download(runsFileName("runs", deps.finished(), "csv"), resultsCSV(deps.finished()), "text/csv"));
  optionalId("export-trace")?.addEventListener("click", () => {
    const run = deps.shown();
    if (run) download(`${stem(run)}.trace.json`, chromeTrace(run));
  });
  optionalId("export-png")?.addEventListener("click", () => {
    const run = deps.shown();
    const canvas = deps.timeline.querySelector("canvas");
    if (!run || !canvas) return;
    const caption = {
      title: document.getElementById("timeline-title")?.textContent?.trim() || runTitle(run.where, run.variant, run.result?.workers),
      note: deps.timeline.getAttribute("aria-label") ?? undefined,
      legend: stateNames.map((s) => ({ label: stateLabels[s], color: themeColor(`--${s}`) })),
      background: themeColor("--panel"),
      ink: themeColor("--fg"),
      muted: themeColor("--muted"),
    };
    canvasPNG(canvas, caption).then(
      (png) => download(`${stem(run)}.png`, png),
      (e) => deps.say((e as Error).message),
    );
  });

  return {
    update() {
      const done = deps.runs().some(isFinishedRun);
      for (const id of ["export-json", "export-csv"]) optionalId(id)?.toggleAttribute("disabled", !done);
      const shown = deps.shown();
      const ready = !!shown && shown.status !== "running" && shown.status !== "queued" && shown.spans.n > 0;
      for (const id of ["export-trace", "export-png"]) optionalId(id)?.toggleAttribute("disabled", !ready);
    },
  };
}
