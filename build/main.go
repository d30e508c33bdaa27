// Command build builds the playground's page into site/dist: the browser engine (wasm/browser
// compiled to WebAssembly), its Web Worker and the page's TypeScript bundled by esbuild's Go
// API, every name content-hashed, every text and wasm file with a gzip sibling. Run it from
// the repository root: go run ./build (make site).
//
// Every site/*.html is a page template; its entry is site/src/<page>.ts, and the literal
// comment <!--assets--> in its <head> becomes the page's stylesheet, script, module preloads
// and a preload of the engine's wasm. A page whose entry does not exist yet is skipped.
//
// go run ./build -unit DIR only bundles the page's unit tests (site/src/**/*.test.ts) for
// node --test DIR (make test-unit).
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

func main() {
	site := flag.String("site", "site", "the site's directory: *.html templates, src/, node_modules/; the output goes to its dist/")
	factsOnly := flag.Bool("facts", false, "only write the generated modules ("+FactsFile+", "+ProtocolFile+", "+FiguresFile+", "+CodeFile+") from the Go side, and stop")
	unit := flag.String("unit", "", "only bundle the unit tests (site/src/**/*.test.ts) into this directory, one .mjs each for node --test, and stop")
	flag.Parse()
	if *unit != "" {
		n, err := bundleUnitTests(*site, *unit)
		if err != nil {
			fmt.Fprintln(os.Stderr, "build:", err)
			os.Exit(1)
		}
		fmt.Printf("bundled %d unit test file(s) into %s\n", n, *unit)
		return
	}
	if *factsOnly {
		if err := writeGenerated(".", *site); err != nil {
			fmt.Fprintln(os.Stderr, "build:", err)
			os.Exit(1)
		}
		return
	}
	if err := build(".", *site); err != nil {
		fmt.Fprintln(os.Stderr, "build:", err)
		os.Exit(1)
	}
}

// build runs the steps, in parallel where they do not depend on each other: the engine's
// wasm (the slow one, a Go build in the module at root) alongside the worker's bundle; then
// the pages' bundle, which names both; then the HTML, gzip and the writing of dist.
func build(root, site string) error {
	start := time.Now()
	if _, err := os.Stat(filepath.Join(site, "src")); err != nil {
		return fmt.Errorf("%s/src not found: run from the repository root (go run ./build)", site)
	}
	site, err := filepath.Abs(site)
	if err != nil {
		return err
	}
	// The page imports the Go side's values: write them before anything is bundled.
	if err := writeGenerated(root, site); err != nil {
		return err
	}
	var (
		wasm, worker, kit file
		wasmTime, wkTime  time.Duration
	)
	err = parallel(
		func() (err error) {
			t := time.Now()
			wasm, err = buildEngine(root)
			wasmTime = time.Since(t)
			return err
		},
		func() (err error) {
			t := time.Now()
			worker, err = bundleWorker(site)
			wkTime = time.Since(t)
			return err
		},
		func() (err error) {
			kit, err = bundleKit(site)
			return err
		},
	)
	if err != nil {
		return err
	}
	t := time.Now()
	pages, files, err := bundlePages(site, worker.name, wasm.name)
	if err != nil {
		return err
	}
	bundleTime := time.Since(t)
	files = append(files, wasm, worker)
	if kit.name != "" {
		files = append(files, kit)
	}
	for i := range pages {
		html, err := pages[i].render(wasm.name)
		if err != nil {
			return err
		}
		files = append(files, html)
	}
	t = time.Now()
	if err := compress(files); err != nil {
		return err
	}
	gzipTime := time.Since(t)
	dist := filepath.Join(site, "dist")
	if err := writeDist(dist, files); err != nil {
		return err
	}
	report(os.Stdout, dist, files, pages, worker.name, wasm.name)
	fmt.Printf("built in %v (engine wasm %v, worker %v, in parallel; pages %v; gzip %v)\n",
		round(time.Since(start)), round(wasmTime), round(wkTime), round(bundleTime), round(gzipTime))
	return nil
}

// parallel runs every step at once and returns their errors, joined.
func parallel(steps ...func() error) error {
	errs := make([]error, len(steps))
	done := make(chan struct{})
	for i, step := range steps {
		go func() {
			errs[i] = step()
			done <- struct{}{}
		}()
	}
	for range steps {
		<-done
	}
	return errors.Join(errs...)
}

func round(d time.Duration) time.Duration { return d.Round(time.Millisecond) }

// writeGenerated writes every module the page imports from the Go side: the facts, the wire's
// types, the lesson's figures, the code view.
func writeGenerated(root, site string) error {
	if err := writeFacts(site); err != nil {
		return err
	}
	if err := writeProtocol(site); err != nil {
		return err
	}
	if err := writeFigures(site); err != nil {
		return err
	}
	return writeCode(root, site)
}
