// Package framing says which of the playground's pages other sites may put in a frame, and the
// headers that say so. A page of the playground must not be framed by another origin: framed
// with the parameters a site chose, one click on it would start a run on the visitor's own
// backend (clickjacking). So every page refuses frames by default, whatever path reached it
// (/index, /%69ndex.html), and only /embed says nothing: it is made to be framed, and its own
// rule (a native run starts only on the reader's press inside it) protects it. The native
// server sets these headers itself; at the edge, Cloudflare's static assets read them from the
// _headers file the build writes.
//
// Every file of the page is public, and is also sent with Access-Control-Allow-Origin: *. An
// embed framed with sandbox="allow-scripts" has the origin "null", and its browser then fetches
// its module scripts and its wasm with CORS: without the header the card stays blank.
package framing

import (
	"net/http"
	"strings"
)

// Refuse refuses frames from other origins: CSP frame-ancestors for current browsers,
// X-Frame-Options for those that know only it.
var Refuse = []struct{ Name, Value string }{
	{"Content-Security-Policy", "frame-ancestors 'self'"},
	{"X-Frame-Options", "SAMEORIGIN"},
}

// FramablePaths are the paths, as the page is requested, that send no Refuse: the embeddable
// view and its file name.
var FramablePaths = []string{"/embed", "/embed.html"}

// Public is the header every file of the page carries: any origin, "null" included, may read it.
var Public = struct{ Name, Value string }{"Access-Control-Allow-Origin", "*"}

// SetRefuse adds Refuse to a response's headers.
func SetRefuse(h http.Header) {
	for _, r := range Refuse {
		h.Set(r.Name, r.Value)
	}
}

// HeadersFile is the _headers file of Cloudflare's static assets: every file public and
// refusing frames, then, on FramablePaths, the refusal taken off again ("! Name" detaches a
// header an earlier rule set).
func HeadersFile() []byte {
	var b strings.Builder
	b.WriteString("# Written by the build tool from internal/framing: every file is public and refuses frames from\n")
	b.WriteString("# other origins; /embed is framable.\n")
	b.WriteString("/*\n  " + Public.Name + ": " + Public.Value + "\n")
	for _, r := range Refuse {
		b.WriteString("  " + r.Name + ": " + r.Value + "\n")
	}
	for _, p := range FramablePaths {
		b.WriteString(p + "\n")
		for _, r := range Refuse {
			b.WriteString("  ! " + r.Name + "\n")
		}
	}
	return []byte(b.String())
}
