package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// The page's reference bars quote what internal/lesson holds, as native bench does.
func TestFiguresFileIsUpToDate(t *testing.T) {
	have, err := os.ReadFile(filepath.Join("..", "site", FiguresFile))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(have, figuresTS()) {
		t.Errorf("site/%s is stale: run `go run ./build -facts` (or make site) and commit it", FiguresFile)
	}
}
