//go:build linux

package edge_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"concurrency-playground/internal/farm"
	"concurrency-playground/internal/farm/farmtest"
)

// BenchmarkFarmLatency is what the edge costs the I/O experiment: every request to the Worker
// starts a fresh Go instance, so each farm page arrives later than its asked delay. It reports
// the overhead (latency minus the 50 ms asked) at the median and the 90th percentile, at the
// edge (the Worker in workerd) and natively (the same handler in net/http), both on loopback,
// with 1, 6 (a browser's HTTP/1.1 connections per host), 20 and 160 (the io experiment's
// default tasks, all at once as over HTTP/2) requests in flight. One op is one round of them.
//
//	make bench-edge    (go test -run '^$' -bench FarmLatency -benchtime 20x ./edge/)
func BenchmarkFarmLatency(b *testing.B) {
	root, dist := paths(b)
	native := httptest.NewServer(farm.Handler())
	defer native.Close()
	servers := []struct{ name, base string }{{"edge", startWorker(b, root, dist)}, {"native", native.URL}}
	const delay = 50 * time.Millisecond
	for _, s := range servers {
		for _, c := range []int{1, 6, 20, 160} {
			b.Run(s.name+"/c="+strconv.Itoa(c), func(b *testing.B) {
				url := s.base + "/farm/bench?delay=" + delay.String() + "&size=25000"
				client := farmtest.Client()
				defer client.CloseIdleConnections()
				fetch(b, client, url) // a warm connection, as the page's browser keeps
				var lat []time.Duration
				var mu sync.Mutex
				for b.Loop() {
					var wg sync.WaitGroup
					for range c {
						wg.Go(func() {
							d := fetch(b, client, url)
							mu.Lock()
							lat = append(lat, d)
							mu.Unlock()
						})
					}
					wg.Wait()
				}
				slices.Sort(lat)
				ms := func(q float64) float64 {
					return float64(lat[int(q*float64(len(lat)-1))]-delay) / 1e6
				}
				b.ReportMetric(ms(0.5), "p50-overhead-ms")
				b.ReportMetric(ms(0.9), "p90-overhead-ms")
			})
		}
	}
}

func fetch(b *testing.B, c *http.Client, url string) time.Duration {
	start := time.Now()
	res, err := c.Get(url)
	if err != nil {
		b.Error(err)
		return 0
	}
	n, err := io.Copy(io.Discard, res.Body)
	res.Body.Close()
	if err != nil || res.StatusCode != http.StatusOK || n != 25000 {
		b.Errorf("GET %s: %d, %d bytes, %v; want 200 with 25000", url, res.StatusCode, n, err)
	}
	return time.Since(start)
}
