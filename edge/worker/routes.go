// Package main is the playground's Cloudflare Worker (github.com/syumai/workers): it serves the
// playground's HTTP API (internal/api: the site farm, /api/info, /oembed and /healthz), the
// same routes with the same headers as the native server. The page's static files never reach
// it: the Worker's static-assets binding serves them first (wrangler.toml's [assets]; locally
// edge/entry.mjs).
//
// The routes live in this host-buildable file so they are tested natively with httptest; only
// main_js.go needs js/wasm.
package main

import (
	"net/http"

	"concurrency-playground/internal/api"
	"concurrency-playground/internal/install"
	"concurrency-playground/internal/workload"
)

// machine describes the edge.
func machine() workload.Machine { return workload.ThisMachine(workload.WhereEdge) }

// routes is the Worker's whole HTTP surface. The Worker runs no variant itself: the page's
// browser variants run in the visitor's browser (fetching this Worker's farm), and the native
// ones on the visitor's own backend. /api/info is read by the edge's own page, same-origin, so
// it allows no other origin. The Worker's requests carry absolute URLs, so /oembed's iframe
// points at the edge's own origin.
//
// It also writes the one-command installers, /install.sh and /install.ps1, with its own origin
// in them (internal/install); the release they download is static assets under /download/.
func routes(m workload.Machine) http.Handler {
	mux := http.NewServeMux()
	api.Register(mux, api.Config{Machine: m})
	install.Register(mux)
	return mux
}
