package info

import (
	"encoding/json"
	"go/build"
	"maps"
	"slices"
	"testing"

	"concurrency-playground/internal/workload"
)

// The JSON names are a contract (docs/protocol.md; the page's types are generated from them):
// fields may be added, never renamed.
func TestInfoJSONNames(t *testing.T) {
	i := New(workload.Machine{Where: "native", OS: "linux", Arch: "amd64", Cores: 2, GOMAXPROCS: 2, GoVersion: "go1.26"},
		[]workload.Variant{workload.Sequential, workload.Pool})
	b, err := json.Marshal(i)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	want := []string{"arch", "cores", "go_version", "gomaxprocs", "limits", "os", "presets", "protocol", "variants", "version", "where"}
	if got := slices.Sorted(maps.Keys(doc)); !slices.Equal(got, want) {
		t.Errorf("info's fields %v, want %v", got, want)
	}
	var limits map[string]any
	if err := json.Unmarshal(doc["limits"], &limits); err != nil {
		t.Fatal(err)
	}
	want = []string{"delay", "jitter", "n", "process_workers", "repeat", "size", "tasks", "work", "workers"}
	if got := slices.Sorted(maps.Keys(limits)); !slices.Equal(got, want) {
		t.Errorf("limits' fields %v, want %v", got, want)
	}
	if limits["delay"] != workload.Duration(workload.Limits.Delay).String() {
		t.Errorf("limits.delay = %v, want the duration as a string", limits["delay"])
	}
	if len(i.Presets) != len(workload.Presets) || i.Presets[0] != workload.Presets[0].Name {
		t.Errorf("presets %v, want the names of workload.Presets", i.Presets)
	}
	if i.Version != Version || i.Protocol != Protocol || i.Where != "native" {
		t.Errorf("info %+v", i)
	}
}

// The browser engine links this package; fmt, reflect and encoding/json would cost it tens of
// KB of gzip. Checked on the package's own imports (its one dependency, workload, has none
// of them either, which the engine's build shows).
func TestImportsStaySmall(t *testing.T) {
	for _, dir := range []string{".", "../workload"} {
		p, err := build.ImportDir(dir, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range p.Imports {
			if imp == "fmt" || imp == "reflect" || imp == "encoding/json" {
				t.Errorf("%s imports %s, which the browser engine would then link: its size is the page's load time", dir, imp)
			}
		}
	}
}
