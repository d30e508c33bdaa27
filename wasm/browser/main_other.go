//go:build !(js && wasm)

package main

import (
	"fmt"
	"os"
)

// main exists on other platforms only so that `go build ./...` and `go vet ./...` cover this
// package; the engine itself needs a browser.
func main() {
	fmt.Fprintln(os.Stderr, "wasm/browser is the browser engine: build it with GOOS=js GOARCH=wasm (go run ./build)")
	os.Exit(2)
}
