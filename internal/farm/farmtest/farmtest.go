// Package farmtest is the site farm's behaviour as one table, run against every server that
// serves the farm: natively (httptest around farm.Handler) and at the edge (the Worker in
// workerd). A server passes when, request for request, it answers what farm.Handler answers
// in-process, plus what only a real server can show: the delay is waited, concurrent delays
// overlap.
package farmtest

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"concurrency-playground/internal/farm"
)

// Case is one request and what must come back.
type Case struct {
	Name     string
	Method   string
	Path     string        // path and query, from the server's root
	Status   int           // the status that must come back
	Size     int           // 200: the body's (or, for HEAD, the Content-Length's) bytes
	MinDelay time.Duration // 200: the response may not arrive sooner
	Message  string        // 4xx: the body must say this
}

// Cases is the table. Messages are the farm's contract with the page and the CLI: a bad value
// is a 400 that says what was wrong and what is allowed.
var Cases = []Case{
	{Name: "size after delay", Method: "GET", Path: "/farm/site-a?delay=100ms&size=25000", Status: 200, Size: 25000, MinDelay: 100 * time.Millisecond},
	{Name: "defaults: no delay, empty body", Method: "GET", Path: "/farm/b", Status: 200},
	{Name: "largest size", Method: "GET", Path: "/farm/b?size=1048576", Status: 200, Size: farm.MaxSize},
	{Name: "HEAD announces the size", Method: "HEAD", Path: "/farm/a?size=1000", Status: 200, Size: 1000},
	{Name: "CORS preflight", Method: "OPTIONS", Path: "/farm/a", Status: 204},
	{Name: "POST is refused", Method: "POST", Path: "/farm/a", Status: 405, Message: "method POST is not allowed; use GET"},
	{Name: "delay not a duration", Method: "GET", Path: "/farm/a?delay=soon", Status: 400, Message: `delay: "soon" is not a duration such as 50ms`},
	{Name: "delay over the bound", Method: "GET", Path: "/farm/a?delay=11s", Status: 400, Message: "delay: 11s is out of range 0s..10s"},
	{Name: "negative delay", Method: "GET", Path: "/farm/a?delay=-1ms", Status: 400, Message: "delay: -1ms is out of range 0s..10s"},
	{Name: "size over the bound", Method: "GET", Path: "/farm/a?size=1048577", Status: 400, Message: "size: 1048577 is out of range 0..1048576"},
	{Name: "size not a number", Method: "GET", Path: "/farm/a?size=big", Status: 400, Message: `size: "big" is not a whole number of bytes`},
	{Name: "unknown parameter", Method: "GET", Path: "/farm/a?latency=50ms", Status: 400, Message: `query: unknown parameter "latency"; use delay and size`},
	{Name: "parameter given twice", Method: "GET", Path: "/farm/a?size=1&size=2", Status: 400, Message: "size: given twice"},
	{Name: "site name with a dot", Method: "GET", Path: "/farm/Site.A", Status: 400, Message: "site: want /farm/{site} with a name of 1..32 letters, digits, '-' or '_'"},
	{Name: "empty site name", Method: "GET", Path: "/farm/", Status: 400, Message: "site: want /farm/{site}"},
	{Name: "site name too long", Method: "GET", Path: "/farm/" + strings.Repeat("s", 33), Status: 400, Message: "site: want /farm/{site}"},
}

// Overlap is how many concurrent requests of OverlapDelay each must finish, all together,
// within OverlapLimit: four fifths of the ten seconds they take one after another, which no
// farm that serves them one at a time can meet. On an idle machine they take about 0.6 s; a
// busy 2-core machine took workerd 3.8 s, and 6.2 s at load 18, so the bound is that loose.
const (
	Overlap      = 20
	OverlapDelay = 500 * time.Millisecond
	OverlapLimit = Overlap * OverlapDelay * 4 / 5
)

// Client talks to a server under test. It never uses a proxy: the servers are on loopback.
func Client() *http.Client {
	return &http.Client{
		Timeout:   15 * time.Second,
		Transport: &http.Transport{Proxy: nil, MaxIdleConnsPerHost: Overlap},
	}
}

// Run runs the table, then the overlap check, against the server at baseURL
// ("http://127.0.0.1:PORT").
func Run(t *testing.T, baseURL string) {
	t.Helper()
	c := Client()
	defer c.CloseIdleConnections()
	for _, tc := range Cases {
		t.Run(tc.Name, func(t *testing.T) { check(t, c, baseURL, tc) })
	}
	t.Run("concurrent delays overlap", func(t *testing.T) { checkOverlap(t, c, baseURL) })
}

