package server

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"regexp"
	"strings"
	"time"

	"concurrency-playground/internal/framing"
)

// static serves the built page's files (site.Dist()): the page at /, the embeddable view at
// /embed, every other file at its own name. Files are indexed once at start-up, so a request
// can only ever name a file that is there, and each carries a strong ETag (its content's hash).
type static struct {
	dist  fs.FS
	files map[string]*file // by name, "app-5XKQ2J7M.js"
	page  *file            // GET /
	embed *file            // GET /embed
}

type file struct {
	name, ctype, etag, cache string
	gz                       *file // the build's gzip of this file, "name.gz", if any
}

// hashed matches the names of content-hashed assets (esbuild's "[name]-[hash]", base32
// uppercase, or a hex digest): their content never changes under that name.
var hashed = regexp.MustCompile(`[-.]([A-Z0-9]{8,}|[a-f0-9]{8,})\.[a-z0-9]+$`)

func newStatic(dist fs.FS, built bool) (*static, error) {
	s := &static{dist: dist, files: map[string]*file{}}
	err := fs.WalkDir(dist, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(dist, name)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(data)
		f := &file{name: name, etag: `"` + hex.EncodeToString(sum[:12]) + `"`, ctype: contentType(name), cache: "no-cache"}
		if hashed.MatchString(strings.TrimSuffix(name, ".gz")) {
			f.cache = "public, max-age=31536000, immutable"
		}
		s.files[name] = f
		return nil
	})
	if err != nil {
		return nil, err
	}
	for name, f := range s.files {
		if gz, ok := s.files[name+".gz"]; ok {
			f.gz = &file{name: gz.name, etag: gz.etag, ctype: f.ctype, cache: f.cache}
		}
	}
	page := "placeholder.html"
	if built {
		page = "index.html"
	}
	s.page, s.embed = s.files[page], s.files["embed.html"]
	if s.embed == nil { // a page build without an embeddable view yet: the page itself
		s.embed = s.page
	}
	return s, nil
}

func contentType(name string) string {
	switch ext := path.Ext(name); ext {
	case ".wasm":
		return "application/wasm" // WebAssembly.instantiateStreaming insists on it
	case ".gz":
		return "application/gzip"
	default:
		if t := mime.TypeByExtension(ext); t != "" {
			return t
		}
		return "application/octet-stream"
	}
}

func (s *static) servePage(w http.ResponseWriter, r *http.Request) { s.serve(w, r, s.page) }

func (s *static) serveEmbed(w http.ResponseWriter, r *http.Request) { s.serve(w, r, s.embed) }

func (s *static) serveFile(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method "+r.Method+" is not allowed; use GET", http.StatusMethodNotAllowed)
		return
	}
	s.serve(w, r, s.files[strings.TrimPrefix(r.URL.Path, "/")])
}

// serve sends f. Every page but the embeddable view refuses frames from other origins (package
// framing says why): by the file, not by the path that named it. Every file is public
// (framing.Public): a sandboxed embed's scripts and wasm are fetched with CORS.
func (s *static) serve(w http.ResponseWriter, r *http.Request, f *file) {
	if f == nil {
		http.NotFound(w, r)
		return
	}
	h := w.Header()
	h.Set(framing.Public.Name, framing.Public.Value)
	if strings.HasPrefix(f.ctype, "text/html") && f.name != "embed.html" {
		framing.SetRefuse(h)
	}
	if f.gz != nil {
		h.Add("Vary", "Accept-Encoding")
		if acceptsGzip(r.Header.Get("Accept-Encoding")) {
			f = f.gz
			h.Set("Content-Encoding", "gzip")
		}
	}
	h.Set("Content-Type", f.ctype)
	h.Set("Cache-Control", f.cache)
	h.Set("ETag", f.etag)
	content, err := s.dist.Open(f.name)
	if err != nil {
		http.Error(w, "site: "+f.name+" is missing", http.StatusInternalServerError)
		return
	}
	defer content.Close()
	rs, ok := content.(io.ReadSeeker) // embedded files are; read others whole
	if !ok {
		data, err := io.ReadAll(content)
		if err != nil {
			http.Error(w, "site: "+f.name+" is unreadable", http.StatusInternalServerError)
			return
		}
		rs = bytes.NewReader(data)
	}
	http.ServeContent(w, r, f.name, time.Time{}, rs)
}

// acceptsGzip reads an Accept-Encoding header: gzip listed and not refused with q=0.
func acceptsGzip(header string) bool {
	for part := range strings.SplitSeq(header, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if !strings.EqualFold(strings.TrimSpace(name), "gzip") {
			continue
		}
		q := strings.ReplaceAll(params, " ", "")
		return q != "q=0" && q != "q=0.0" && q != "q=0.00" && q != "q=0.000"
	}
	return false
}
