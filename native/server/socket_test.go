package server

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"net/http"
	"runtime"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"concurrency-playground/internal/protocol"
	"concurrency-playground/internal/trace"
	"concurrency-playground/internal/workload"
	"concurrency-playground/native/runner"
)

// A job long enough to be interrupted: 160 downloads of a second each, 5 at a time.
const longJob = `{"experiment":"io","variant":"pool","workers":5,"tasks":160,"delay":"1s","size":100}`

// expectedChecksum runs the job directly, without the server.
func expectedChecksum(t *testing.T, job string) string {
	t.Helper()
	m, err := protocol.Decode([]byte(`{"type":"run","id":"x","job":` + job + `}`))
	if err != nil {
		t.Fatal(err)
	}
	spec, err := m.(protocol.Run).Job.Resolve(runtime.NumCPU())
	if err != nil {
		t.Fatal(err)
	}
	spec.Variant, spec.Workers = workload.Sequential, 1
	res, err := runner.Run(context.Background(), spec, runner.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return res.Checksum
}

func TestRunStreamsSpansProgressThenTheResult(t *testing.T) {
	s := start(t, Config{})
	c := dial(t, s)
	for i, tt := range []struct {
		job   string
		tasks int
		spawn bool // the process variant's and the race pool's start-up shows as spawn spans
	}{
		{`{"experiment":"cpu","variant":"pool","workers":2,"tasks":40,"n":200000}`, 40, false},
		{`{"experiment":"io","variant":"pool","workers":4,"tasks":12,"delay":"5ms","size":1000}`, 12, false},
		{`{"preset":"race_condition","tasks":500,"workers":50}`, 500, true}, // the race workers' start
		{`{"experiment":"cpu","variant":"gil","tasks":6,"n":100000}`, 6, false},
		{`{"preset":"io_asyncio","tasks":10,"delay":"2ms","size":500}`, 10, false},
		{`{"preset":"cpu_mp","workers":2,"tasks":6,"n":100000}`, 6, true},
	} {
		id := fmt.Sprintf("r%d", i)
		c.run(id, tt.job)
		last, spans, progress := c.end()
		if last.Type != protocol.TypeResult || last.ID != id {
			t.Fatalf("%s: ended with %+v, want its result", tt.job, last)
		}
		res := last.Result
		if want := expectedChecksum(t, tt.job); res.Checksum != want || res.Tasks != tt.tasks || len(res.Results) != tt.tasks || res.Where != "native" {
			t.Errorf("%s: result %d tasks, checksum %s; want %d tasks, checksum %s as sequential gives", tt.job, res.Tasks, res.Checksum, tt.tasks, want)
		}
		var timeline int64 // the repeats one after another
		for _, d := range res.Repeats {
			timeline += d
		}
		var tasks []int
		spawned := false
		for _, sp := range spans {
			if sp.State == trace.Spawn {
				spawned = true
			} else {
				tasks = append(tasks, int(sp.Task))
			}
			if sp.End < sp.Start || sp.Start < 0 || sp.End > timeline {
				t.Errorf("%s: span %+v outside the run's %d ns", tt.job, sp, timeline)
			}
		}
		slices.Sort(tasks)
		tasks = slices.Compact(tasks) // the gil variant splits a task at each lock hand-over
		if len(tasks) != tt.tasks || tasks[0] != 0 || tasks[len(tasks)-1] != tt.tasks-1 {
			t.Errorf("%s: streamed spans of %d distinct tasks, want all %d", tt.job, len(tasks), tt.tasks)
		}
		if spawned != tt.spawn || res.Spans != len(spans) || res.SpansDropped != 0 {
			t.Errorf("%s: %d spans streamed (spawn %v), result says %d (%d dropped)", tt.job, len(spans), spawned, res.Spans, res.SpansDropped)
		}
		if all := tt.tasks * res.Spec.Repeat; len(progress) == 0 || progress[len(progress)-1].Done != all || progress[len(progress)-1].Total != all {
			t.Errorf("%s: progress %+v, want it to end at %d of %d (tasks × repeats)", tt.job, progress, all, all)
		}
		if fastest := slices.Min(res.Repeats); len(res.Repeats) != res.Spec.Repeat || res.DurationNS != fastest {
			t.Errorf("%s: repeats %v, duration %d: want %d repeats and the fastest", tt.job, res.Repeats, res.DurationNS, res.Spec.Repeat)
		}
	}
}

// Bad frames are answered with code invalid and a message naming the field; the socket, and
// the server, go on working.
func TestBadMessagesAreInvalidAndTheSocketGoesOn(t *testing.T) {
	s := start(t, Config{})
	c := dial(t, s)
	other := dial(t, s)
	tests := []struct{ frame, id, field string }{
		{`{"type":"run","id":"r1","job":`, "", "message"},
		{`not json`, "", "message"},
		{`{"type":"launch","id":"r1"}`, "r1", "type"},
		{`{"type":"run","id":"r1","job":{"workerz":2}}`, "r1", "job"},
		{`{"type":"run","id":"r1","job":{"preset":"cpu_mp","workers":0}}`, "r1", "workers"},
		{`{"type":"run","id":"r1","job":{"preset":"cpu_mp","workers":65}}`, "r1", "workers"},
		{`{"type":"run","id":"r1","job":{"experiment":"cpu","tasks":1000000}}`, "r1", "tasks"},
		{`{"type":"run","id":"r1","job":{"experiment":"cpu","n":1000000000}}`, "r1", "n"},
		{`{"type":"run","id":"r1","job":{"experiment":"cpu","n":1e300}}`, "r1", "n"},
		{`{"type":"run","id":"r1","job":{"experiment":"io","delay":"1h"}}`, "r1", "delay"},
		{`{"type":"run","id":"r1","job":{"experiment":"io","size":2000000}}`, "r1", "size"},
		{`{"type":"run","id":"r1","job":{"experiment":"io","variant":"threads"}}`, "r1", "variant"},
		{`{"type":"run","id":"r1","job":{"preset":"nope"}}`, "r1", "preset"},
		{`{"type":"run","id":"r1","job":{"experiment":"race","mode":"sloppy"}}`, "r1", "mode"},
		// A field the experiment does not use is refused, not echoed into the spec.
		{`{"type":"run","id":"r1","job":{"experiment":"cpu","mode":"yolo","delay":"-5ms"}}`, "r1", "delay"},
		{`{"type":"run","id":"r1","job":{"experiment":"cpu","mode":"unsafe"}}`, "r1", "mode"},
		{`{"type":"run","id":"r1","job":{"preset":"race_condition","size":0}}`, "r1", "size"},
		{`{"type":"run","id":"r1","job":{"preset":"io_threading","n":5}}`, "r1", "n"},
	}
	for _, tt := range tests {
		c.sendText(tt.frame)
		m := c.next()
		if m.Type != protocol.TypeError || m.Code != protocol.CodeInvalid || m.ID != tt.id || !strings.HasPrefix(m.Message, tt.field+": ") {
			t.Errorf("%s:\n got %+v\nwant error invalid, id %q, message starting %q", tt.frame, m, tt.id, tt.field+": ")
		}
	}
	if err := c.ws.WriteMessage(websocket.BinaryMessage, []byte{1, 2, 3}); err != nil {
		t.Fatal(err)
	}
	if m := c.next(); m.Code != protocol.CodeInvalid || !strings.Contains(m.Message, "binary") {
		t.Errorf("binary frame: %+v, want invalid", m)
	}
	for _, cl := range []*client{c, other} {
		cl.run("ok", `{"experiment":"cpu","tasks":2,"n":1000}`)
		if m, _, _ := cl.end(); m.Type != protocol.TypeResult {
			t.Errorf("a good run after the bad messages: %+v", m)
		}
	}
	if n := s.Stats().RunsTotal; n != 2 {
		t.Errorf("%d runs started, want only the 2 good ones", n)
	}
}

func TestOneRunPerSocketAndAServerWideLimit(t *testing.T) {
	s := start(t, Config{MaxRuns: 1})
	a, b := dial(t, s), dial(t, s)
	a.run("long", longJob)
	a.run("second", `{"preset":"cpu_mp"}`)
	if m, _, _ := a.until(protocol.TypeError); m.Code != protocol.CodeBusy || m.ID != "second" || !strings.Contains(m.Message, "run long is still going") {
		t.Errorf("second run on a busy socket: %+v, want busy", m)
	}
	b.run("other", `{"experiment":"cpu","tasks":1,"n":10}`)
	if m := b.next(); m.Code != protocol.CodeLimit || m.ID != "other" || !strings.Contains(m.Message, "limit") {
		t.Errorf("a run over the server's limit: %+v, want limit", m)
	}
	a.sendText(`{"type":"cancel","id":"long"}`)
	if m, _, _ := a.until(protocol.TypeError); m.Code != protocol.CodeCanceled || m.ID != "long" {
		t.Errorf("cancel: %+v, want canceled", m)
	}
	// Both slots are free again: the socket's and the server's.
	for _, c := range []*client{a, b} {
		c.run("after", `{"experiment":"cpu","tasks":1,"n":10}`)
		if m, _, _ := c.end(); m.Type != protocol.TypeResult {
			t.Errorf("run after the cancel: %+v", m)
		}
	}
}

func TestCancelStopsTheRunAtOnce(t *testing.T) {
	s := start(t, Config{})
	c := dial(t, s)
	for _, job := range []string{longJob,
		`{"experiment":"cpu","variant":"pool","workers":2,"tasks":50000,"n":200000,"repeat":1}`, // ~10 s of work
		`{"experiment":"io","variant":"process","workers":2,"tasks":40,"delay":"1s","size":100}`} {
		c.run("r", job)
		c.until(protocol.TypeSpans) // under way
		sent := time.Now()
		c.sendText(`{"type":"cancel","id":"r"}`)
		m, _, _ := c.until(protocol.TypeError)
		took := time.Since(sent)
		if m.Code != protocol.CodeCanceled || !strings.Contains(m.Message, "cancelled by the client") {
			t.Errorf("%s: %+v, want canceled", job, m)
		}
		// The target is 100 ms (see BenchmarkCancel); a test under -race on shared cores only
		// checks the run did not go on.
		if took > time.Second {
			t.Errorf("%s: cancelled after %v", job, took)
		}
		t.Logf("%s: cancelled in %v", job, took)
	}
	c.sendText(`{"type":"cancel","id":"gone"}`) // nothing going: ignored
	c.run("next", `{"experiment":"cpu","tasks":1,"n":10}`)
	if m, _, _ := c.end(); m.Type != protocol.TypeResult || m.ID != "next" {
		t.Errorf("after the cancels: %+v", m)
	}
}

func TestDisconnectCancelsTheRun(t *testing.T) {
	s := start(t, Config{})
	dial(t, s).ws.Close() // let the server's lazily started goroutines start
	eventually(t, 2*time.Second, "socket closed", func() bool { return s.Stats().Sockets == 0 })
	base := runtime.NumGoroutine()
	c := dial(t, s)
	c.run("r", longJob)
	c.until(protocol.TypeSpans)
	c.ws.NetConn().Close() // no close frame: the client vanished
	eventually(t, 2*time.Second, "the run still going after the disconnect", func() bool {
		st := s.Stats()
		return st.Runs == 0 && st.Sockets == 0
	})
	goroutinesBackTo(t, base, 2*time.Second)
}

// The process variant's workers die with their run: checked in /proc, not with kill -0, which
// a zombie still answers.
func TestDisconnectEndsTheWorkerProcesses(t *testing.T) {
	s := start(t, Config{})
	dial(t, s).ws.Close()
	eventually(t, 2*time.Second, "socket closed", func() bool { return s.Stats().Sockets == 0 })
	base := runtime.NumGoroutine()
	before := children(syscall.Getpid())
	c := dial(t, s)
	c.run("r", `{"experiment":"io","variant":"process","workers":3,"tasks":30,"delay":"1s","size":100}`)
	c.spawned(3)
	workers := without(children(syscall.Getpid()), before)
	if len(workers) != 3 {
		t.Fatalf("worker processes %v, want 3", workers)
	}
	c.ws.NetConn().Close()
	eventually(t, 2*time.Second, fmt.Sprintf("workers %v still alive", workers), func() bool {
		return !slices.ContainsFunc(workers, alive)
	})
	eventually(t, 2*time.Second, "the run still going", func() bool { return s.Stats().Runs == 0 })
	goroutinesBackTo(t, base, 2*time.Second)
}

// spawned reads spans until n workers have reported their start-up.
func (c *client) spawned(n int) {
	c.t.Helper()
	for seen := 0; seen < n; {
		m := c.next()
		if m.Type != protocol.TypeSpans && m.Type != protocol.TypeProgress {
			c.t.Fatalf("got %+v while waiting for %d workers to start", m, n)
		}
		for _, sp := range m.Spans {
			if sp.State == trace.Spawn {
				seen++
			}
		}
	}
}

func without(list, drop []int) []int {
	return slices.DeleteFunc(list, func(p int) bool { return slices.Contains(drop, p) })
}

func TestKilledWorkerFailsTheRunAndTheSocketGoesOn(t *testing.T) {
	s := start(t, Config{})
	c := dial(t, s)
	before := children(syscall.Getpid())
	c.run("r", `{"experiment":"io","variant":"process","workers":2,"tasks":20,"delay":"1s","size":100}`)
	c.spawned(2) // both workers are up and downloading
	workers := without(children(syscall.Getpid()), before)
	if len(workers) != 2 {
		t.Fatalf("worker processes %v, want 2", workers)
	}
	if err := syscall.Kill(workers[0], syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	m, _, _ := c.until(protocol.TypeError)
	if m.Code != protocol.CodeFailed || m.ID != "r" || m.Message == "" {
		t.Errorf("after kill -9 of a worker: %+v, want error failed", m)
	}
	t.Logf("failed: %s", m.Message)
	eventually(t, 2*time.Second, "the other worker outlived the run", func() bool { return !slices.ContainsFunc(workers, alive) })
	c.run("next", `{"preset":"cpu_mp","workers":2,"tasks":4,"n":1000}`)
	if m, _, _ := c.end(); m.Type != protocol.TypeResult {
		t.Errorf("the run after the failure: %+v", m)
	}
}

// A 32 MiB frame is refused from its header: close 1009, and the payload is never buffered.
func TestOversizedFrameIsClosedWith1009(t *testing.T) {
	s := start(t, Config{})
	c := dial(t, s)
	before := heapInUse()
	// A masked text frame announcing 32 MiB, then its payload in 64 KiB pieces, so that this
	// test (in the same process as the server) does not hold 32 MiB itself.
	hdr := []byte{0x81, 0x80 | 127, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4}
	binary.BigEndian.PutUint64(hdr[2:10], 32<<20)
	conn := c.ws.NetConn()
	conn.SetWriteDeadline(time.Now().Add(5 * time.Second))
	if _, err := conn.Write(hdr); err != nil {
		t.Fatal(err)
	}
	chunk := make([]byte, 64<<10)
	go func() {
		for sent := 0; sent < 32<<20; sent += len(chunk) {
			if _, err := conn.Write(chunk); err != nil {
				return // the server closed the connection, as it should
			}
		}
	}()
	c.ws.SetReadDeadline(time.Now().Add(5 * time.Second))
	_, _, err := c.ws.ReadMessage()
	var ce *websocket.CloseError
	if !errors.As(err, &ce) || ce.Code != websocket.CloseMessageTooBig {
		t.Errorf("after a 32 MiB frame: %v, want close 1009", err)
	}
	if grew := heapInUse() - before; grew > 4<<20 {
		t.Errorf("the heap grew by %d bytes", grew)
	}
	eventually(t, 2*time.Second, "socket still open", func() bool { return s.Stats().Sockets == 0 })
	d := dial(t, s)
	d.run("ok", `{"experiment":"cpu","tasks":1,"n":10}`)
	if m, _, _ := d.end(); m.Type != protocol.TypeResult {
		t.Errorf("a run after the big frame: %+v", m)
	}
}

// A client that falls behind gets a coarser timeline, not a bigger server: the spans waiting
// for it are bounded (StreamLimit), coarsened beyond it, and the result says how many were
// merged. Here the writer never sends spans before the run ends (a span interval of an hour),
// as if the client read nothing until then: all 20,004 spans wait.
func TestAClientThatFallsBehindGetsCoarserSpansAndIsToldSo(t *testing.T) {
	const limit = 2048
	s := start(t, Config{SpanInterval: time.Hour, StreamLimit: limit})
	c := dial(t, s)
	c.run("r1", `{"experiment":"race","variant":"pool","workers":4,"tasks":20000,"mode":"atomic"}`)
	m, spans, _ := c.end()
	r := m.Result
	// a span per task, and one per worker's start (the race pool draws its start-up)
	if m.Type != protocol.TypeResult || r.Spans != 20000+4 {
		t.Fatalf("got %+v, want a result of 20,004 spans", m)
	}
	if len(spans) > limit || r.SpansCoarsened == 0 || len(spans)+r.SpansCoarsened != r.Spans {
		t.Errorf("%d spans received, result: %d spans, %d coarsened; want at most %d received, and received + coarsened = spans",
			len(spans), r.Spans, r.SpansCoarsened, limit)
	}
	lanes := map[int32]bool{}
	for _, sp := range spans {
		lanes[sp.Lane] = true
	}
	if len(lanes) != 4 {
		t.Errorf("spans of %d lanes, want the 4 workers'", len(lanes))
	}
	// A client that keeps up gets every span, uncoarsened.
	fast := start(t, Config{StreamLimit: limit})
	f := dial(t, fast)
	f.run("r2", `{"experiment":"cpu","variant":"pool","workers":2,"tasks":100,"n":1000,"repeat":1}`)
	if m, spans, _ := f.end(); m.Result.SpansCoarsened != 0 || len(spans) != m.Result.Spans {
		t.Errorf("a client that keeps up: %d spans received of %d, %d coarsened", len(spans), m.Result.Spans, m.Result.SpansCoarsened)
	}
}

func heapInUse() int64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return int64(m.HeapInuse)
}

// A client that sends but never reads: its spans wait in the recorder (no queue of batches),
// its further runs are refused (busy) until the first one's result is written, and the write
// deadline finally drops it. Nothing grows with the time it stays.
func TestClientThatNeverReadsCannotGrowTheServer(t *testing.T) {
	s := start(t, Config{WriteWait: 500 * time.Millisecond})
	c := dial(t, s)
	c.ws.NetConn().(*net.TCPConn).SetReadBuffer(4096)
	base := heapInUse()
	peak := base
	job := `{"experiment":"race","variant":"pool","workers":4,"tasks":100000,"mode":"atomic"}` // 100,000 spans
	conn := c.ws
	stop := time.Now().Add(1500 * time.Millisecond)
	asked := 0
	for ; time.Now().Before(stop); asked++ {
		conn.SetWriteDeadline(time.Now().Add(100 * time.Millisecond))
		if conn.WriteMessage(websocket.TextMessage, []byte(`{"type":"run","id":"r`+fmt.Sprint(asked)+`","job":`+job+`}`)) != nil {
			break // the server stopped reading us, or dropped us
		}
		peak = max(peak, heapInUse())
		time.Sleep(20 * time.Millisecond)
	}
	// The run may end on its own before a write blocks: 100,000 tasks take 2 s under -race
	// on an idle machine and several times that beside a CPU hog, hence the generous bound.
	eventually(t, 30*time.Second, "the server kept the socket of a client that never reads", func() bool {
		st := s.Stats()
		return st.Sockets == 0 && st.Runs == 0
	})
	// The kernel's socket buffers may swallow a run's few MiB before a write blocks; from then
	// on every run asked for is busy.
	if n := s.Stats().RunsTotal; n > 3 || asked <= int(n) {
		t.Errorf("%d runs started of %d asked for by a client that never reads, want at most 3", n, asked)
	}
	// One run's spans (100,000 × 32 bytes in the recorder, a batch copy, one encoded message)
	// and its results: a few MiB. Queued batches would be ~3.5 MiB of JSON per run started.
	if grew := peak - base; grew > 24<<20 {
		t.Errorf("the heap grew by %d MiB", grew>>20)
	}
	t.Logf("%d runs asked for, %d started; heap peak over the baseline: %.1f MiB", asked, s.Stats().RunsTotal, float64(peak-base)/(1<<20))
}

func TestThousandSocketsGetHelloAndMoreAreRefused(t *testing.T) {
	const n = 1000
	s := start(t, Config{MaxSockets: n})
	conns := make([]*websocket.Conn, n)
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for w := range 20 {
		wg.Go(func() {
			for i := w; i < n; i += 20 {
				ws, _, err := dialRaw(s, s.URL())
				if err != nil {
					errs <- err
					continue
				}
				conns[i] = ws
				ws.SetReadDeadline(time.Now().Add(10 * time.Second))
				if _, data, err := ws.ReadMessage(); err != nil || !strings.HasPrefix(string(data), `{"type":"hello"`) {
					errs <- fmt.Errorf("socket %d: %.40s %v", i, data, err)
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	defer func() {
		for _, ws := range conns {
			ws.Close()
		}
	}()
	if got := s.Stats().Sockets; got != n {
		t.Fatalf("%d sockets open, want %d", got, n)
	}
	_, resp, err := dialRaw(s, s.URL())
	if err == nil || resp == nil || resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" {
		t.Fatalf("socket %d beyond the cap: %v, want 503 with Retry-After", n+1, err)
	}
	conns[0].Close()
	eventually(t, 2*time.Second, "a closed socket still counts", func() bool { return s.Stats().Sockets == n-1 })
	ws, _, err := dialRaw(s, s.URL())
	if err != nil {
		t.Fatalf("a socket after one closed: %v", err)
	}
	conns[0] = ws
}

// Shutdown cancels the run, tells the client, and closes with 1001 (going away).
func TestShutdownCancelsRunsAndClosesSockets(t *testing.T) {
	s, err := Start(Config{Addr: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	busy, idle := dial(t, s), dial(t, s)
	busy.run("r", longJob)
	busy.until(protocol.TypeSpans)
	done := make(chan error)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		done <- s.Shutdown(ctx)
	}()
	if m, _, _ := busy.until(protocol.TypeError); m.Code != protocol.CodeCanceled || !strings.Contains(m.Message, "shutting down") {
		t.Errorf("the run at shutdown: %+v", m)
	}
	for _, c := range []*client{busy, idle} {
		c.ws.SetReadDeadline(time.Now().Add(5 * time.Second))
		_, _, err := c.ws.ReadMessage()
		var ce *websocket.CloseError
		if !errors.As(err, &ce) || ce.Code != websocket.CloseGoingAway {
			t.Errorf("at shutdown: %v, want close 1001", err)
		}
	}
	if err := <-done; err != nil {
		t.Errorf("shutdown: %v", err)
	}
	if _, _, err := dialRaw(s, s.URL()); err == nil {
		t.Errorf("a socket opened after the shutdown")
	}
}
