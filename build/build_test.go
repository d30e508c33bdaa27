package main

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// testSite writes a small site: the real engine client and worker (all of site/src/engine,
// which must need nothing else of the page but types.ts and the generated modules, which the
// build writes), and one page whose entry
// imports the engine and a stylesheet; embed.html has no entry yet.
func testSite(t *testing.T, index string) string {
	t.Helper()
	site := t.TempDir()
	write := writer(t, site)
	engine, err := filepath.Glob(filepath.Join("..", "site", "src", "engine", "*.ts"))
	if err != nil || len(engine) == 0 {
		t.Fatalf("no engine client in site/src/engine: %v", err)
	}
	names := []string{"src/types.ts"}
	for _, p := range engine {
		names = append(names, "src/engine/"+filepath.Base(p))
	}
	for _, name := range names {
		b, err := os.ReadFile(filepath.Join("..", "site", name))
		if err != nil {
			t.Fatal(err)
		}
		write(name, string(b))
	}
	write("index.html", "<!doctype html><html><head><title>t</title>\n<!--assets-->\n</head><body></body></html>\n")
	write("embed.html", "<!doctype html><html><head><!--assets--></head></html>\n")
	write("src/index.ts", index)
	write("src/look.css", "body { --mark: \"test-style\" }\n")
	write("dist/placeholder.html", "placeholder")
	write("dist/index-OLD.js", "stale")
	return site
}

const engineEntry = `import "./look.css";
import { loadEngine } from "./engine";
loadEngine().then((e) => document.title = e.info.go_version);
`

func TestBuildWritesAHashedPageWithItsAssets(t *testing.T) {
	site := testSite(t, engineEntry)
	if err := build("..", site); err != nil {
		t.Fatal(err)
	}
	dist := filepath.Join(site, "dist")
	read := func(name string) string {
		t.Helper()
		b, err := os.ReadFile(filepath.Join(dist, name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	if read("placeholder.html") != "placeholder" {
		t.Error("placeholder.html was not kept")
	}
	if _, err := os.Stat(filepath.Join(dist, "index-OLD.js")); !os.IsNotExist(err) {
		t.Error("a file of the previous build survived")
	}
	if _, err := os.Stat(filepath.Join(dist, "embed.html")); !os.IsNotExist(err) {
		t.Error("embed.html was built though its entry src/embed.ts does not exist")
	}

	html := read("index.html")
	if strings.Contains(html, assetsMarker) {
		t.Errorf("index.html still has its marker:\n%s", html)
	}
	find := func(pattern string) string {
		t.Helper()
		m := regexp.MustCompile(pattern).FindStringSubmatch(html)
		if m == nil {
			t.Fatalf("index.html has no %s:\n%s", pattern, html)
		}
		return m[1]
	}
	script := find(`<script type="module" src="\./(index-[A-Z2-7]{8}\.js)"></script>`)
	style := find(`<link rel="stylesheet" href="\./(index-[A-Z2-7]{8}\.css)">`)
	wasm := find(`<link rel="preload" href="\./(engine-[A-Z2-7]{8}\.wasm)" as="fetch" type="application/wasm" crossorigin>`)
	if !strings.Contains(read(style), "test-style") {
		t.Errorf("%s does not hold the entry's CSS", style)
	}
	if got := read(wasm)[:4]; got != "\x00asm" {
		t.Errorf("%s starts with %q, want the wasm magic", wasm, got)
	}
	// The client finds the worker and the wasm through the names the build defined.
	js := read(script)
	worker := regexp.MustCompile(`engine-worker-[A-Z2-7]{8}\.js`).FindString(js)
	if worker == "" || !strings.Contains(js, `"./`+wasm+`"`) {
		t.Fatalf("%s names worker %q and wasm %v; want both", script, worker, strings.Contains(js, wasm))
	}
	if !strings.Contains(read(worker), "_makeFuncWrapper") {
		t.Errorf("%s does not hold Go's wasm_exec.js", worker)
	}

	for _, name := range []string{"index.html", script, style, worker, wasm} {
		zr, err := gzip.NewReader(strings.NewReader(read(name + ".gz")))
		if err != nil {
			t.Fatalf("%s.gz: %v", name, err)
		}
		b, err := io.ReadAll(zr)
		if err != nil || !bytes.Equal(b, []byte(read(name))) {
			t.Errorf("%s.gz does not decompress to %s (%v)", name, name, err)
		}
	}
}

func TestBuildFailsWithEsbuildsMessage(t *testing.T) {
	site := testSite(t, "import { nothing } from \"./missing\";\nconsole.log(nothing);\n")
	err := build("..", site)
	if err == nil || !strings.Contains(err.Error(), `Could not resolve "./missing"`) || !strings.Contains(err.Error(), "src/index.ts:1:") {
		t.Fatalf("error %v, want esbuild's message with the file and line", err)
	}
	if _, err := os.Stat(filepath.Join(site, "dist", "index-OLD.js")); err != nil {
		t.Error("a failed build touched dist")
	}
}

func TestBuildRefusesATemplateWithoutItsMarker(t *testing.T) {
	site := testSite(t, engineEntry)
	os.WriteFile(filepath.Join(site, "index.html"), []byte("<html><head></head></html>"), 0o644)
	err := build("..", site)
	if err == nil || !strings.Contains(err.Error(), "index.html: want the comment <!--assets--> once in its <head>, found it 0 times") {
		t.Fatalf("error %v, want the missing marker named", err)
	}
}

func TestThousands(t *testing.T) {
	for n, want := range map[int]string{0: "0", 999: "999", 1000: "1,000", 3196440: "3,196,440"} {
		if got := thousands(n); got != want {
			t.Errorf("thousands(%d) = %q, want %q", n, got, want)
		}
	}
}

// writer returns a function that writes a file under dir, making its folders.
func writer(t *testing.T, dir string) func(name, text string) {
	return func(name, text string) {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
