// Package main is the playground's Cloudflare Worker (github.com/syumai/workers): it serves the
// site farm, /api/info and /healthz. The page's static files never reach it: the Worker's
// static-assets binding serves them first (wrangler.toml's [assets]; locally edge/entry.mjs).
//
// The routes live in this host-buildable file so they are tested natively with httptest; only
// main_js.go needs js/wasm.
package main

import (
	"encoding/json"
	"net/http"
	"runtime"

	"concurrency-playground/internal/farm"
	"concurrency-playground/internal/info"
	"concurrency-playground/internal/oembed"
	"concurrency-playground/internal/workload"
)

// machine describes the edge. The Worker runs no variant itself: the page's browser variants
// run in the visitor's browser (fetching this Worker's farm), and the native ones on the
// visitor's own backend, so its variant list is empty, never null.
func machine() workload.Machine {
	return workload.Machine{
		Where: "edge", OS: runtime.GOOS, Arch: runtime.GOARCH, Cores: runtime.NumCPU(),
		GOMAXPROCS: runtime.GOMAXPROCS(0), GoVersion: runtime.Version(),
	}
}

// routes is the Worker's whole HTTP surface. Every request starts a fresh Go instance, so
// nothing is computed ahead of the route that needs it: a farm request pays for the farm only.
func routes(m workload.Machine) http.Handler {
	mux := http.NewServeMux()
	mux.Handle(farm.Prefix, farm.Handler())
	mux.HandleFunc("GET /api/info", func(w http.ResponseWriter, r *http.Request) {
		info := info.New(m, []workload.Variant{})
		h := w.Header()
		// Read by the edge's own page, same-origin: no CORS header is needed.
		h.Set("Content-Type", "application/json")
		h.Set("Cache-Control", "no-store")
		json.NewEncoder(w).Encode(info)
	})
	// The Worker's requests carry absolute URLs, so the iframe points at the edge's own origin.
	mux.Handle("GET "+oembed.Path, oembed.Handler(nil))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		w.Write([]byte("ok\n"))
	})
	return mux
}
