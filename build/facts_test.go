package main

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"concurrency-playground/internal/protocol"
	"concurrency-playground/internal/trace"
	"concurrency-playground/internal/workload"
)

// No list of the Go side's names is copied by hand into the page: a copy of a whole list (as an
// array or a union, in any order) outside src/gen fails here. A subset or a ranking is the
// page's own; the full list is the generated one.
func TestNoNameListWrittenByHand(t *testing.T) {
	lists := map[string][]string{"experiments": nil, "variants": nil, "race modes": nil, "targets": nil, "span states": nil, "error codes": nil}
	for _, e := range workload.Experiments {
		lists["experiments"] = append(lists["experiments"], string(e))
	}
	for _, v := range workload.Variants {
		lists["variants"] = append(lists["variants"], string(v))
	}
	for _, m := range workload.RaceModes {
		lists["race modes"] = append(lists["race modes"], string(m))
	}
	for _, w := range workload.Wheres {
		lists["targets"] = append(lists["targets"], string(w))
	}
	for s := trace.Compute; s <= trace.Spawn; s++ {
		lists["span states"] = append(lists["span states"], s.String())
	}
	for _, c := range protocol.Codes {
		lists["error codes"] = append(lists["error codes"], string(c))
	}
	run := regexp.MustCompile(`"[a-z_]+"(?:\s*[,|]\s*"[a-z_]+")+`)
	src := filepath.Join("..", "site", "src")
	err := filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".ts") || strings.HasSuffix(path, ".test.ts") || strings.HasSuffix(path, ".gen.ts") {
			return err
		}
		text, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range run.FindAll(text, -1) {
			for name, list := range lists {
				if containsAll(string(m), list) {
					t.Errorf("%s: %s copies the Go side's %s: import them from src/gen/facts.gen.ts", path, m, name)
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func containsAll(run string, names []string) bool {
	for _, n := range names {
		if !strings.Contains(run, `"`+n+`"`) {
			return false
		}
	}
	return true
}
