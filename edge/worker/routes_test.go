//go:build !(js && wasm)

// The Worker's routes, served natively: the same handler tree the Worker serves in workerd
// (edge/edge_test.go runs the built Worker), checked here in milliseconds.
package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"concurrency-playground/internal/farm/farmtest"
	"concurrency-playground/internal/protocol"
)

func TestRoutesServeTheFarm(t *testing.T) {
	srv := httptest.NewServer(routes(machine()))
	defer srv.Close()
	farmtest.Run(t, srv.URL)
}

func TestInfoSaysEdgeAndNoVariants(t *testing.T) {
	srv := httptest.NewServer(routes(machine()))
	defer srv.Close()
	res, err := http.Get(srv.URL + "/api/info")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "application/json" {
		t.Fatalf("GET /api/info: %d %q, want 200 application/json", res.StatusCode, res.Header.Get("Content-Type"))
	}
	var info protocol.Info
	if err := json.Unmarshal(body, &info); err != nil {
		t.Fatalf("GET /api/info: %v in %s", err, body)
	}
	if info.Where != "edge" || info.Protocol != protocol.Protocol || len(info.Presets) == 0 {
		t.Errorf("info = %+v, want where edge, protocol %d and the presets", info, protocol.Protocol)
	}
	// The page tells "edge" from "native" by where, and lists variants: [] not null.
	var raw map[string]json.RawMessage
	json.Unmarshal(body, &raw)
	if string(raw["variants"]) != "[]" {
		t.Errorf("variants = %s, want [] (the edge runs no variant itself)", raw["variants"])
	}
}

func TestHealthzAndUnknownPaths(t *testing.T) {
	srv := httptest.NewServer(routes(machine()))
	defer srv.Close()
	for path, want := range map[string]int{"/healthz": 200, "/nothing": 404, "/api/infos": 404} {
		res, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != want {
			t.Errorf("GET %s: %d, want %d", path, res.StatusCode, want)
		}
	}
	res, err := http.Post(srv.URL+"/api/info", "text/plain", nil)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST /api/info: %d, want 405", res.StatusCode)
	}
}

// At the edge a request's URL is absolute (https://name.workers.dev/oembed?…): the embed it
// answers with points at that origin.
func TestOEmbedPointsAtTheEdgesOwnOrigin(t *testing.T) {
	req := httptest.NewRequest("GET", "https://play.example.workers.dev/oembed?url=https%3A%2F%2Fplay.example.workers.dev%2F%3Fpreset%3Dcpu_mp", nil)
	rec := httptest.NewRecorder()
	routes(machine()).ServeHTTP(rec, req)
	body := rec.Body.String()
	if rec.Code != 200 || !strings.Contains(body, `src=\"https://play.example.workers.dev/embed?preset=cpu_mp\"`) {
		t.Errorf("oembed at the edge: %d %s", rec.Code, body)
	}
}
