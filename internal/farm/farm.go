// Package farm is the site farm: an HTTP handler standing in for the two web sites of the
// lesson, so I/O runs are reproducible and work offline. GET /farm/{site}?delay=50ms&size=25000
// waits delay, then sends size bytes. The same handler is served natively and at the edge.
package farm

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Bounds on what one request may ask for.
const (
	MaxDelay   = 10 * time.Second
	MaxSize    = 1 << 20
	maxSiteLen = 32
	Prefix     = "/farm/"
)

// Handler serves /farm/{site}. It reads only its own path and query: nothing in a request
// makes it fetch anything.
func Handler() http.Handler { return http.HandlerFunc(serve) }

func serve(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	// Any page may download from the farm: it is public test data, and the browser engine
	// fetches it from the edge or from a local backend whatever the page's origin.
	h.Set("Access-Control-Allow-Origin", "*")
	// A cached page would make the second run of an I/O experiment measure the cache.
	h.Set("Cache-Control", "no-store")
	switch r.Method {
	case http.MethodGet, http.MethodHead:
	case http.MethodOptions:
		h.Set("Access-Control-Allow-Methods", "GET, HEAD")
		w.WriteHeader(http.StatusNoContent)
		return
	default:
		h.Set("Allow", "GET, HEAD, OPTIONS")
		http.Error(w, "farm: method "+r.Method+" is not allowed; use GET", http.StatusMethodNotAllowed)
		return
	}
	site, delay, size, err := Parse(r.URL.Path, r.URL.RawQuery)
	if err != nil {
		http.Error(w, "farm: "+err.Error(), http.StatusBadRequest)
		return
	}
	if delay > 0 {
		t := time.NewTimer(delay)
		select {
		case <-t.C:
		case <-r.Context().Done():
			// The client left (nothing can be written then) or the server is shutting down:
			// say so rather than send an empty 200.
			t.Stop()
			http.Error(w, "farm: request cancelled before its delay ended", http.StatusServiceUnavailable)
			return
		}
	}
	h.Set("Content-Type", "text/plain; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(size))
	h.Set("X-Farm-Site", site)
	if r.Method == http.MethodHead {
		return
	}
	writeBody(w, site, size)
}

// Parse validates a farm request's path and query.
func Parse(path, rawQuery string) (site string, delay time.Duration, size int, err error) {
	site, ok := strings.CutPrefix(path, Prefix)
	if !ok || !validSite(site) {
		return "", 0, 0, fmt.Errorf("site: want /farm/{site} with a name of 1..%d letters, digits, '-' or '_'", maxSiteLen)
	}
	q, err := parseQuery(rawQuery)
	if err != nil {
		return "", 0, 0, err
	}
	if v, ok := q["delay"]; ok {
		if delay, err = time.ParseDuration(v); err != nil {
			return "", 0, 0, fmt.Errorf("delay: %q is not a duration such as 50ms", v)
		}
		if delay < 0 || delay > MaxDelay {
			return "", 0, 0, fmt.Errorf("delay: %v is out of range 0s..%v", delay, MaxDelay)
		}
	}
	if v, ok := q["size"]; ok {
		if size, err = strconv.Atoi(v); err != nil {
			return "", 0, 0, fmt.Errorf("size: %q is not a whole number of bytes", v)
		}
		if size < 0 || size > MaxSize {
			return "", 0, 0, fmt.Errorf("size: %d is out of range 0..%d", size, MaxSize)
		}
	}
	return site, delay, size, nil
}

// parseQuery accepts only delay and size, each at most once: a typo is an error, not a
// silently ignored parameter.
func parseQuery(raw string) (map[string]string, error) {
	q := map[string]string{}
	if raw == "" {
		return q, nil
	}
	for _, kv := range strings.Split(raw, "&") {
		k, v, _ := strings.Cut(kv, "=")
		if k != "delay" && k != "size" {
			return nil, fmt.Errorf("query: unknown parameter %q; use delay and size", k)
		}
		if _, dup := q[k]; dup {
			return nil, fmt.Errorf("%s: given twice", k)
		}
		q[k] = v
	}
	return q, nil
}

// writeBody sends size bytes of a text that depends only on the site and the size, so a body
// is the same on every run, natively and at the edge.
func writeBody(w http.ResponseWriter, site string, size int) {
	line := fmt.Sprintf("%-63s\n", "concurrency playground site farm: "+site)
	buf := make([]byte, min(size, 16<<10)) // 16 KiB is a multiple of the 64-byte line
	for n := copy(buf, line); n < len(buf); {
		n += copy(buf[n:], buf[:n])
	}
	for size > 0 {
		n := min(size, len(buf))
		if _, err := w.Write(buf[:n]); err != nil {
			return
		}
		size -= n
	}
}

func validSite(s string) bool {
	if s == "" || len(s) > maxSiteLen {
		return false
	}
	for _, c := range []byte(s) {
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}
