package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/evanw/esbuild/pkg/api"
)

// The embed kit (site/src/kit.ts) is the one output with a fixed name: tutorials include it as
// <script src="…/embed.js">, an address that must keep working from one build to the next, so
// it carries no content hash (the server sends it with no-cache and an ETag instead).
const (
	kitEntry = "src/kit.ts"
	kitName  = "embed.js"
)

// bundleKit bundles the kit as one classic script (it runs on other sites' pages: no module,
// no chunk, nothing else to fetch). A site without a kit yields a file with no name.
func bundleKit(site string) (file, error) {
	if _, err := os.Stat(filepath.Join(site, kitEntry)); err != nil {
		return file{}, nil
	}
	o := options(site)
	o.EntryPoints = []string{kitEntry}
	o.EntryNames = "embed"
	o.Format = api.FormatIIFE
	r := api.Build(o)
	if err := messages("the embed kit", r); err != nil {
		return file{}, err
	}
	if len(r.OutputFiles) != 1 {
		return file{}, fmt.Errorf("the embed kit: esbuild wrote %d files, want 1", len(r.OutputFiles))
	}
	return file{name: kitName, data: r.OutputFiles[0].Contents}, nil
}
