package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// The committed module is what the Go side's values generate: a change to a limit, a default
// or a preset in Go that was not followed by a build fails here, not in a learner's page.
func TestFactsFileIsUpToDate(t *testing.T) {
	have, err := os.ReadFile(filepath.Join("..", "site", FactsFile))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(have, factsTS()) {
		t.Errorf("site/%s is stale: run `go run ./build -facts` (or make site) and commit it", FactsFile)
	}
}
