// Package api is the playground's HTTP API, the same on every target that serves it: the site
// farm (GET /farm/{site}), GET /api/info, GET /oembed and GET /healthz. The native server
// registers it beside /ws and the page's files, behind its Host and Origin guard; the edge
// Worker serves it alone (its static-assets layer serves the page). Every header of these
// routes is decided here, once, so the two targets cannot answer differently.
//
// It is linked into the edge's wasm, whose size Cloudflare limits and every cold start pays
// for: it imports nothing the Worker does not already link (encoding/json comes with oembed).
package api

import (
	"encoding/json"
	"net/http"

	"concurrency-playground/internal/farm"
	"concurrency-playground/internal/info"
	"concurrency-playground/internal/oembed"
	"concurrency-playground/internal/workload"
)

// Config is what differs between the targets.
type Config struct {
	Machine  workload.Machine
	Variants []workload.Variant   // the variants this target runs; none is sent as [], never null
	Pythons  func() []info.Python // the CPython interpreters a native server offers now; nil: none

	// AllowOrigin reports whether the page that sent r, named by its Origin header, may read
	// /api/info from another origin (natively: the hosted playground's page, -allow-origin).
	// nil: no cross-origin reads, and the answer does not vary by Origin (the edge, whose
	// page is its own origin).
	AllowOrigin func(r *http.Request) bool
}

// Register adds the API's routes to mux. The /oembed iframe points at the origin the request
// was addressed to (oembed.RequestOrigin): a native server must have checked the Host header
// before a request gets here; at the edge the request's URL is absolute.
func Register(mux *http.ServeMux, c Config) {
	mux.Handle(farm.Prefix, farm.Handler()) // any method: the farm answers OPTIONS and refuses POST itself
	mux.Handle("GET /api/info", infoHandler(c))
	mux.Handle("GET "+oembed.Path, oembed.Handler(nil))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Type", "text/plain; charset=utf-8")
		h.Set("Cache-Control", "no-store")
		w.Write([]byte("ok\n"))
	})
}

// Handler is the API alone, as the edge Worker serves it: any other path is a 404, another
// method a 405.
func Handler(c Config) http.Handler {
	mux := http.NewServeMux()
	Register(mux, c)
	return mux
}

// infoHandler serves /api/info. The document is built per request: a page asks once per load,
// and a Worker instance woken for a farm request never pays for it (keeping it encoded behind
// a sync.OnceValue costs the edge's wasm 8 KB for nothing measurable).
func infoHandler(c Config) http.Handler {
	variants := c.Variants
	if variants == nil {
		variants = []workload.Variant{}
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		if c.AllowOrigin != nil {
			if o := r.Header.Get("Origin"); o != "" && c.AllowOrigin(r) {
				h.Set("Access-Control-Allow-Origin", o)
			}
			h.Add("Vary", "Origin")
		}
		h.Set("Content-Type", "application/json")
		// The cores and GOMAXPROCS are this process's: after a restart with other settings
		// a stored copy would be wrong, and the page asks with cache: "no-store" anyway.
		h.Set("Cache-Control", "no-store")
		doc := info.New(c.Machine, variants)
		if c.Pythons != nil {
			doc.Pythons = c.Pythons()
		}
		json.NewEncoder(w).Encode(doc)
	})
}
