// Package cli is the native binary's `run`, `presets` and `bench` commands.
package cli

import (
	"fmt"
	"io"
)

func Run(args []string, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "run: not built yet")
	return 1
}

func Presets(args []string, stdout, stderr io.Writer) int { return Run(args, stdout, stderr) }
func Bench(args []string, stdout, stderr io.Writer) int   { return Run(args, stdout, stderr) }
