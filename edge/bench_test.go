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

// BenchmarkFarmLatency is what the edge costs the I/O experiment: each farm page arrives later
// than its asked delay by what the Worker and workerd take. It reports
// the overhead (latency minus the 50 ms asked) at the median and the 90th percentile, at the
// edge (the Worker in workerd) and natively (the same handler in net/http), both on loopback,
// with 1, 6 (a browser's HTTP/1.1 connections per host), 20 and 160 (the io experiment's
// default tasks, all at once as over HTTP/2) requests in flight. One op is one round of them.
//
//	make bench-edge    (go test -run '^$' -bench 'WorkerCost|FarmLatency' -benchtime 20x ./edge/)
func BenchmarkFarmLatency(b *testing.B) {
	root, dist := paths(b)
	native := httptest.NewServer(farm.Handler())
	defer native.Close()
	servers := []struct{ name, base string }{{"edge", startWorker(b, root, dist)}, {"native", native.URL}}
	warm(b, servers[0].base, servers[1].base)
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

// BenchmarkWorkerCost is the Go Worker's own cost per request beside a trivial JavaScript
// Worker's (edge/baseline.mjs) in the same workerd: GET /farm/cost?delay=0ms&size=1, so nothing
// but the Worker's work and workerd's is timed, on loopback. Serial: one op is 20 requests one
// after another; c=40: one op is a round of 40 at once, reported with the median round's wall
// time, in all and per request. The p50 and p95 are of the single requests' latencies.
//
//	make bench-edge    (go test -run '^$' -bench 'WorkerCost|FarmLatency' -benchtime 20x ./edge/)
func BenchmarkWorkerCost(b *testing.B) {
	root, dist := paths(b)
	goBase, jsBase := startWorkerd(b, root, dist, true)
	warm(b, goBase, jsBase)
	for _, w := range []struct{ name, base string }{{"go", goBase}, {"js", jsBase}} {
		for _, c := range []int{1, 40} {
			name := "serial"
			if c > 1 {
				name = "c=" + strconv.Itoa(c)
			}
			b.Run(w.name+"/"+name, func(b *testing.B) {
				url := w.base + "/farm/cost?delay=0ms&size=1"
				client := farmtest.Client()
				client.Transport.(*http.Transport).MaxIdleConnsPerHost = c
				defer client.CloseIdleConnections()
				for range c {
					timedGet(b, client, url, 1) // warm: the Go instance starts on its first request
				}
				var lat []time.Duration
				var mu sync.Mutex
				var rounds []time.Duration
				for b.Loop() {
					start := time.Now()
					if c == 1 {
						for range 20 {
							lat = append(lat, timedGet(b, client, url, 1))
						}
						continue
					}
					var wg sync.WaitGroup
					for range c {
						wg.Go(func() {
							d := timedGet(b, client, url, 1)
							mu.Lock()
							lat = append(lat, d)
							mu.Unlock()
						})
					}
					wg.Wait()
					rounds = append(rounds, time.Since(start))
				}
				slices.Sort(lat)
				ms := func(q float64) float64 { return float64(lat[int(q*float64(len(lat)-1))]) / 1e6 }
				b.ReportMetric(ms(0.5), "p50-ms")
				b.ReportMetric(ms(0.95), "p95-ms")
				if c > 1 {
					slices.Sort(rounds)
					round := float64(rounds[len(rounds)/2]) / 1e6
					b.ReportMetric(round, "round-p50-ms")
					b.ReportMetric(round/float64(c), "round-p50-ms/req")
				}
			})
		}
	}
}

// warm sends each server 400 requests before anything is timed: workerd compiles the Worker's
// wasm quickly at first and optimises its hot functions as they run, so a fresh workerd's first
// few hundred requests are slower than a long-lived isolate's.
func warm(b *testing.B, bases ...string) {
	c := farmtest.Client()
	defer c.CloseIdleConnections()
	for _, base := range bases {
		for range 400 {
			timedGet(b, c, base+"/farm/warm?delay=0ms&size=1", 1)
		}
	}
}

func fetch(b *testing.B, c *http.Client, url string) time.Duration {
	return timedGet(b, c, url, 25000)
}

// timedGet times one GET of url, which must answer 200 with size bytes.
func timedGet(b *testing.B, c *http.Client, url string, size int64) time.Duration {
	start := time.Now()
	res, err := c.Get(url)
	if err != nil {
		b.Error(err)
		return 0
	}
	n, err := io.Copy(io.Discard, res.Body)
	res.Body.Close()
	if err != nil || res.StatusCode != http.StatusOK || n != size {
		b.Errorf("GET %s: %d, %d bytes, %v; want 200 with %d", url, res.StatusCode, n, err, size)
	}
	return time.Since(start)
}
