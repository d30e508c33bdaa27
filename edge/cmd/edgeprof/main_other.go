//go:build !linux

// Command edgeprof profiles the Worker in workerd; it reads workerd's CPU time from /proc, so
// it runs on Linux.
package main

import (
	"fmt"
	"os"
)

func main() {
	fmt.Fprintln(os.Stderr, "edgeprof runs on Linux only")
	os.Exit(2)
}
