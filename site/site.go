// Package site embeds the built page (site/dist, written by `make build`) into the native
// binary. Before the page is built, dist holds only placeholder.html, which says how to build it.
package site

import (
	"embed"
	"io/fs"
)

//go:embed dist
var dist embed.FS

// Dist is the built page's files, rooted at dist/.
func Dist() fs.FS {
	sub, err := fs.Sub(dist, "dist")
	if err != nil {
		panic(err) // dist is embedded at compile time: it is always there
	}
	return sub
}

// Built reports whether the page has been built (dist has an index.html).
func Built() bool {
	_, err := fs.Stat(Dist(), "index.html")
	return err == nil
}

//go:embed python/*.py
var python embed.FS

// Python is the lesson's scripts (site/python) and their runner, rooted at python/: what a
// CPython run executes, and nothing else.
func Python() fs.FS {
	sub, err := fs.Sub(python, "python")
	if err != nil {
		panic(err)
	}
	return sub
}
