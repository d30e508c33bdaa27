package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
)

// make clean removes everything the build wrote into site/dist, dot files included, and keeps
// the committed placeholder. It runs the repository's Makefile and mk/ in a copy, so the test
// removes nothing of the working tree.
func TestMakeCleanLeavesOnlyThePlaceholderInDist(t *testing.T) {
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	copyFile := func(rel string) {
		data, err := os.ReadFile(filepath.Join(root, rel))
		if err != nil {
			t.Fatal(err)
		}
		write(t, filepath.Join(dir, rel), data)
	}
	copyFile("Makefile")
	mks, _ := filepath.Glob(filepath.Join(root, "mk", "*.mk"))
	for _, mk := range mks {
		copyFile(filepath.Join("mk", filepath.Base(mk)))
	}
	// What `go run ./build` writes (build/output.go's writeDist), and the placeholder.
	for _, name := range []string{"placeholder.html", "index.html", "index.html.gz", "app-5XKQ2J7M.js", ".assetsignore", "_headers"} {
		write(t, filepath.Join(dir, "site", "dist", name), []byte("x"))
	}
	cmd := exec.Command("make", "clean")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "MAKEFLAGS=", "MAKELEVEL=")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("make clean: %v\n%s", err, out)
	}
	entries, _ := os.ReadDir(filepath.Join(dir, "site", "dist"))
	var left []string
	for _, e := range entries {
		left = append(left, e.Name())
	}
	if !slices.Equal(left, []string{"placeholder.html"}) {
		t.Errorf("after make clean site/dist holds %v, want only placeholder.html", left)
	}
}

func write(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}
