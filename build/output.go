package main

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/base32"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"strings"

	"concurrency-playground/internal/framing"
)

// file is one output, named relative to dist.
type file struct {
	name string
	data []byte
	gz   []byte // gzip of data, for the server to send to clients that accept it; nil if not worth it
}

// hashedName names data by its content, as esbuild names its outputs: a changed file gets a
// new name, so every output can be cached forever.
func hashedName(base, ext string, data []byte) string {
	sum := sha256.Sum256(data)
	return base + "-" + base32.StdEncoding.EncodeToString(sum[:5]) + ext
}

// gzipped are the kinds of file worth compressing; images and fonts are compressed already.
var gzipped = []string{".js", ".css", ".html", ".wasm", ".svg", ".json"}

// compress gzips every file worth it at the best compression, one goroutine per core: done
// once per build, served many times.
func compress(files []file) error {
	sem := make(chan struct{}, runtime.NumCPU())
	steps := make([]func() error, 0, len(files))
	for i := range files {
		if !slices.Contains(gzipped, path.Ext(files[i].name)) {
			continue
		}
		steps = append(steps, func() error {
			sem <- struct{}{}
			defer func() { <-sem }()
			var b bytes.Buffer
			w, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
			w.Write(files[i].data)
			if err := w.Close(); err != nil {
				return err
			}
			files[i].gz = b.Bytes()
			return nil
		})
	}
	return parallel(steps...)
}

// keep is the only file of dist that is not built: the page shown before the first build.
const keep = "placeholder.html"

// writeDist replaces dist's contents, except the placeholder, with files.
func writeDist(dist string, files []file) error {
	entries, err := os.ReadDir(dist)
	if err != nil && !os.IsNotExist(err) {
		return err
	}
	for _, e := range entries {
		if e.Name() != keep {
			if err := os.RemoveAll(filepath.Join(dist, e.Name())); err != nil {
				return err
			}
		}
	}
	for _, f := range files {
		p := filepath.Join(dist, filepath.FromSlash(f.name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, f.data, 0o644); err != nil {
			return err
		}
		if f.gz != nil {
			if err := os.WriteFile(p+".gz", f.gz, 0o644); err != nil {
				return err
			}
		}
	}
	// Cloudflare's static assets compress on their own and never serve the .gz siblings, which
	// only the native server uses: keep them out of a deploy. _headers gives the files their
	// frame and CORS rules there (the native server sets them itself). go:embed skips files whose names
	// start with a dot or an underscore, so the native binary carries neither.
	if err := os.WriteFile(filepath.Join(dist, ".assetsignore"), []byte("*.gz\n"), 0o644); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dist, "_headers"), framing.HeadersFile(), 0o644)
}

// report prints every output's size, raw and gzipped, and what each page loads first.
func report(w io.Writer, dist string, files []file, pages []page, worker, wasm string) {
	slices.SortFunc(files, func(a, b file) int { return strings.Compare(a.name, b.name) })
	byName := make(map[string]file, len(files))
	fmt.Fprintf(w, "%-40s %11s %11s\n", filepath.ToSlash(filepath.Base(filepath.Dir(dist)))+"/dist", "bytes", "gzip")
	for _, f := range files {
		byName[f.name] = f
		fmt.Fprintf(w, "  %-38s %11s %11s\n", f.name, thousands(len(f.data)), gzSize(f))
	}
	for _, p := range pages {
		first := []string{p.name + ".html", p.script}
		first = append(first, p.preload...)
		if p.style != "" {
			first = append(first, p.style)
		}
		if p.engine {
			first = append(first, worker, wasm)
		}
		raw, gz := 0, 0
		for _, name := range first {
			raw += len(byName[name].data)
			gz += len(byName[name].gz)
		}
		fmt.Fprintf(w, "first load of %s: %s bytes, %s gzip (%d files: the page, its CSS and scripts", p.name+".html", thousands(raw), thousands(gz), len(first))
		if p.engine {
			fmt.Fprint(w, ", the engine's worker and wasm")
		}
		fmt.Fprintln(w, ")")
		if len(p.lazy) > 0 {
			fmt.Fprintf(w, "  loaded later, on demand: %s\n", strings.Join(p.lazy, ", "))
		}
	}
}

func gzSize(f file) string {
	if f.gz == nil {
		return "-"
	}
	return thousands(len(f.gz))
}

// thousands writes n with thousands separators: sizes are read by eye.
func thousands(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
