package server

import (
	"bytes"
	"context"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"concurrency-playground/internal/protocol"
	"concurrency-playground/internal/trace"
	"concurrency-playground/native/runner"
)

// BenchmarkStreaming runs span-heavy jobs through the server to a Go client over loopback and
// reports the spans delivered per second (from the run message to the result) and the run's
// own duration as the server measured it, next to the same job run directly with no socket:
// overhead_% is what streaming costs the run (the recorder records in both).
//
//	go test -run '^$' -bench Streaming -benchtime 5x ./native/server
func BenchmarkStreaming(b *testing.B) {
	for _, bm := range []struct{ name, job string }{
		// Spans as fast as a run can make them (1 µs tasks): what the stream can carry.
		{"race-100k-tasks", `{"experiment":"race","variant":"pool","workers":4,"tasks":100000,"mode":"atomic"}`},
		// 20,000 tasks of ~10 µs: the stream's cost to a run that leaves a core free, and to
		// one that takes every core (the client, in this same process, competes for them too).
		{"cpu-20k-tasks-1-worker", `{"experiment":"cpu","variant":"pool","workers":1,"tasks":20000,"n":20000}`},
		{"cpu-20k-tasks-2-workers", `{"experiment":"cpu","variant":"pool","workers":2,"tasks":20000,"n":20000}`},
		// The lesson's own runs: 20 and 160 spans.
		{"cpu_threading", `{"preset":"cpu_threading"}`},
		{"io_threading", `{"preset":"io_threading","delay":"10ms"}`},
	} {
		b.Run(bm.name, func(b *testing.B) {
			m, _ := protocol.Decode([]byte(`{"type":"run","id":"b","job":` + bm.job + `}`))
			spec, err := m.(protocol.Run).Job.Resolve(runtime.NumCPU())
			if err != nil {
				b.Fatal(err)
			}
			s := start(b, Config{})
			c := dial(b, s)
			var direct, served, wall time.Duration
			var spans int
			for b.Loop() {
				res, err := runner.Run(context.Background(), spec, runner.Options{Recorder: trace.NewRecorder(0)})
				if err != nil {
					b.Fatal(err)
				}
				direct += res.Duration()
				t0 := time.Now()
				c.run("b", bm.job)
				last, got := c.countSpans()
				wall += time.Since(t0)
				if last.Type != protocol.TypeResult || got != last.Result.Spans {
					b.Fatalf("%+v after %d spans", last.Type, got)
				}
				served += last.Result.Duration()
				spans += got
			}
			b.ReportMetric(float64(spans)/wall.Seconds(), "spans/s")
			b.ReportMetric(float64(served)/float64(b.N)/1e6, "run-ms")
			b.ReportMetric(float64(direct)/float64(b.N)/1e6, "direct-run-ms")
			b.ReportMetric((float64(served)/float64(direct)-1)*100, "overhead_%")
		})
	}
}

// countSpans reads a run's messages to its end, decoding only what it must: the spans are
// counted by their brackets, as a fast client would before handing them to a chart.
func (c *client) countSpans() (last msg, spans int) {
	for {
		c.ws.SetReadDeadline(time.Now().Add(30 * time.Second))
		_, data, err := c.ws.ReadMessage()
		if err != nil {
			c.t.Fatal(err)
		}
		if bytes.HasPrefix(data, []byte(`{"type":"spans"`)) {
			spans += bytes.Count(data, []byte("[")) - 1
			continue
		}
		if bytes.HasPrefix(data, []byte(`{"type":"progress"`)) {
			continue
		}
		m := decodeMsg(c.t, data)
		return m, spans
	}
}

// BenchmarkRecord is the recorder's cost per span on the run's hot path.
func BenchmarkRecord(b *testing.B) {
	rec := trace.NewRecorder(0)
	for i := 0; b.Loop(); i++ {
		if i%trace.DefaultLimit == trace.DefaultLimit-1 {
			rec = trace.NewRecorder(0)
		}
		rec.Record(0, i, trace.Compute, rec.Now())
	}
}

// BenchmarkHello1000 opens 1,000 sockets at once and reports how long until every one has its
// hello.
//
//	go test -run '^$' -bench Hello1000 -benchtime 5x ./native/server
func BenchmarkHello1000(b *testing.B) {
	const n = 1000
	s := start(b, Config{MaxSockets: n})
	var worst time.Duration
	for b.Loop() {
		conns := make([]*websocket.Conn, n)
		t0 := time.Now()
		var wg sync.WaitGroup
		for i := range conns {
			wg.Go(func() {
				ws, _, err := dialRaw(s, s.URL())
				if err != nil {
					b.Error(err)
					return
				}
				conns[i] = ws
				if _, data, err := ws.ReadMessage(); err != nil || !strings.HasPrefix(string(data), `{"type":"hello"`) {
					b.Errorf("no hello: %v", err)
				}
			})
		}
		wg.Wait()
		worst = max(worst, time.Since(t0))
		b.StopTimer()
		for _, ws := range conns {
			if ws != nil {
				ws.Close()
			}
		}
		eventually(b, 5*time.Second, "sockets still open", func() bool { return s.Stats().Sockets == 0 })
		b.StartTimer()
	}
	b.ReportMetric(float64(worst.Milliseconds()), "worst-ms")
}

// BenchmarkCancel is the time from sending cancel to receiving the run's canceled error, for a
// CPU run on a goroutine pool and an I/O run on a process pool.
//
//	go test -run '^$' -bench Cancel -benchtime 10x ./native/server
func BenchmarkCancel(b *testing.B) {
	for _, bm := range []struct{ name, job string }{
		{"cpu-pool", `{"experiment":"cpu","variant":"pool","workers":2,"tasks":50000,"n":200000,"repeat":1}`},
		{"io-process", `{"experiment":"io","variant":"process","workers":2,"tasks":40,"delay":"1s","size":100}`},
	} {
		b.Run(bm.name, func(b *testing.B) {
			s := start(b, Config{})
			c := dial(b, s)
			var worst, total time.Duration
			for b.Loop() {
				c.run("r", bm.job)
				c.until(protocol.TypeSpans)
				t0 := time.Now()
				c.sendText(`{"type":"cancel","id":"r"}`)
				if m, _, _ := c.until(protocol.TypeError); m.Code != protocol.CodeCanceled {
					b.Fatalf("%+v", m)
				}
				d := time.Since(t0)
				total += d
				worst = max(worst, d)
			}
			b.ReportMetric(float64(total.Microseconds())/float64(b.N)/1000, "cancel-ms")
			b.ReportMetric(float64(worst.Microseconds())/1000, "worst-cancel-ms")
		})
	}
}
