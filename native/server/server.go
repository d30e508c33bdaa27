// Package server is `native serve`: the playground's HTTP routes and its WebSocket.
package server

import (
	"fmt"
	"io"
)

// Main runs `native serve` with args and returns the exit code.
func Main(args []string, stderr io.Writer) int {
	fmt.Fprintln(stderr, "serve: not built yet")
	return 1
}
