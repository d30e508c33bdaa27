package main

import (
	"bytes"
	"fmt"
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
			t.Errorf("site/%s is stale: run `go run ./build -facts` (or make site) and commit it; %s", m.file, firstDifference(have, want))
		}
	}
}

// firstDifference names the first line where the committed module and the generated one part.
func firstDifference(have, want []byte) string {
	h, w := bytes.Split(have, []byte("\n")), bytes.Split(want, []byte("\n"))
	for i := 0; i < len(h) && i < len(w); i++ {
		if !bytes.Equal(h[i], w[i]) {
			return fmt.Sprintf("line %d is\n\t%.200s\nwant\n\t%.200s", i+1, h[i], w[i])
		}
	}
	return fmt.Sprintf("it has %d lines, want %d", len(h), len(w))
}
