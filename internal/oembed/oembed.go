// Package oembed answers GET /oembed?url=… with the iframe that embeds one experiment, so a blog
// platform that speaks oEmbed turns a pasted playground link into a live experiment. The url is
// parsed, never fetched: only its path and its known state parameters are read, and the iframe
// always points at this server's own /embed.
package oembed

import (
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strconv"

	"concurrency-playground/internal/workload"
)

// Path is where the endpoint is served.
const Path = "/oembed"

// stateParams are the page's URL state keys an embed understands: a job's fields, the variants
// offered, and the frame's theme and autorun. Anything else in the pasted link is dropped, so
// the iframe's URL holds nothing the page would not.
var stateParams = func() []string {
	keys := []string{"variants", "theme", "autorun"}
	for _, f := range workload.Fields {
		keys = append(keys, f.Name)
	}
	return keys
}()

const (
	defaultWidth  = 720
	defaultHeight = 520
	maxURLLen     = 4096
)

// Response is the oEmbed 1.0 "rich" response.
type Response struct {
	Version      string `json:"version"`
	Type         string `json:"type"`
	Title        string `json:"title"`
	ProviderName string `json:"provider_name"`
	ProviderURL  string `json:"provider_url"`
	HTML         string `json:"html"`
	Width        int    `json:"width"`
	Height       int    `json:"height"`
}

// Handler serves the endpoint. origin gives this server's origin for a request
// ("http://127.0.0.1:8080"); nil means RequestOrigin.
func Handler(origin func(*http.Request) string) http.Handler {
	if origin == nil {
		origin = RequestOrigin
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Access-Control-Allow-Origin", "*")
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "oembed: use GET", http.StatusMethodNotAllowed)
			return
		}
		res, status, err := Build(origin(r), r.URL.Query())
		if err != nil {
			http.Error(w, "oembed: "+err.Error(), status)
			return
		}
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		json.NewEncoder(w).Encode(res)
	})
}

// RequestOrigin is the origin a request was addressed to: the URL's own scheme and host where
// the runtime gives an absolute URL (the edge), else plain http and the Host header (the
// native server, which only listens on loopback and has checked the Host already).
func RequestOrigin(r *http.Request) string {
	if r.URL.IsAbs() {
		return r.URL.Scheme + "://" + r.URL.Host
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// Build makes the response for the query of an oEmbed request, or an error and its HTTP status
// (400 for a bad url, 404 for a url that is not a playground page, 501 for a format other than
// json, as the oEmbed spec asks).
func Build(origin string, q url.Values) (Response, int, error) {
	if f := q.Get("format"); f != "" && f != "json" {
		return Response{}, http.StatusNotImplemented, fmt.Errorf("format: %q is not supported; use json", f)
	}
	raw := q.Get("url")
	if raw == "" || len(raw) > maxURLLen {
		return Response{}, http.StatusBadRequest, fmt.Errorf("url: want the playground link to embed, at most %d characters", maxURLLen)
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return Response{}, http.StatusBadRequest, fmt.Errorf("url: %q is not an absolute http(s) link", raw)
	}
	if u.Path != "" && u.Path != "/" && u.Path != "/embed" {
		return Response{}, http.StatusNotFound, fmt.Errorf("url: %s is not a playground page (/ or /embed)", u.Path)
	}
	width := bounded(q.Get("maxwidth"), defaultWidth)
	height := bounded(q.Get("maxheight"), defaultHeight)

	state := url.Values{}
	in := u.Query()
	for _, k := range stateParams {
		if v := in.Get(k); v != "" && len(v) <= 64 {
			state.Set(k, v)
		}
	}
	src := origin + "/embed"
	if len(state) > 0 {
		src += "?" + state.Encode()
	}
	title := "Concurrency Playground"
	if p := state.Get("preset"); p != "" {
		title += ": " + p
	}
	frame := fmt.Sprintf(`<iframe src="%s" width="%d" height="%d" style="border:0;max-width:100%%" loading="lazy" title="%s"></iframe>`,
		html.EscapeString(src), width, height, html.EscapeString(title))
	return Response{
		Version: "1.0", Type: "rich", Title: title, ProviderName: "Concurrency Playground",
		ProviderURL: origin + "/", HTML: frame, Width: width, Height: height,
	}, http.StatusOK, nil
}

// bounded is the default size, or the consumer's maximum when that is smaller: oEmbed asks
// that a response never exceed maxwidth or maxheight. The card reflows to any width.
func bounded(v string, def int) int {
	n, err := strconv.Atoi(v)
	if err != nil || n <= 0 {
		return def
	}
	return min(n, def)
}
