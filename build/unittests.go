package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/evanw/esbuild/pkg/api"
)

// bundleUnitTests bundles every site/src/**/*.test.ts, each with what it imports, into one
// ES module for Node per test file (dir/state.test.mjs for src/state.test.ts), for
// `node --test dir`: Node 20 runs no TypeScript, and the page's modules import each other
// without extensions, as the bundler resolves them. Test files written by an earlier run are
// removed first, so a deleted test does not go on running.
func bundleUnitTests(site, dir string) (int, error) {
	site, err := filepath.Abs(site)
	if err != nil {
		return 0, err
	}
	dir, err = filepath.Abs(dir)
	if err != nil {
		return 0, err
	}
	src := filepath.Join(site, "src")
	var entries []string
	err = filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == "node_modules" {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(d.Name(), ".test.ts") {
			entries = append(entries, path)
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("unit tests: %v", err)
	}
	if len(entries) == 0 {
		return 0, fmt.Errorf("unit tests: no *.test.ts under %s", src)
	}
	r := api.Build(api.BuildOptions{
		AbsWorkingDir: site,
		EntryPoints:   entries,
		Outbase:       src,
		Outdir:        dir,
		OutExtension:  map[string]string{".js": ".mjs"},
		Bundle:        true,
		Platform:      api.PlatformNode, // node:test and node:assert stay imports
		Format:        api.FormatESModule,
		Target:        api.ES2022,
		// Unminified, with the TypeScript inline: a failure's stack names the .ts line
		// (node --enable-source-maps).
		Sourcemap: api.SourceMapInline,
		Charset:   api.CharsetUTF8,
		LogLevel:  api.LogLevelSilent,
		Write:     false,
	})
	if err := messages("the unit tests", r); err != nil {
		return 0, err
	}
	if err := removeStaleTests(dir); err != nil {
		return 0, err
	}
	for _, f := range r.OutputFiles {
		if err := os.MkdirAll(filepath.Dir(f.Path), 0o755); err != nil {
			return 0, err
		}
		if err := os.WriteFile(f.Path, f.Contents, 0o644); err != nil {
			return 0, err
		}
	}
	return len(entries), nil
}

// removeStaleTests removes the *.test.mjs files under dir, and nothing else: dir is named on
// the command line, and a mistyped one must not lose anybody's files.
func removeStaleTests(dir string) error {
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(d.Name(), ".test.mjs") {
			return os.Remove(path)
		}
		return nil
	})
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return err
}
