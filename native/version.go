package main

import (
	"fmt"
	"io"
	"runtime/debug"
)

// version and commit are set by `make release` (-ldflags -X) from git when the build info has
// no VCS stamp of its own (the Makefile builds with -buildvcs=false, and the go command does
// not stamp builds made in a git worktree). Left empty, they read "unknown".
var version, commit string

// buildVersion reads the version and commit from the binary's build info: the go command's VCS
// stamp (vcs.revision, vcs.modified) and module version when it wrote them, else the values
// the release build set.
func buildVersion() (ver, rev string) {
	ver, rev = version, commit
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return orUnknown(ver), orUnknown(rev)
	}
	if v := info.Main.Version; v != "" && v != "(devel)" {
		ver = v
	}
	dirty := false
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if dirty && rev != "" {
		rev += "-dirty"
	}
	return orUnknown(ver), orUnknown(rev)
}

func orUnknown(s string) string {
	if s == "" {
		return "unknown"
	}
	return s
}

// printVersion is `native version`: one line a bug report can quote.
func printVersion(stdout io.Writer) int {
	ver, rev := buildVersion()
	goVersion := "unknown"
	if info, ok := debug.ReadBuildInfo(); ok {
		goVersion = info.GoVersion
	}
	fmt.Fprintf(stdout, "concurrency-playground %s (commit %s, %s)\n", ver, rev, goVersion)
	return 0
}
