// What the Embed button writes for a tutorial: the iframe of /embed with the state, and the
// embed kit's form (a div whose data-* attributes are the same state, and the kit's script).

/** Text for an HTML attribute value in double quotes. */
export function escapeAttr(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** An iframe of src (an /embed address); 520 px high until something sizes it (docs/embed.md). */
export function iframeSnippet(src: string, title: string): string {
  return `<iframe src="${escapeAttr(src)}" title="${escapeAttr(title)}" width="100%" height="520" style="border:0;max-width:100%" loading="lazy" allow="clipboard-write"></iframe>`;
}

/** The kit's div for a state query (the preset becomes the attribute's value) and its script. */
export function kitSnippet(query: URLSearchParams, scriptURL: string): string {
  const q = new URLSearchParams(query);
  const preset = q.get("preset") ?? "";
  q.delete("preset");
  const attrs = [...q].map(([k, v]) => ` data-${k}="${escapeAttr(v)}"`).join("");
  return `<div data-concurrency-playground="${escapeAttr(preset)}"${attrs}></div>\n<script src="${escapeAttr(scriptURL)}" async></script>`;
}
