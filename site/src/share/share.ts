// Share and embed: the state as a link (with this visit's results, if the reader wants), as an
// iframe, or as the embed kit's tag, shown in the share box and copied to the clipboard; and
// the links that always carry the state: "open in the playground" (in an embed), oEmbed discovery.

import { byId, optionalId } from "../dom";
import type { ExportedRun } from "./export";
import { count } from "../format";
import { encodeSnapshot, snapshotParam } from "./snapshot";
import { iframeSnippet, kitSnippet } from "./snippets";
import type { PlaygroundState } from "../state";
import { linkTo, queryFromState } from "./urlstate";

export interface ShareDeps {
  state(): PlaygroundState;
  cores(): number;
  /** This visit's finished runs, which a link may carry. */
  finished(): ExportedRun[];
  say(text: string): void;
  /** More parameters a share link carries (the reader's prediction). */
  linkParams?(): Record<string, string>;
}

/** Wires #share, #embed and the share box; update(s) keeps the state's links in step with the form. */
export function mountShare(deps: ShareDeps): { update(s: PlaygroundState): void } {
  const withResults = optionalId<HTMLInputElement>("share-results");

  async function offer(kind: "share" | "embed"): Promise<void> {
    const s = deps.state();
    const runs = deps.finished();
    let text: string;
    let second = "";
    let kept = 0;
    if (kind === "share") {
      const extra: Record<string, string> = { ...deps.linkParams?.() };
      if (withResults?.checked && runs.length) {
        const snap = await encodeSnapshot(runs);
        if (snap.kept) extra[snapshotParam] = snap.text;
        kept = snap.kept;
      }
      text = linkTo("/", s, deps.cores(), extra);
    } else {
      text = iframeSnippet(linkTo("/embed", s, deps.cores()), `Concurrency Playground: ${s.preset || s.experiment}`);
      second = kitSnippet(queryFromState(s, deps.cores()), new URL("/embed.js", location.href).toString());
    }
    const box = optionalId("share-box");
    const area = optionalId<HTMLTextAreaElement>("share-text");
    if (box && area) {
      byId("share-label").textContent = kind === "share" ? "Link to this experiment" : "Embed this experiment: an iframe";
      area.value = text;
      box.hidden = false;
      box.dataset.kind = kind;
      const kit = optionalId<HTMLTextAreaElement>("share-kit");
      if (kit) kit.value = second;
      const opt = optionalId("share-results-field");
      if (opt) opt.hidden = kind !== "share";
      if (withResults) {
        withResults.disabled = runs.length === 0;
        byId("share-results-label").textContent = runs.length
          ? `Include my results: ${withResults.checked ? `${count(kept)} of ${count(runs.length)}` : count(runs.length)} ${runs.length === 1 ? "run" : "runs"} and the machines they ran on`
          : "Include my results (none yet: run something first)";
      }
    }
    let copied = false;
    try {
      await navigator.clipboard.writeText(text);
      copied = true;
    } catch {
      /* no clipboard permission (an insecure origin, a frame, a headless browser): the text is selected */
    }
    if (area) {
      area.focus();
      area.select();
    }
    deps.say(
      copied
        ? `${kind === "share" ? "Link" : "Embed code"} copied to the clipboard.`
        : `Copy the ${kind === "share" ? "link" : "embed code"} below (it is selected).`,
    );
  }
  optionalId("share")?.addEventListener("click", () => void offer("share"));
  optionalId("embed")?.addEventListener("click", () => void offer("embed"));
  withResults?.addEventListener("change", () => void offer("share"));

  return {
    update(s) {
      const full = optionalId<HTMLAnchorElement>("open-full");
      if (full) full.href = linkTo("/", s, deps.cores());
      const oembed = document.querySelector<HTMLLinkElement>("link[type='application/json+oembed']");
      if (oembed) oembed.href = `/oembed?format=json&url=${encodeURIComponent(linkTo("/", s, deps.cores()))}`;
    },
  };
}
