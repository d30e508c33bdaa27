package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/evanw/esbuild/pkg/api"
)

// options are what every bundle shares: minified, for the browsers of the last few years
// (ES2022: class fields, top-level await), content-hashed names, kept in memory until the
// whole build has succeeded.
func options(site string) api.BuildOptions {
	return api.BuildOptions{
		AbsWorkingDir:     site,
		Outdir:            filepath.Join(site, "dist"),
		Bundle:            true,
		Platform:          api.PlatformBrowser,
		Target:            api.ES2022,
		MinifyWhitespace:  true,
		MinifyIdentifiers: true,
		MinifySyntax:      true,
		Charset:           api.CharsetUTF8,
		LogLevel:          api.LogLevelSilent, // messages are formatted below, with the step's name
		Write:             false,
	}
}

// bundleWorker bundles the engine's Web Worker script, Go's wasm_exec.js included, as a
// classic script: a module worker would gain nothing, since the worker imports nothing at
// run time.
func bundleWorker(site string) (file, error) {
	wasmExec, err := wasmExecPath()
	if err != nil {
		return file{}, err
	}
	o := options(site)
	o.EntryPoints = []string{"src/engine/worker.ts"}
	o.EntryNames = "engine-[name]-[hash]"
	o.Format = api.FormatIIFE
	o.Plugins = []api.Plugin{{
		Name: "go:wasm_exec",
		Setup: func(b api.PluginBuild) {
			b.OnResolve(api.OnResolveOptions{Filter: `^go:wasm_exec$`}, func(api.OnResolveArgs) (api.OnResolveResult, error) {
				return api.OnResolveResult{Path: wasmExec}, nil
			})
		},
	}}
	r := api.Build(o)
	if err := messages("the engine's worker", r); err != nil {
		return file{}, err
	}
	if len(r.OutputFiles) != 1 {
		return file{}, fmt.Errorf("the engine's worker: esbuild wrote %d files, want 1", len(r.OutputFiles))
	}
	return file{name: filepath.Base(r.OutputFiles[0].Path), data: r.OutputFiles[0].Contents}, nil
}

// bundlePages bundles every page's entry in one build, as ES modules split into shared chunks,
// and works out from esbuild's metafile what each page loads.
func bundlePages(site, worker, wasm string) ([]page, []file, error) {
	pages, err := findPages(site)
	if err != nil || len(pages) == 0 {
		return nil, nil, err
	}
	o := options(site)
	for _, p := range pages {
		o.EntryPoints = append(o.EntryPoints, p.entry)
	}
	o.Format = api.FormatESModule
	o.Splitting = true
	o.EntryNames = "[name]-[hash]"
	o.ChunkNames = "chunk-[hash]"
	o.AssetNames = "[name]-[hash]"
	o.Loader = map[string]api.Loader{".svg": api.LoaderFile, ".png": api.LoaderFile, ".woff2": api.LoaderFile}
	o.Metafile = true
	// The engine's client names the worker and the wasm relative to its own module, which
	// sits beside them in dist: the page works under any path, /embed included.
	o.Define = map[string]string{
		"ENGINE_WORKER_URL": strconv.Quote("./" + worker),
		"ENGINE_WASM_URL":   strconv.Quote("./" + wasm),
	}
	r := api.Build(o)
	if err := messages("the pages", r); err != nil {
		return nil, nil, err
	}
	dist := o.Outdir
	var files []file
	for _, f := range r.OutputFiles {
		name, err := filepath.Rel(dist, f.Path)
		if err != nil {
			return nil, nil, err
		}
		files = append(files, file{name: filepath.ToSlash(name), data: f.Contents})
	}
	var meta metafile
	if err := json.Unmarshal([]byte(r.Metafile), &meta); err != nil {
		return nil, nil, fmt.Errorf("esbuild's metafile: %v", err)
	}
	for i := range pages {
		if err := meta.describe(&pages[i]); err != nil {
			return nil, nil, err
		}
	}
	return pages, files, nil
}

// messages prints esbuild's warnings and turns its errors into one error, formatted as
// esbuild's own command line shows them (file, line, the code, a caret).
func messages(step string, r api.BuildResult) error {
	for _, w := range api.FormatMessages(r.Warnings, api.FormatMessagesOptions{Kind: api.WarningMessage}) {
		fmt.Fprint(os.Stderr, step+": "+w)
	}
	if len(r.Errors) == 0 {
		return nil
	}
	text := api.FormatMessages(r.Errors, api.FormatMessagesOptions{Kind: api.ErrorMessage})
	return fmt.Errorf("%s: esbuild found %d error(s):\n%s", step, len(r.Errors), strings.Join(text, ""))
}

// metafile is the part of esbuild's metafile that says which output comes from which entry
// and imports what. Paths are relative to the site directory ("dist/index-HASH.js").
type metafile struct {
	Outputs map[string]struct {
		EntryPoint string `json:"entryPoint"`
		CSSBundle  string `json:"cssBundle"`
		Imports    []struct {
			Path string `json:"path"`
			Kind string `json:"kind"`
		} `json:"imports"`
		Inputs map[string]json.RawMessage `json:"inputs"`
	} `json:"outputs"`
}

// engineSource is the module whose presence in a page's bundle means the page runs the engine.
const engineSource = "src/engine/index.ts"

// describe fills in p's script, stylesheet, the chunks its script imports (to preload) and
// those it imports lazily, and whether it uses the engine.
func (m metafile) describe(p *page) error {
	for path, out := range m.Outputs {
		if out.EntryPoint == p.entry && strings.HasSuffix(path, ".js") {
			p.script = distName(path)
			if out.CSSBundle != "" {
				p.style = distName(out.CSSBundle)
			}
			p.preload, p.lazy = nil, nil
			m.walk(path, p, map[string]bool{path: true})
			return nil
		}
	}
	return fmt.Errorf("%s: esbuild wrote no script for it", p.entry)
}

func (m metafile) walk(path string, p *page, seen map[string]bool) {
	out := m.Outputs[path]
	if _, ok := out.Inputs[engineSource]; ok {
		p.engine = true
	}
	for _, imp := range out.Imports {
		if seen[imp.Path] || !strings.HasSuffix(imp.Path, ".js") {
			continue
		}
		seen[imp.Path] = true
		if imp.Kind == "import-statement" && !slices.Contains(p.lazy, distName(path)) {
			p.preload = append(p.preload, distName(imp.Path))
		} else {
			p.lazy = append(p.lazy, distName(imp.Path))
		}
		m.walk(imp.Path, p, seen)
	}
}

func distName(metaPath string) string { return strings.TrimPrefix(metaPath, "dist/") }
