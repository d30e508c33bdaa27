//go:build linux

// The Worker keeps one Go instance across requests (edge/worker/bridge): what that must and must
// not change, in workerd.
package edge_test

import (
	"fmt"
	"io"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"

	"concurrency-playground/internal/farm/farmtest"
)

// Requests whose delays end at different times, all in flight together: each ends after its own
// delay, not never. Go wakes its timers on whichever request's turn it is; workerd drops a
// request's timers when that request ends, so a shorter request ending must not take a longer
// one's wake-up with it (it did, in a first trial: workerd cancelled the rest as hung).
func TestOverlappingDelaysEachEndOnTime(t *testing.T) {
	root, dist := paths(t)
	base := startWorker(t, root, dist)
	c := farmtest.Client()
	defer c.CloseIdleConnections()
	const n, step = 30, 20 * time.Millisecond
	start := time.Now()
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			delay := time.Duration(i) * step
			res, err := c.Get(fmt.Sprintf("%s/farm/o%d?delay=%v&size=%d", base, i, delay, 1000+i))
			if err != nil {
				t.Errorf("delay %v: %v", delay, err)
				return
			}
			body, err := io.ReadAll(res.Body)
			res.Body.Close()
			took := time.Since(start)
			if err != nil || res.StatusCode != http.StatusOK || len(body) != 1000+i || res.Header.Get("X-Farm-Site") != fmt.Sprintf("o%d", i) {
				t.Errorf("delay %v: %d, %d bytes, site %q, %v; want 200 with %d bytes from o%d", delay, res.StatusCode, len(body), res.Header.Get("X-Farm-Site"), err, 1000+i, i)
			}
			if took < delay {
				t.Errorf("delay %v: answered after %v, before its delay", delay, took)
			}
		})
	}
	wg.Wait()
	// All together end with the longest delay, plus the round trips: well under 2 s more.
	if longest, took := (n-1)*step, time.Since(start); took > longest+2*time.Second {
		t.Errorf("%d overlapping delays up to %v took %v in all", n, longest, took)
	}
}

// The Go Worker's cost per request is of the order of a plain JavaScript Worker's in the same
// workerd, not of a Go start-up per request: 40 concurrent requests without a delay, in rounds
// alternating between the two Workers, compared by their medians. A fresh instance per request
// made this 60–190 times the JavaScript Worker's on a busy 2-core machine; a kept one makes it
// 4–8 times there, so 20 leaves room for a busier one.
func TestGoWorkerCostsAboutWhatAPlainWorkerCosts(t *testing.T) {
	root, dist := paths(t)
	goBase, jsBase := startWorkerd(t, root, dist, true)
	c := farmtest.Client()
	defer c.CloseIdleConnections()
	round := func(base string) time.Duration {
		start := time.Now()
		var wg sync.WaitGroup
		for range 40 {
			wg.Go(func() {
				res, err := c.Get(base + "/farm/cost?delay=0ms&size=1")
				if err != nil {
					t.Error(err)
					return
				}
				io.Copy(io.Discard, res.Body)
				res.Body.Close()
			})
		}
		wg.Wait()
		return time.Since(start)
	}
	// The Go instance starts on its first request, and workerd optimises the wasm's hot
	// functions over the first few hundred (bench_test.go's warm).
	for range 10 {
		round(goBase)
		round(jsBase)
	}
	var goRounds, jsRounds []time.Duration
	for range 7 {
		goRounds = append(goRounds, round(goBase))
		jsRounds = append(jsRounds, round(jsBase))
	}
	slices.Sort(goRounds)
	slices.Sort(jsRounds)
	goMedian, jsMedian := goRounds[len(goRounds)/2], jsRounds[len(jsRounds)/2]
	t.Logf("40 concurrent requests: Go Worker %v, JavaScript Worker %v (medians of 7 rounds)", goMedian, jsMedian)
	if goMedian > 20*jsMedian {
		t.Errorf("40 concurrent requests take the Go Worker %v, over 20 times the JavaScript Worker's %v: is a Go instance started per request again?", goMedian, jsMedian)
	}
}
