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
// holds: a path (exact, or a prefix ending in "*") on a line of its own, then indented
// "Name: value" lines, or "! Name" to take off a header an earlier rule set; "#" starts a comment.
let rules;
function headerRules(env, url) {
  rules ??= env.ASSETS.fetch(new URL("/_headers", url)).then(async (res) => {
    const list = [];
    if (res.status !== 200) return list;
    let current;
    for (const line of (await res.text()).split("\n")) {
      if (line.trim() === "" || line.trim().startsWith("#")) continue;
      if (!/^\s/.test(line)) list.push({ path: line.trim(), headers: (current = []) });
      else if (current && line.trim().startsWith("!")) current.push([line.trim().slice(1).trim(), null]);
      else if (current) {
        const i = line.indexOf(":");
        current.push([line.slice(0, i).trim(), line.slice(i + 1).trim()]);
      }
    }
    return list;
  });
  return rules;
}

/** Applies every rule whose path matches path, in the file's order. */
async function applyRules(env, url, path, headers) {
  for (const rule of await headerRules(env, url)) {
    const match = rule.path.endsWith("*") ? path.startsWith(rule.path.slice(0, -1)) : path === rule.path;
    if (!match) continue;
    for (const [name, value] of rule.headers) {
      if (value === null) headers.delete(name);
      else headers.set(name, value);
    }
  }
}

/**
 * The asset a GET names, as the file's path under site/dist ("/index.html"), or null. The rules
 * are matched on this path, decoded, not on the path as sent: /index and /%69ndex.html are the
 * page, and carry its headers. A path with an empty or dot segment names no file: the disk
 * service would take "//" for another host's root and answer with a listing of site/dist.
 */
function assetPath(pathname) {
  let path;
  try {
    path = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  if (path === "/_headers" || /\/\/|\/\.|\\|\0/.test(path)) return null;
  // Cloudflare's default html_handling: "/" is index.html, "/embed" is embed.html.
  return path.endsWith("/") ? path + "index.html" : path;
}

export default {
  async fetch(req, env, ctx) {
    const url = new URL(req.url);
    const path = (req.method === "GET" || req.method === "HEAD") && assetPath(url.pathname);
    if (path) {
      const ext = path.slice(path.lastIndexOf("/") + 1).split(".")[1];
      // A name without a dot is a page ("/embed") or a file such as download/SHA256SUMS.
      for (const [p, e] of ext ? [[path, ext]] : [[path + ".html", "html"], [path, ""]]) {
        const file = new URL(url.origin);
        file.pathname = p; // set, not parsed: a path is never taken for a host
        const res = await env.ASSETS.fetch(file, { method: req.method });
        // a directory answers with a JSON listing of its entries: never served
        if (res.status === 200 && !(res.headers.get("Content-Type") ?? "").startsWith("application/json")) {
          const headers = new Headers(res.headers);
          headers.set("Content-Type", types[e] ?? "application/octet-stream");
          await applyRules(env, url, p, headers);
          return new Response(res.body, { headers });
        }
      }
    }
    return worker.fetch(req, env, ctx);
  },
};
