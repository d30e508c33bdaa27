//go:build !(js && wasm)

package main

import (
	"fmt"
	"os"
)

// main exists so `go build ./...` and `go vet ./...` work on the host. It serves nothing on
// purpose: syumai/workers' non-JS Serve listens on every interface, and the Worker is only
// meaningful inside the Workers runtime (`make edge-dev` runs it locally in workerd).
func main() {
	fmt.Fprintln(os.Stderr, "edge/worker is the Cloudflare Worker: build it with `make edge` (GOOS=js GOARCH=wasm) and run it with `make edge-dev`")
	os.Exit(2)
}
