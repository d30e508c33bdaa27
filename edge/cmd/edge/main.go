// Command edge builds the playground's Worker and serves it locally in workerd; `make edge` and
// `make edge-dev` run it from the repository's root.
//
//	edge build [-o edge/dist]
//	edge dev [-addr 127.0.0.1:8787] [-worker edge/dist] [-assets site/dist]
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"syscall"

	"concurrency-playground/edge"
)

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintln(stderr, "usage: edge build [-o DIR] | edge dev [-addr HOST:PORT] [-worker DIR] [-assets DIR]")
		return 2
	}
	fs := flag.NewFlagSet("edge "+args[0], flag.ContinueOnError)
	fs.SetOutput(stderr)
	switch args[0] {
	case "build":
		out := fs.String("o", "edge/dist", "the Worker's output `directory`")
		if fs.Parse(args[1:]) != nil {
			return 2
		}
		return build(*out, stdout, stderr)
	case "dev":
		addr := fs.String("addr", "127.0.0.1:8787", "where workerd listens")
		worker := fs.String("worker", "edge/dist", "the built Worker's `directory` (make edge)")
		assets := fs.String("assets", "site/dist", "the page's `directory` (make build)")
		if fs.Parse(args[1:]) != nil {
			return 2
		}
		return dev(*addr, *worker, *assets, stderr)
	default:
		fmt.Fprintf(stderr, "edge: unknown command %q; use build or dev\n", args[0])
		return 2
	}
}

func build(out string, stdout, stderr io.Writer) int {
	if err := edge.Build(".", out); err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	raw, gz, err := edge.WasmSize(out)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	fmt.Fprintf(stdout, "edge: %s/app.wasm is %.2f MB raw, %.2f MB gzipped (Cloudflare's free plan allows %.0f MB gzipped)\n",
		out, float64(raw)/1e6, float64(gz)/1e6, float64(edge.FreePlanLimit)/1e6)
	if gz > edge.FreePlanLimit {
		fmt.Fprintln(stderr, "edge: the Worker no longer fits Cloudflare's free plan: keep heavy packages out of edge/worker")
		return 1
	}
	return 0
}

// dev replaces itself with workerd, so Ctrl-C and `kill` reach the runtime directly and nothing
// is left behind.
func dev(addr, worker, assets string, stderr io.Writer) int {
	workerd, err := edge.Workerd(".")
	if err == nil {
		err = edge.CheckWorker(worker)
	}
	if err != nil {
		fmt.Fprintln(stderr, "edge dev:", err)
		return 1
	}
	if _, err := os.Stat(filepath.Join(assets, "index.html")); err != nil {
		fmt.Fprintf(stderr, "edge dev: %s has no index.html yet (run `make build`): only the farm and /api/info will answer\n", assets)
	}
	// Next to the Worker, so `make clean` removes it; wrangler deploys only what worker.mjs imports.
	dir := filepath.Join(worker, "dev")
	config, err := func() (string, error) {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return "", err
		}
		return edge.WriteConfig(dir, edge.Config{WorkerDir: worker, AssetsDir: assets, Addr: addr})
	}()
	if err != nil {
		fmt.Fprintln(stderr, "edge dev: writing the workerd config:", err)
		return 1
	}
	fmt.Fprintf(stderr, "edge dev: the playground at the edge on http://%s (workerd, offline; config %s; Ctrl-C stops it)\n", addr, config)
	err = syscall.Exec(workerd, []string{"workerd", "serve", config}, os.Environ())
	fmt.Fprintln(stderr, "edge dev: starting workerd:", err)
	return 1
}
