// Package bridge serves one http.Handler to a Cloudflare Worker's JavaScript (worker.mjs) from
// a Go instance that is kept across requests. It is the smallest form of a change that belongs
// in github.com/syumai/workers: that package starts a fresh Go instance for every request
// (about 8 ms of CPU, almost all of it instantiating the wasm and initialising the Go runtime
// and packages) and streams each answer through io.Pipe and a JavaScript stream. An instance
// kept alive cannot stream: workerd binds a stream to the request that made it, and Go runs
// every ready goroutine on whichever request's event woke it, so a stream written from another
// request's turn fails. Here nothing of a request crosses over: worker.mjs hands Go plain
// values, the handler's answer is buffered, and worker.mjs builds the Response in its own
// request (docs/edge.md, "Where a request's time goes").
//
// This file is host-buildable, so the conversions are tested natively; bridge_js.go is the
// js/wasm glue.
package bridge

import (
	"bytes"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
)

// MaxBody bounds a request's body, which worker.mjs reads whole before Go sees it: no route of
// the Worker reads a body, and a larger one is refused (413) rather than held in memory.
const MaxBody = 1 << 20

// sep separates the names and values of a header list passed between Go and worker.mjs in one
// string (one crossing instead of one per header): a NUL cannot occur in an HTTP header.
const sep = "\x00"

// NewRequest builds the request the handler sees from what worker.mjs passes: the method, the
// absolute URL, the headers as name, value, name, value… joined by NUL, and the body (nil for
// none). It builds what syumai/workers' jshttp.ToRequest builds, so the handler cannot tell the
// two apart: a header's comma-separated values as separate values, Host from the Host header,
// RemoteAddr from Cf-Connecting-Ip.
func NewRequest(method, rawURL, headers string, body []byte) (*http.Request, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, err
	}
	var h http.Header
	if headers == "" {
		h = http.Header{}
	} else {
		kv := strings.Split(headers, sep)
		h = make(http.Header, len(kv)/2) // sized once: a browser sends a dozen or more
		for i := 0; i+1 < len(kv); i += 2 {
			for v := range strings.SplitSeq(kv[i+1], ",") {
				h.Add(kv[i], v)
			}
		}
	}
	r := &http.Request{
		Method:           method,
		URL:              u,
		Proto:            "HTTP/1.1",
		ProtoMajor:       1,
		ProtoMinor:       1,
		Header:           h,
		Body:             http.NoBody,
		TransferEncoding: strings.Split(h.Get("Transfer-Encoding"), ","),
		Host:             h.Get("Host"),
		RemoteAddr:       h.Get("Cf-Connecting-Ip"),
		RequestURI:       u.RequestURI(),
	}
	r.ContentLength, err = strconv.ParseInt(h.Get("Content-Length"), 10, 64)
	if body != nil {
		r.Body = readCloser{bytes.NewReader(body)}
		if err != nil {
			r.ContentLength = int64(len(body))
		}
	}
	return r, nil
}

type readCloser struct{ *bytes.Reader }

func (readCloser) Close() error { return nil }

// Response is the handler's answer, buffered: the http.ResponseWriter the handler writes to.
// As in net/http, the first status wins and the headers are those at the first write.
type Response struct {
	header http.Header
	sent   http.Header // the headers when the status was decided
	status int
	body   *bytes.Buffer
}

// maxKept bounds a body buffer kept for the next answer: the farm's largest body (1 MiB) fits.
// The instance's memory only ever grows (a wasm memory does not shrink), so a body is written
// into a buffer of its announced length, and the buffer is used again, rather than grown by
// doubling and left to the collector on every request.
const maxKept = 1<<20 + 64<<10

var buffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

var _ http.Flusher = (*Response)(nil)

func (r *Response) Header() http.Header {
	if r.header == nil {
		r.header = http.Header{}
	}
	return r.header
}

func (r *Response) WriteHeader(status int) {
	if r.status != 0 {
		return
	}
	r.status = status
	r.sent = r.Header().Clone()
}

func (r *Response) Write(p []byte) (int, error) {
	r.WriteHeader(http.StatusOK)
	if r.body == nil {
		r.body = buffers.Get().(*bytes.Buffer)
		if n, err := strconv.Atoi(r.sent.Get("Content-Length")); err == nil && n <= maxKept {
			r.body.Grow(n)
		}
	}
	return r.body.Write(p)
}

// Release hands the body's buffer back for another answer: Result's body is not to be used
// after it.
func (r *Response) Release() {
	if r.body != nil && r.body.Cap() <= maxKept {
		r.body.Reset()
		buffers.Put(r.body)
	}
	r.body = nil
}

// Flush does nothing: the answer leaves when the handler returns.
func (r *Response) Flush() {}

// Result is the answer as worker.mjs takes it: the status, its text, the headers joined as
// NewRequest takes them, and the body.
func (r *Response) Result() (status int, text, headers string, body []byte) {
	r.WriteHeader(http.StatusOK) // a handler that wrote nothing answered 200
	var b strings.Builder
	for name, values := range r.sent {
		for _, v := range values {
			b.WriteString(name)
			b.WriteString(sep)
			b.WriteString(v)
			b.WriteString(sep)
		}
	}
	if r.body == nil {
		return r.status, http.StatusText(r.status), b.String(), nil
	}
	return r.status, http.StatusText(r.status), b.String(), r.body.Bytes()
}
