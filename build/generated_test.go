package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// Every committed generated module is what its Go source writes now: a limit, a name, a struct's
// field, a lesson figure or a variant's code that changed in Go without a build fails here, not
// in a learner's page.
func TestGeneratedModulesAreUpToDate(t *testing.T) {
	for _, m := range []struct {
		file string
		text func() ([]byte, error)
	}{
		{FactsFile, func() ([]byte, error) { return factsTS(), nil }},
		{ProtocolFile, func() ([]byte, error) { return protocolTS(), nil }},
		{FiguresFile, func() ([]byte, error) { return figuresTS(), nil }},
		{CodeFile, func() ([]byte, error) { return codeTS("..") }},
	} {
		have, err := os.ReadFile(filepath.Join("..", "site", m.file))
		if err != nil {
			t.Fatal(err)
		}
		want, err := m.text()
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(have, want) {
			t.Errorf("site/%s is stale: run `go run ./build -facts` (or make site) and commit it", m.file)
		}
	}
}
