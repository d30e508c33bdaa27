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
