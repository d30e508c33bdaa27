package workload

import (
	"context"
	"strconv"
	"time"
)

// Fetcher GETs a URL and reads the whole body. Natively it is net/http with one client per
// worker; in the browser it is `fetch` through syscall/js, since net/http would make the wasm
// four times larger.
type Fetcher interface {
	Fetch(ctx context.Context, url string) (bytes int64, err error)
}

// The lesson downloads two sites alternately: a big page and a small one.
const (
	SiteA = "a" // the big page: Size bytes
	SiteB = "b" // the small page: Size/25 bytes (25,000 and 1,000 by default)
)

// BrowserConnectionsPerHost is how many HTTP/1.1 connections a browser (Chromium, Firefox)
// opens to one host: a seventh concurrent fetch waits for one of them. It is the browser event
// loop's real concurrency for I/O over HTTP/1.1, so it is the default worker count there, and
// a lane of the timeline is a connection.
const BrowserConnectionsPerHost = 6

// TaskSite is the site task fetches and the body size it asks for.
func (s Spec) TaskSite(task int) (site string, size int) {
	if task%2 == 0 {
		return SiteA, s.Size
	}
	return SiteB, s.Size / 25
}

// TaskDelay is the farm latency task asks for: the delay plus a share of the jitter that is
// fixed per task, so every variant of one spec waits the same and runs stay comparable.
func (s Spec) TaskDelay(task int) time.Duration {
	if s.Jitter == 0 {
		return time.Duration(s.Delay)
	}
	x := uint64(task) + 0x9e3779b97f4a7c15 // splitmix64: a cheap, well-spread hash
	x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
	x = (x ^ x>>27) * 0x94d049bb133111eb
	x ^= x >> 31
	return time.Duration(s.Delay) + time.Duration(x%(uint64(s.Jitter)+1))
}

// TaskURL is the farm URL of task under base, the farm's origin ("http://127.0.0.1:8080").
// The URL is always built here from the spec's numbers: no URL from a request is fetched.
func (s Spec) TaskURL(base string, task int) string {
	site, size := s.TaskSite(task)
	return base + "/farm/" + site + "?delay=" + s.TaskDelay(task).String() + "&size=" + strconv.Itoa(size)
}
