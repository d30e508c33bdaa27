package main

import (
	"html"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

var tag = regexp.MustCompile(`<[^>]*>`)

// Every Go line the code view shows, its highlighting taken off, is the line of its file it
// claims to be, whitespace aside; and every Python line is its script's.
func TestCodeLinesAreTheSourcesLines(t *testing.T) {
	check := func(b codeBlock) {
		src, err := os.ReadFile(filepath.Join("..", b.File))
		if err != nil {
			t.Fatal(err)
		}
		file := strings.Split(string(src), "\n")
		for _, l := range b.Lines {
			shown := html.UnescapeString(tag.ReplaceAllString(l.HTML, ""))
			if l.N < 1 || l.N > len(file) || strings.TrimSpace(shown) != strings.TrimSpace(file[l.N-1]) {
				t.Errorf("%s:%d shows %q, not a line of the file", b.File, l.N, shown)
			}
		}
	}
	for _, f := range goFuncs {
		b, err := goBlock("..", f)
		if err != nil {
			t.Fatal(err)
		}
		if len(b.Lines) < 3 {
			t.Errorf("%s: %d lines, want the whole function", f.key, len(b.Lines))
		}
		check(b)
	}
	for _, s := range pyScripts {
		src, err := os.ReadFile(filepath.Join("..", "site", "python", s.key+".py"))
		if err != nil {
			t.Fatal(err)
		}
		lines, err := highlight("python", string(src), 1, s.marks)
		if err != nil {
			t.Fatal(err)
		}
		check(codeBlock{File: "site/python/" + s.key + ".py", Lines: lines})
	}
}

// A mark whose text no longer appears, or a function that moved away, fails the build instead
// of showing a learner an unmarked line or no code.
func TestCodeRefusesAMarkOrFunctionThatIsGone(t *testing.T) {
	if _, err := highlight("go", "func f() {\n\treturn\n}\n", 1, map[string]string{"fetch(": markWait}); err == nil || !strings.Contains(err.Error(), `"fetch("`) {
		t.Errorf("a mark matching no line: err = %v, want one naming the mark", err)
	}
	_, err := goBlock("..", goFunc{key: "x", file: "native/runner/pool.go", recv: "run", name: "noSuchFunc"})
	if err == nil || !strings.Contains(err.Error(), "noSuchFunc") {
		t.Errorf("a missing function: err = %v, want one naming it", err)
	}
}
