package api

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"concurrency-playground/internal/farm/farmtest"
	"concurrency-playground/internal/info"
	"concurrency-playground/internal/workload"
)

var machine = workload.Machine{Where: "native", OS: "linux", Arch: "amd64", Cores: 2, GOMAXPROCS: 2, GoVersion: "go1.26"}

// allowed is a native target's origin check: one allowed page besides its own.
func allowed(r *http.Request) bool { return r.Header.Get("Origin") == "https://playground.example" }

// The routes' answers, headers included, are the contract both targets serve: the page, the
// edge's and the native server's tests, and docs/edge.md rely on them.
func TestRoutes(t *testing.T) {
	native := httptest.NewServer(Handler(Config{Machine: machine, Variants: []workload.Variant{workload.Sequential, workload.Pool}, AllowOrigin: allowed}))
	defer native.Close()
	edge := httptest.NewServer(Handler(Config{Machine: workload.Machine{Where: "edge"}}))
	defer edge.Close()
	link := url.QueryEscape("https://playground.example/?preset=cpu_mp")

	tests := []struct {
		name         string
		srv          *httptest.Server
		method, path string
		origin       string
		status       int
		body         string // the whole body, or with a trailing "…" its start
		ctype, cache string
		allowOrigin  string // Access-Control-Allow-Origin
		vary         string
	}{
		{"healthz", native, "GET", "/healthz", "", 200, "ok\n", "text/plain; charset=utf-8", "no-store", "", ""},
		{"healthz at the edge", edge, "GET", "/healthz", "", 200, "ok\n", "text/plain; charset=utf-8", "no-store", "", ""},
		{"HEAD healthz", native, "HEAD", "/healthz", "", 200, "", "text/plain; charset=utf-8", "no-store", "", ""},
		{"info", native, "GET", "/api/info", "", 200, `{"version":"` + info.Version + `"…`, "application/json", "no-store", "", "Origin"},
		{"info to an allowed page", native, "GET", "/api/info", "https://playground.example", 200, "{…", "application/json", "no-store", "https://playground.example", "Origin"},
		{"info to a foreign page", native, "GET", "/api/info", "https://evil.example", 200, "{…", "application/json", "no-store", "", "Origin"},
		{"info at the edge: same-origin only", edge, "GET", "/api/info", "https://playground.example", 200, "{…", "application/json", "no-store", "", ""},
		{"info refuses POST", edge, "POST", "/api/info", "", 405, "Method Not Allowed\n", "text/plain; charset=utf-8", "", "", ""},
		{"oembed", native, "GET", "/oembed?url=" + link, "", 200, `{"version":"1.0","type":"rich"…`, "application/json; charset=utf-8", "", "*", ""},
		{"oembed without a url", edge, "GET", "/oembed", "", 400, "oembed: url: want the playground link…", "text/plain; charset=utf-8", "", "*", ""},
		{"farm", edge, "GET", "/farm/a?size=3", "", 200, "con", "text/plain; charset=utf-8", "no-store", "*", ""},
		{"farm: a bad size", native, "GET", "/farm/a?size=-1", "", 400, "farm: size: -1 is out of range 0..1048576\n", "text/plain; charset=utf-8", "no-store", "*", ""},
		{"unknown path", native, "GET", "/api/infos", "", 404, "404 page not found\n", "text/plain; charset=utf-8", "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest(tt.method, tt.srv.URL+tt.path, nil)
			if tt.origin != "" {
				req.Header.Set("Origin", tt.origin)
			}
			res, err := tt.srv.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			b, _ := io.ReadAll(res.Body)
			body, h := string(b), res.Header
			want, prefix := strings.CutSuffix(tt.body, "…")
			if res.StatusCode != tt.status || !prefix && body != want || prefix && !strings.HasPrefix(body, want) {
				t.Errorf("%s %s: %d %.80q, want %d %q", tt.method, tt.path, res.StatusCode, body, tt.status, tt.body)
			}
			for _, c := range []struct{ name, want string }{
				{"Content-Type", tt.ctype}, {"Cache-Control", tt.cache},
				{"Access-Control-Allow-Origin", tt.allowOrigin}, {"Vary", tt.vary},
			} {
				if got := h.Get(c.name); got != c.want {
					t.Errorf("%s %s: %s = %q, want %q", tt.method, tt.path, c.name, got, c.want)
				}
			}
		})
	}
}

// /api/info is info.New's document for the target's machine and variants; a target that runs
// none says [] (the page lists them), never null.
func TestInfoIsTheTargetsDocument(t *testing.T) {
	for _, variants := range [][]workload.Variant{nil, {workload.Sequential, workload.EventLoop}} {
		rec := httptest.NewRecorder()
		Handler(Config{Machine: machine, Variants: variants}).ServeHTTP(rec, httptest.NewRequest("GET", "/api/info", nil))
		var raw map[string]json.RawMessage
		if err := json.Unmarshal(rec.Body.Bytes(), &raw); err != nil {
			t.Fatalf("variants %v: %v in %s", variants, err, rec.Body)
		}
		want := map[string]string{"where": `"native"`, "cores": "2", "variants": `["sequential","eventloop"]`}
		if variants == nil {
			want["variants"] = "[]"
		}
		for k, v := range want {
			if string(raw[k]) != v {
				t.Errorf("variants %v: %s = %s, want %s", variants, k, raw[k], v)
			}
		}
	}
}

// The farm's whole table, through the API's mux: what every target serves under /farm/.
func TestServesTheFarm(t *testing.T) {
	srv := httptest.NewServer(Handler(Config{Machine: machine}))
	defer srv.Close()
	farmtest.Run(t, srv.URL)
}
