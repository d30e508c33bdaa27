// Package install serves the one-command installers, /install.sh (POSIX sh) and /install.ps1
// (PowerShell), with the origin that served them written in: the script downloads the backend
// from that origin's /download/ and starts it allowing that origin, so a copy of the playground
// hosted anywhere installs from itself. The files under /download/ (the release and its
// SHA256SUMS, `make release`) are static assets; only the scripts need the origin, which a
// static file cannot know.
//
// Linked into the edge's wasm: it imports nothing the Worker does not already link.
package install

import (
	_ "embed"
	"net/http"
	"strings"

	"concurrency-playground/internal/oembed"
)

// The scripts' paths, and the folder of the release's files.
const (
	ShellPath      = "/install.sh"
	PowerShellPath = "/install.ps1"
	DownloadPrefix = "/download/"
)

// placeholder is where a script takes its origin.
const placeholder = "{{ORIGIN}}"

var (
	//go:embed install.sh
	shell string
	//go:embed install.ps1
	powerShell string
)

// Register adds GET /install.sh and GET /install.ps1 to mux.
func Register(mux *http.ServeMux) {
	mux.Handle("GET "+ShellPath, handler(shell, "text/x-shellscript; charset=utf-8"))
	mux.Handle("GET "+PowerShellPath, handler(powerShell, "text/plain; charset=utf-8"))
}

func handler(script, contentType string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		origin := oembed.RequestOrigin(r)
		if !plainOrigin(origin) {
			http.Error(w, "install: the request's origin cannot be written into a script", http.StatusBadRequest)
			return
		}
		h := w.Header()
		h.Set("Content-Type", contentType)
		// The script names the origin it was asked from; a cache shared by two hostnames of
		// one Worker must not hand one's script to the other.
		h.Set("Cache-Control", "no-cache")
		h.Set("X-Content-Type-Options", "nosniff")
		w.Write([]byte(strings.ReplaceAll(script, placeholder, origin)))
	})
}

// plainOrigin: http or https, then a host name, IPv4 or bracketed IPv6 address and an optional
// port, and nothing else, so no quote, space or shell character reaches a script.
func plainOrigin(origin string) bool {
	rest, ok := strings.CutPrefix(origin, "https://")
	if !ok {
		rest, ok = strings.CutPrefix(origin, "http://")
	}
	if !ok || rest == "" || len(rest) > 255 {
		return false
	}
	for _, c := range rest {
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case c == '.', c == '-', c == ':', c == '[', c == ']':
		default:
			return false
		}
	}
	return true
}