func check(t *testing.T, c *http.Client, baseURL string, tc Case) {
	req, err := http.NewRequest(tc.Method, baseURL+tc.Path, nil)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	res, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", tc.Method, tc.Path, err)
	}
	body, err := io.ReadAll(res.Body)
	res.Body.Close()
	elapsed := time.Since(start)
	if err != nil {
		t.Fatalf("%s %s: reading the body: %v", tc.Method, tc.Path, err)
	}
	if res.StatusCode != tc.Status {
		t.Fatalf("%s %s: status %d, want %d (body %q)", tc.Method, tc.Path, res.StatusCode, tc.Status, clip(body))
	}
	// Every answer, errors included, must be readable by a page of any origin, and never cached.
	if got := res.Header.Get("Access-Control-Allow-Origin"); got != "*" {
		t.Errorf("Access-Control-Allow-Origin = %q, want *", got)
	}
	if got := res.Header.Get("Cache-Control"); got != "no-store" {
		t.Errorf("Cache-Control = %q, want no-store", got)
	}
	switch {
	case tc.Status == http.StatusOK && tc.Method == http.MethodHead:
		if res.ContentLength != int64(tc.Size) || len(body) != 0 {
			t.Errorf("HEAD: Content-Length %d and %d body bytes, want %d and none", res.ContentLength, len(body), tc.Size)
		}
	case tc.Status == http.StatusOK:
		if len(body) != tc.Size {
			t.Errorf("body is %d bytes, want %d", len(body), tc.Size)
		}
		if elapsed < tc.MinDelay {
			t.Errorf("answered after %v, want at least the asked delay %v", elapsed, tc.MinDelay)
		}
		if got := res.Header.Get("X-Farm-Site"); got != siteOf(tc.Path) {
			t.Errorf("X-Farm-Site = %q, want %q", got, siteOf(tc.Path))
		}
	case tc.Status == http.StatusNoContent:
		if got := res.Header.Get("Access-Control-Allow-Methods"); got != "GET, HEAD" {
			t.Errorf("Access-Control-Allow-Methods = %q, want GET, HEAD", got)
		}
	default:
		if !bytes.Contains(body, []byte(tc.Message)) {
			t.Errorf("body %q does not say %q", clip(body), tc.Message)
		}
		if tc.Status == http.StatusMethodNotAllowed && res.Header.Get("Allow") == "" {
			t.Error("405 without an Allow header")
		}
	}
	// The same handler everywhere: the bytes must be those farm.Handler gives in-process.
	if want := reference(tc); !bytes.Equal(body, want) {
		t.Errorf("body differs from farm.Handler's in-process answer:\n got %q\nwant %q", clip(body), clip(want))
	}
}

func checkOverlap(t *testing.T, c *http.Client, baseURL string) {
	url := baseURL + "/farm/overlap?delay=" + OverlapDelay.String() + "&size=1000"
	var wg sync.WaitGroup
	errs := make(chan string, Overlap)
	start := time.Now()
	for range Overlap {
		wg.Go(func() {
			res, err := c.Get(url)
			if err != nil {
				errs <- err.Error()
				return
			}
			n, err := io.Copy(io.Discard, res.Body)
			res.Body.Close()
			switch {
			case err != nil:
				errs <- err.Error()
			case res.StatusCode != http.StatusOK || n != 1000:
				errs <- "status " + strconv.Itoa(res.StatusCode) + " with " + strconv.FormatInt(n, 10) + " bytes, want 200 with 1000"
			case time.Since(start) < OverlapDelay:
				errs <- "answered before the asked delay " + OverlapDelay.String()
			}
		})
	}
	wg.Wait()
	total := time.Since(start)
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	if total >= OverlapLimit {
		t.Errorf("%d concurrent %v requests took %v in all, want under %v: the delays did not overlap",
			Overlap, OverlapDelay, total, OverlapLimit)
	}
	t.Logf("%d concurrent %v requests: %v in all", Overlap, OverlapDelay, total.Round(time.Millisecond))
}

// reference is farm.Handler's body for the same request, served in-process.
func reference(tc Case) []byte {
	rec := httptest.NewRecorder()
	farm.Handler().ServeHTTP(rec, httptest.NewRequest(tc.Method, tc.Path, nil))
	if tc.Method == http.MethodHead {
		return nil // a real server sends no body; the recorder keeps whatever was written
	}
	return rec.Body.Bytes()
}

func siteOf(path string) string {
	site, _, _ := strings.Cut(strings.TrimPrefix(path, farm.Prefix), "?")
	return site
}

func clip(b []byte) []byte {
	if len(b) > 200 {
		return append(b[:200:200], "…"...)
	}
	return b
}
