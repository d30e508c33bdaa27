package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// assetsMarker is where a page template wants its stylesheet and scripts.
const assetsMarker = "<!--assets-->"

// page is one site/<name>.html and what its entry, site/src/<name>.ts, became.
type page struct {
	name     string // "index"
	entry    string // "src/index.ts"
	template []byte

	script  string   // the entry's module
	style   string   // its CSS bundle, if it imports CSS
	preload []string // chunks the script imports: fetched at once, in parallel with it
	lazy    []string // chunks it imports dynamically
	engine  bool     // the page runs the browser engine: the worker and the wasm load too
}

// findPages reads every site/*.html whose entry exists; a template whose entry does not exist
// (yet) is skipped with a note, so the engine can be built before the page is written.
func findPages(site string) ([]page, error) {
	templates, err := filepath.Glob(filepath.Join(site, "*.html"))
	if err != nil {
		return nil, err
	}
	var pages []page
	for _, t := range templates {
		name := strings.TrimSuffix(filepath.Base(t), ".html")
		entry := "src/" + name + ".ts"
		if _, err := os.Stat(filepath.Join(site, entry)); err != nil {
			fmt.Fprintf(os.Stderr, "build: skipping %s.html: its entry %s does not exist\n", name, entry)
			continue
		}
		tpl, err := os.ReadFile(t)
		if err != nil {
			return nil, err
		}
		if n := bytes.Count(tpl, []byte(assetsMarker)); n != 1 {
			return nil, fmt.Errorf("%s.html: want the comment %s once in its <head>, found it %d times", name, assetsMarker, n)
		}
		pages = append(pages, page{name: name, entry: entry, template: tpl})
	}
	if len(pages) == 0 {
		fmt.Fprintln(os.Stderr, "build: no page to build (site/*.html with site/src/<page>.ts): only the engine")
	}
	return pages, nil
}

// render writes the page's assets where the template has its marker: the stylesheet, the
// module preloads and the script, and a preload of the engine's wasm, which the engine
// fetches with the same mode and credentials (fetch's defaults: crossorigin, same-origin), so
// the download starts with the page's instead of after its script has run.
func (p page) render(wasm string) (file, error) {
	var b strings.Builder
	if p.style != "" {
		fmt.Fprintf(&b, `<link rel="stylesheet" href="./%s">`+"\n", p.style)
	}
	for _, c := range p.preload {
		fmt.Fprintf(&b, `<link rel="modulepreload" href="./%s">`+"\n", c)
	}
	fmt.Fprintf(&b, `<script type="module" src="./%s"></script>`, p.script)
	if p.engine {
		fmt.Fprintf(&b, "\n"+`<link rel="preload" href="./%s" as="fetch" type="application/wasm" crossorigin>`, wasm)
	}
	html := bytes.Replace(p.template, []byte(assetsMarker), []byte(b.String()), 1)
	return file{name: p.name + ".html", data: html}, nil
}
