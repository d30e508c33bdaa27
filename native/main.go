// Command native is the playground's native backend and CLI:
//
//	native serve [-addr 127.0.0.1:8080] [-allow-origin URL ...]   serve the page and the WebSocket
//	native run -preset NAME [-workers N] [-json] [-trace FILE]     run one experiment here
//	native presets                                                 list the lesson's scripts
//	native bench                                                   every preset, one table
//	native version                                                 version and commit
//
// The same binary is re-executed as the process pool's workers (see package procpool).
package main

import (
	"fmt"
	"io"
	"os"
	"strings"

	"concurrency-playground/native/cli"
	"concurrency-playground/native/procpool"
)

const usage = `Concurrency Playground: the lesson "speed up your program with concurrency", measured.

Usage:
  native [serve] [-addr 127.0.0.1:8080] [-allow-origin URL ...]
        serve the playground page, the site farm and the WebSocket (the default)
  native run -preset NAME [-workers N] [-json] [-trace FILE]
  native run -experiment io|cpu|race -variant sequential|eventloop|pool|gil|process [flags]
        run one experiment natively and print what the lesson's script prints
  native presets
        list the presets: the lesson's scripts
  native bench
        run every preset and print durations and speedups next to the lesson's Python figures
  native version
        print the version and the commit this binary was built from (also -version)

Run 'native COMMAND -h' for a command's flags.
`

func main() {
	procpool.ServeIfWorker() // in a worker process this serves tasks and exits; else returns
	os.Exit(dispatch(os.Args[1:], os.Stdout, os.Stderr))
}

func dispatch(args []string, stdout, stderr io.Writer) int {
	cmd := "serve"
	if len(args) > 0 && (!strings.HasPrefix(args[0], "-") || isHelp(args[0]) || isVersion(args[0])) {
		cmd, args = args[0], args[1:]
	}
	if isHelp(cmd) {
		fmt.Fprint(stdout, usage)
		return 0
	}
	if isVersion(cmd) {
		cmd = "version"
	}
	switch cmd {
	case "serve":
		return cli.Serve(args, stdout, stderr)
	case "run":
		return cli.Run(args, stdout, stderr)
	case "presets":
		return cli.Presets(args, stdout, stderr)
	case "bench":
		return cli.Bench(args, stdout, stderr)
	case "version":
		return printVersion(stdout)
	}
	fmt.Fprintf(stderr, "native: unknown command %q; run 'native help'\n", cmd)
	return 2
}

// isHelp says whether arg asks for the commands: "native -h" lists them, where "native -addr …"
// is serve's flag (serve is the default command) and "native serve -h" is serve's help.
func isHelp(arg string) bool {
	switch arg {
	case "help", "-h", "-help", "--help":
		return true
	}
	return false
}

// isVersion: "native -version" is the version command, as "native -h" is help.
func isVersion(arg string) bool { return arg == "version" || arg == "-version" || arg == "--version" }
