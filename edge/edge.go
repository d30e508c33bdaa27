// Package edge runs the playground's Worker (edge/worker, built by `make edge` into
// edge/dist) locally in workerd, Cloudflare's own runtime, fully offline: it builds the Worker,
// writes the workerd config that serves the page and the Worker on one port, and finds the
// workerd that npm installed in site/. `make edge-dev` (cmd/edge) and the edge tests use it; production runs
// from wrangler.toml instead.
package edge

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"text/template"
)

var (
	//go:embed workerd.capnp.tmpl
	configTemplate string
	//go:embed entry.mjs
	entry []byte
	//go:embed baseline.mjs
	baseline []byte
	//go:embed wrangler.toml
	wrangler []byte
)

// WorkerFiles are what `make edge` writes and the Worker needs: the Worker's JavaScript
// (worker.mjs, edge/worker/bridge's, beside syumai/workers' runtime.mjs and wasm_exec.js) and the
// Go wasm.
var WorkerFiles = []string{"worker.mjs", "runtime.mjs", "wasm_exec.js", "app.wasm"}

// Build builds the Worker into out from the module at root: syumai/workers' shim for the
// standard Go toolchain with the bridge's worker.mjs in place of syumai's, then the wasm, as small as that toolchain makes it (-s -w drop the
// symbol table and DWARF, -trimpath the build machine's paths).
func Build(root, out string) error {
	gen := exec.Command("go", "run", "github.com/syumai/workers/cmd/workers-assets-gen", "-mode=go", "-o", out)
	wasm := exec.Command("go", "build", "-trimpath", "-ldflags=-s -w", "-o", filepath.Join(out, "app.wasm"), "./edge/worker")
	wasm.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	for _, c := range []*exec.Cmd{gen, wasm} {
		c.Dir = root
		if b, err := c.CombinedOutput(); err != nil {
			return fmt.Errorf("building the Worker: %v: %v\n%s", c.Args, err, b)
		}
	}
	// The Worker's own worker.mjs in place of syumai's: it keeps one Go instance across
	// requests (edge/worker/bridge).
	js, err := os.ReadFile(filepath.Join(root, "edge", "worker", "bridge", "worker.mjs"))
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(out, "worker.mjs"), js, 0o644)
}

// CheckWorker reports which of the Worker's files are missing from dir.
func CheckWorker(dir string) error {
	for _, f := range WorkerFiles {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			return fmt.Errorf("the Worker is not built in %s (%s is missing): run `make edge`", dir, f)
		}
	}
	return nil
}

// FreePlanLimit is Cloudflare's limit on a Worker's compressed size on the free plan (paid
// plans allow 10 MB): a Worker over it cannot be deployed by everyone.
const FreePlanLimit = 3_000_000

// WasmSize is the Worker's wasm size, raw and gzipped (Cloudflare's size limit counts the
// compressed upload).
func WasmSize(dir string) (raw, gz int, err error) {
	b, err := os.ReadFile(filepath.Join(dir, "app.wasm"))
	if err != nil {
		return 0, 0, err
	}
	var buf bytes.Buffer
	w, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	w.Write(b)
	w.Close()
	return len(b), buf.Len(), nil
}

// Workerd is the workerd binary npm installed for the module at root: the executable in its
// platform package (@cloudflare/workerd-linux-64 and the like). Not node_modules/.bin/workerd:
// without workerd's install script (package.json denies it) that is a Node launcher, which
// runs the binary through child_process and does not pass on the listening socket (fd 3).
func Workerd(root string) (string, error) {
	p := filepath.Join(root, "site", "node_modules", "@cloudflare", "workerd-"+workerdPlatform(), "bin", "workerd")
	if runtime.GOOS == "windows" {
		p += ".exe"
	}
	if _, err := os.Stat(p); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return "", fmt.Errorf("workerd (Cloudflare's runtime) is not installed at %s: run `npm ci` in site/", p)
		}
		return "", err
	}
	return p, nil
}

// workerdPlatform names this machine as workerd's platform packages do: linux-64, darwin-arm64.
func workerdPlatform() string {
	arch := runtime.GOARCH
	if arch == "amd64" {
		arch = "64"
	}
	return runtime.GOOS + "-" + arch
}

// Config is one local run of the Worker.
type Config struct {
	WorkerDir string // the built Worker (WorkerFiles)
	AssetsDir string // the page: site/dist
	Addr      string // where workerd listens, e.g. 127.0.0.1:8787 (a --socket-fd overrides it)

	// BaselineAddr, if set, also serves baseline.mjs there (socket "baseline"): a trivial
	// JavaScript Worker in the same workerd, beside which make bench-edge reads the Go
	// Worker's own cost.
	BaselineAddr string
}

// CompatibilityDate is wrangler.toml's compatibility_date: the runtime behaviour the Worker
// is written against, the same locally and in production.
func CompatibilityDate() string {
	m := regexp.MustCompile(`(?m)^compatibility_date = "([0-9-]+)"`).FindSubmatch(wrangler)
	if m == nil {
		panic("edge/wrangler.toml has no compatibility_date") // embedded: a build-time fact
	}
	return string(m[1])
}

// WriteConfig writes workerd.capnp and entry.mjs (and baseline.mjs if asked for) into dir and returns the config's path.
// workerd embeds files relative to the config, so the Worker's files are named relative to dir.
func WriteConfig(dir string, c Config) (string, error) {
	workerDir, err1 := filepath.Abs(c.WorkerDir)
	assetsDir, err2 := filepath.Abs(c.AssetsDir)
	absDir, err3 := filepath.Abs(dir)
	if err := errors.Join(err1, err2, err3); err != nil {
		return "", err
	}
	var relErr error
	t := template.Must(template.New("workerd.capnp").Funcs(template.FuncMap{
		// Cap'n Proto text strings take C escapes, which Go's quoting writes.
		"quote": strconv.Quote,
		"rel": func(name string) string {
			r, err := filepath.Rel(absDir, filepath.Join(workerDir, name))
			relErr = errors.Join(relErr, err)
			return filepath.ToSlash(r)
		},
	}).Parse(configTemplate))
	var buf bytes.Buffer
	err := t.Execute(&buf, struct {
		Config
		CompatibilityDate string
	}{Config{WorkerDir: workerDir, AssetsDir: assetsDir, Addr: c.Addr, BaselineAddr: c.BaselineAddr}, CompatibilityDate()})
	if err = errors.Join(err, relErr); err != nil {
		return "", err
	}
	config := filepath.Join(dir, "workerd.capnp")
	if err := os.WriteFile(filepath.Join(dir, "entry.mjs"), entry, 0o644); err != nil {
		return "", err
	}
	if c.BaselineAddr != "" {
		if err := os.WriteFile(filepath.Join(dir, "baseline.mjs"), baseline, 0o644); err != nil {
			return "", err
		}
	}
	return config, os.WriteFile(config, buf.Bytes(), 0o644)
}
