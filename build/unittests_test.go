package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestUnitTestsAreOneNodeModuleEach(t *testing.T) {
	site := t.TempDir()
	write := writer(t, site)
	write("src/add.ts", "export const add = (a: number, b: number): number => a + b;\n")
	write("src/add.test.ts", "import { test } from \"node:test\";\nimport { add } from \"./add\";\ntest(\"adds\", () => { if (add(1, 2) !== 3) throw new Error(\"1 + 2\"); });\n")
	write("src/engine/deep.test.ts", "import assert from \"node:assert/strict\";\nassert.ok(true);\n")
	out := filepath.Join(t.TempDir(), "unit")
	// left by an earlier run whose test has since been deleted, and a file that is no test
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(out, "gone.test.mjs"), []byte("throw 1"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(out, "notes.txt"), []byte("kept"), 0o644); err != nil {
		t.Fatal(err)
	}

	n, err := bundleUnitTests(site, out)
	if err != nil {
		t.Fatal(err)
	}
	if n != 2 {
		t.Errorf("bundled %d test files, want 2", n)
	}
	add, err := os.ReadFile(filepath.Join(out, "add.test.mjs"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`from "node:test"`, "a + b", "sourceMappingURL=data:"} {
		if !strings.Contains(string(add), want) {
			t.Errorf("add.test.mjs lacks %q (node:test kept as an import, ./add bundled in, an inline source map):\n%s", want, add)
		}
	}
	if _, err := os.Stat(filepath.Join(out, "engine", "deep.test.mjs")); err != nil {
		t.Errorf("a test in a subfolder keeps its folder: %v", err)
	}
	if _, err := os.Stat(filepath.Join(out, "gone.test.mjs")); !os.IsNotExist(err) {
		t.Errorf("a stale test file is still there (err %v): it would go on running", err)
	}
	if _, err := os.Stat(filepath.Join(out, "notes.txt")); err != nil {
		t.Errorf("a file that is no test was removed: %v", err)
	}
}

func TestNoUnitTestsIsAnError(t *testing.T) {
	site := t.TempDir()
	if err := os.MkdirAll(filepath.Join(site, "src"), 0o755); err != nil {
		t.Fatal(err)
	}
	_, err := bundleUnitTests(site, filepath.Join(t.TempDir(), "unit"))
	if err == nil || !strings.Contains(err.Error(), "no *.test.ts") {
		t.Fatalf("err = %v, want one that says no *.test.ts was found (an empty run would pass silently)", err)
	}
}
