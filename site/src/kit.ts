// The embed kit, served at the stable address /embed.js: a tutorial adds
//
//   <div data-concurrency-playground="cpu_mp" data-workers="4"></div>
//   <script src="https://<playground>/embed.js" async></script>
//
// and each such div becomes an iframe of <playground>/embed with those parameters, sized to its
// content from the frame's resize messages. The custom element <concurrency-playground
// preset="cpu_mp" workers="4"> does the same with plain attributes, also when added later. The
// frame's events are passed on as DOM events on the div ("concurrency-playground:result", detail = the message), so a tutorial can react to
// its reader's results without any postMessage plumbing; div.concurrencyPlayground.send(type,
// data) sends a command. A message is believed only if it comes from that div's own frame
// (event.source) and from the playground's origin. No imports: this file is the whole kit.

interface Mounted {
  frame: HTMLIFrameElement;
  host: HTMLElement;
}

(() => {
  const ns = "concurrency-playground:";
  const script = document.currentScript as HTMLScriptElement | null;
  // The playground is wherever this script came from.
  const origin = new URL(script?.src || "/embed.js", location.href).origin;
  const attr = "data-concurrency-playground";
  const tag = "concurrency-playground";
  // data-* parameters an embed understands: the playground's URL keys (urlstate.ts stateKeys;
  // the preset is the attribute's value), and the frame's own theme, autorun, code and predict. Nothing else is
  // passed on: the card would drop it silently (jitter, for one, is a CLI flag, not a page key).
  const keys = ["experiment", "variant", "variants", "workers", "tasks", "n", "repeat", "delay", "size", "mode", "yield", "theme", "autorun", "code", "predict"];
  const mounted: Mounted[] = [];
  const w = window as Window & { ConcurrencyPlayground?: { mount(el: HTMLElement): void; scan(): void } };
  if (w.ConcurrencyPlayground) return; // the script was included twice: one listener is enough

  function mount(host: HTMLElement): void {
    if (mounted.some((m) => m.host === host)) return;
    // <div data-concurrency-playground="cpu_mp" data-workers="4"> or <concurrency-playground preset="cpu_mp" workers="4">
    const element = host.localName === tag;
    const get = (k: string) => host.getAttribute(element ? k : `data-${k}`);
    const q = new URLSearchParams();
    const preset = element ? get("preset") : host.getAttribute(attr);
    if (preset) q.set("preset", preset);
    for (const k of keys) {
      const v = get(k);
      if (v !== null && v !== "") q.set(k, v);
    }
    const frame = document.createElement("iframe");
    const query = q.toString();
    frame.src = `${origin}/embed${query ? `?${query}` : ""}`;
    frame.title = get("title") || `Concurrency Playground${preset ? `: ${preset}` : ""}`;
    frame.loading = "lazy";
    frame.allow = "clipboard-write";
    // a first guess at the card's height, corrected by its first resize message
    frame.style.cssText = "display:block;width:100%;max-width:100%;border:0;height:520px;color-scheme:normal";
    host.textContent = "";
    host.appendChild(frame);
    mounted.push({ frame, host });
    (host as HTMLElement & { concurrencyPlayground?: unknown }).concurrencyPlayground = {
      frame,
      send(type: string, data: Record<string, unknown> = {}) {
        frame.contentWindow?.postMessage({ ...data, type: ns + type }, origin);
      },
    };
  }

  function scan(): void {
    for (const el of document.querySelectorAll<HTMLElement>(`[${attr}]`)) mount(el);
  }

  addEventListener("message", (e: MessageEvent) => {
    if (e.origin !== origin) return;
    const m = mounted.find((m) => m.frame.contentWindow === e.source);
    const d = e.data as { type?: unknown; height?: unknown } | null;
    if (!m || typeof d !== "object" || d === null || typeof d.type !== "string" || !d.type.startsWith(ns)) return;
    if ((d.type === ns + "resize" || d.type === ns + "ready") && typeof d.height === "number" && d.height > 0 && d.height < 20_000) {
      m.frame.style.height = `${Math.ceil(d.height)}px`;
    }
    m.host.dispatchEvent(new CustomEvent(d.type, { detail: d, bubbles: true }));
  });

  w.ConcurrencyPlayground = { mount, scan };
  if (!customElements.get(tag)) {
    customElements.define(
      tag,
      class extends HTMLElement {
        connectedCallback() {
          this.style.display ||= "block";
          mount(this);
        }
      },
    );
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", scan);
  else scan();
})();

export {}; // a module to the type checker; esbuild bundles it as one classic script
