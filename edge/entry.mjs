// The local stand-in for Cloudflare's static-assets layer, used only when workerd runs the
// Worker here (make edge-dev, the edge tests). In production wrangler.toml's [assets] does
// this job and the Worker's main is worker.mjs itself. As there: a GET or HEAD naming a file
// of site/dist gets the file, anything else reaches the Go Worker.
import worker from "./worker.mjs";

// workerd's disk service sends every file as application/octet-stream; module scripts and
// WebAssembly.instantiateStreaming refuse a file without its own type.
const types = {
  html: "text/html; charset=utf-8",
  js: "text/javascript; charset=utf-8",
  mjs: "text/javascript; charset=utf-8",
  css: "text/css; charset=utf-8",
  json: "application/json",
  map: "application/json",
  wasm: "application/wasm",
  svg: "image/svg+xml",
  png: "image/png",
  ico: "image/x-icon",
  txt: "text/plain; charset=utf-8",
};

// Cloudflare reads _headers (written by the build, see internal/framing) and adds its rules to
// the assets it serves; the file itself is never served. The same here, for the rules that file
// holds: a path on a line of its own, then indented "Name: value" lines; "#" starts a comment.
let rules;
function headerRules(env, url) {
  rules ??= env.ASSETS.fetch(new URL("/_headers", url)).then(async (res) => {
    const byPath = new Map();
    if (res.status !== 200) return byPath;
    let current;
    for (const line of (await res.text()).split("\n")) {
      if (line.trim() === "" || line.trim().startsWith("#")) continue;
      if (!/^\s/.test(line)) byPath.set(line.trim(), (current = []));
      else if (current) {
        const i = line.indexOf(":");
        current.push([line.slice(0, i).trim(), line.slice(i + 1).trim()]);
      }
    }
    return byPath;
  });
  return rules;
}

export default {
  async fetch(req, env, ctx) {
    if ((req.method === "GET" || req.method === "HEAD") && new URL(req.url).pathname !== "/_headers") {
      const url = new URL(req.url);
      // Cloudflare's default html_handling: "/" is index.html, "/embed" is embed.html.
      let path = url.pathname.endsWith("/") ? url.pathname + "index.html" : url.pathname;
      const ext = path.slice(path.lastIndexOf("/") + 1).split(".")[1];
      // A name without a dot is a page ("/embed") or a file such as download/SHA256SUMS.
      for (const [p, e] of ext ? [[path, ext]] : [[path + ".html", "html"], [path, ""]]) {
        const res = await env.ASSETS.fetch(new URL(p, url), { method: req.method });
        if (res.status === 200) {
          const headers = new Headers(res.headers);
          headers.set("Content-Type", types[e] ?? "application/octet-stream");
          for (const [name, value] of (await headerRules(env, url)).get(url.pathname) ?? []) headers.set(name, value);
          return new Response(res.body, { headers });
        }
      }
    }
    return worker.fetch(req, env, ctx);
  },
};
