// Package framing says which of the playground's pages other sites may put in a frame, and the
// headers that say so. The page at / must not be framed by another origin: framed with the
// parameters a site chose, one click on it would start a run on the visitor's own backend
// (clickjacking). /embed is made to be framed, and its own rule (a run starts only on the
// reader's click inside it) protects it. The native server sets these headers itself; at the
// edge, Cloudflare's static assets read them from the _headers file the build writes.
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

// RefusedPaths are the paths, as requested, that send Refuse: the page and its file name.
var RefusedPaths = []string{"/", "/index.html"}

// SetRefuse adds Refuse to a response's headers.
func SetRefuse(h http.Header) {
	for _, r := range Refuse {
		h.Set(r.Name, r.Value)
	}
}

// HeadersFile is the _headers file of Cloudflare's static assets that sends Refuse on
// RefusedPaths, and nothing on any other path (/embed included).
func HeadersFile() []byte {
	var b strings.Builder
	b.WriteString("# Written by the build tool from internal/framing: the page refuses frames from other origins; /embed is framable.\n")
	for _, p := range RefusedPaths {
		b.WriteString(p + "\n")
		for _, r := range Refuse {
			b.WriteString("  " + r.Name + ": " + r.Value + "\n")
		}
	}
	return []byte(b.String())
}
