package main

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"concurrency-playground/internal/trace"
	"concurrency-playground/internal/workload"
)

var testMachine = workload.Machine{Where: "browser", OS: "js", Arch: "wasm", Cores: 1, GOMAXPROCS: 1}

func resolve(t *testing.T, j workload.Job) workload.Spec {
	t.Helper()
	s, err := Resolve(j, 1, true)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// collector is a Sink that keeps every span and the last progress it was given.
type collector struct {
	spans       []trace.Span
	done, total int
	calls       int
}

func (c *collector) sink(spans []trace.Span, done, total int) {
	c.spans = append(c.spans, spans...)
	c.done, c.total = done, total
	c.calls++
}

// runSpec runs s and checks what every run must satisfy: one span per task and repeat, each
// on a lane below the worker count and within its repeat (the repeats tile the timeline),
// delivered once, the fastest repeat as the duration, and progress reaching the end.
func runSpec(t *testing.T, s workload.Spec, f workload.Fetcher) workload.Result {
	t.Helper()
	var c collector
	res, err := Run(context.Background(), s, Options{Fetcher: f, FarmURL: "http://farm.test", Machine: testMachine, Sink: c.sink})
	if err != nil {
		t.Fatalf("%s/%s: %v", s.Experiment, s.Variant, err)
	}
	if res.Where != "browser" || res.Variant != s.Variant || len(res.Results) != s.Tasks {
		t.Errorf("result: where %q variant %q with %d results, want browser %s with %d", res.Where, res.Variant, len(res.Results), s.Variant, s.Tasks)
	}
	if len(res.Repeats) != s.Repeat || res.DurationNS != slices.Min(res.Repeats) {
		t.Fatalf("repeats %v, duration %d: want %d repeats and the fastest as the duration", res.Repeats, res.DurationNS, s.Repeat)
	}
	if len(c.spans) != s.TotalTasks() || res.Spans != s.TotalTasks() {
		t.Errorf("%d spans streamed, result counts %d, want one per task and repeat: %d", len(c.spans), res.Spans, s.TotalTasks())
	}
	type key struct {
		repeat int
		task   int32
	}
	seen := make(map[key]bool)
	for _, sp := range c.spans {
		repeat, from := 0, int64(0)
		for repeat < len(res.Repeats)-1 && sp.Start >= from+res.Repeats[repeat] {
			from += res.Repeats[repeat]
			repeat++
		}
		k := key{repeat, sp.Task}
		if sp.Lane < 0 || int(sp.Lane) >= s.Workers || sp.Start > sp.End || sp.End > from+res.Repeats[repeat] || seen[k] {
			t.Fatalf("span %+v: want a lane in 0..%d, %d <= start <= end <= %d (repeat %d), each task once a repeat", sp, s.Workers-1, from, from+res.Repeats[repeat], repeat)
		}
		seen[k] = true
	}
	if c.done != s.TotalTasks() || c.total != s.TotalTasks() {
		t.Errorf("last progress %d/%d, want %d/%d", c.done, c.total, s.TotalTasks(), s.TotalTasks())
	}
	return res
}

// nativeChecksum is the checksum of the spec's tasks done one after another, directly.
func nativeChecksum(t *testing.T, s workload.Spec, f workload.Fetcher) string {
	results := make([]string, s.Tasks)
	env := &workload.TaskEnv{Fetcher: f, FarmURL: "http://farm.test", Counter: new(workload.Counter)}
	for task := range s.Tasks {
		r, err := s.Do(context.Background(), task, env)
		if err != nil {
			t.Fatal(err)
		}
		results[task] = r
	}
	return workload.Checksum(results)
}

func TestCPUVariantsGiveTheNativeChecksum(t *testing.T) {
	for _, v := range Variants {
		s := resolve(t, workload.Job{Experiment: new(workload.CPU), Variant: new(v), Tasks: new(6), N: new(int64(300_000))})
		res := runSpec(t, s, nil)
		if want := nativeChecksum(t, s, nil); res.Checksum != want {
			t.Errorf("%s: checksum %s, the same sums done directly give %s", v, res.Checksum, want)
		}
		// 299,999 squares summed: (n-1)n(2n-1)/6 with n = 300,000.
		if res.Results[0] != "8999955000050000" {
			t.Errorf("%s: task 0 sums to %s, want 8999955000050000", v, res.Results[0])
		}
	}
}

func TestRaceLosesUpdatesOnlyWhenTheIncrementYields(t *testing.T) {
	for _, c := range []struct {
		variant   workload.Variant
		mode      workload.RaceMode
		yield     bool
		wantLoss  bool
		explained string
	}{
		{workload.Sequential, workload.Unsafe, true, false, "one task at a time: nobody else writes between the read and the write"},
		{workload.EventLoop, workload.Mutex, true, false, "the lock is held across the yield"},
		{workload.EventLoop, workload.Atomic, true, false, "one atomic add"},
		{workload.EventLoop, workload.Unsafe, true, true, "other tasks run between the read and the write"},
	} {
		s := resolve(t, workload.Job{Experiment: new(workload.Race), Variant: new(c.variant), Tasks: new(200), Mode: new(c.mode), Yield: new(c.yield)})
		res := runSpec(t, s, nil)
		if res.Race == nil || res.Race.Expected != 200*workload.IncrementsPerTask {
			t.Fatalf("%s %s: race outcome %+v, want 20000 expected", c.variant, c.mode, res.Race)
		}
		if lost := res.Race.Lost > 0; lost != c.wantLoss {
			t.Errorf("%s %s yield=%v: lost %d updates; want lost updates: %v (%s)", c.variant, c.mode, c.yield, res.Race.Lost, c.wantLoss, c.explained)
		}
		if want := nativeChecksum(t, s, nil); res.Checksum != want {
			t.Errorf("%s %s: checksum %s, want %s", c.variant, c.mode, res.Checksum, want)
		}
	}
}

// farm is a fake Fetcher: it waits the URL's delay and returns its size, counting how many
// fetches are in flight at once.
type farm struct {
	mu             sync.Mutex
	inFlight, most int
	fail           string // a URL containing this fails
}

func (f *farm) Fetch(ctx context.Context, url string) (int64, error) {
	f.mu.Lock()
	f.inFlight++
	f.most = max(f.most, f.inFlight)
	f.mu.Unlock()
	defer func() { f.mu.Lock(); f.inFlight--; f.mu.Unlock() }()
	if f.fail != "" && strings.Contains(url, f.fail) {
		return 0, errors.New("503 Service Unavailable")
	}
	q := url[strings.Index(url, "?")+1:]
	var delay time.Duration
	var size int64
	for _, kv := range strings.Split(q, "&") {
		k, v, _ := strings.Cut(kv, "=")
		switch k {
		case "delay":
			delay, _ = time.ParseDuration(v)
		case "size":
			size, _ = strconv.ParseInt(v, 10, 64)
		}
	}
	select {
	case <-time.After(delay):
		return size, nil
	case <-ctx.Done():
		return 0, ctx.Err()
	}
}

func TestIOEventLoopUsesTheBrowsersSixConnections(t *testing.T) {
	s := resolve(t, workload.Job{Preset: "io_asyncio", Tasks: new(20), Delay: new(workload.Duration(5 * time.Millisecond)), Size: new(2500)})
	if s.Workers != workload.BrowserConnectionsPerHost {
		t.Fatalf("io_asyncio in the browser resolves to %d workers, want %d (connections per host)", s.Workers, workload.BrowserConnectionsPerHost)
	}
	f := new(farm)
	res := runSpec(t, s, f)
	if f.most != workload.BrowserConnectionsPerHost {
		t.Errorf("at most %d fetches were in flight, want %d", f.most, workload.BrowserConnectionsPerHost)
	}
	if res.Results[0] != "2500" || res.Results[1] != "100" {
		t.Errorf("results %v..., want the sizes of site a (2500) and b (100)", res.Results[:2])
	}
	seq := s
	seq.Variant, seq.Workers = workload.Sequential, 1
	if got, want := runSpec(t, seq, new(farm)).Checksum, res.Checksum; got != want {
		t.Errorf("sequential checksum %s, eventloop %s: want the same", got, want)
	}
}

func TestIOFailureStopsTheRunAndNamesTheTask(t *testing.T) {
	for _, v := range Variants {
		s := resolve(t, workload.Job{Experiment: new(workload.IO), Variant: new(v), Tasks: new(8), Delay: new(workload.Duration(time.Millisecond))})
		_, err := Run(context.Background(), s, Options{Fetcher: &farm{fail: "/farm/b"}, FarmURL: "http://farm.test", Machine: testMachine})
		// Every task of site b fails; which one is reported first depends on the variant.
		if err == nil || !strings.HasPrefix(err.Error(), "task ") || !strings.HasSuffix(err.Error(), ": 503 Service Unavailable") {
			t.Errorf("%s: error %v, want a site-b task's 503", v, err)
		}
	}
}

func TestResolveKeepsToTheBrowser(t *testing.T) {
	if _, err := Resolve(workload.Job{Preset: "cpu_threading"}, 4, true); err == nil || !strings.Contains(err.Error(), `"pool" runs on the native backend`) {
		t.Errorf("cpu_threading: error %v, want the goroutine pool refused", err)
	}
	if s, err := Resolve(workload.Job{Preset: "cpu_mp"}, 64, true); err != nil || s.Workers != workload.BrowserProcessWorkers {
		t.Errorf("cpu_mp on 64 cores: %d workers, %v; want the bound, %d", s.Workers, err, workload.BrowserProcessWorkers)
	}
	if _, err := Resolve(workload.Job{Preset: "cpu_mp", Workers: new(workload.BrowserProcessWorkers + 1)}, 4, true); err == nil || !strings.HasPrefix(err.Error(), "workers: 17 is out of range 1..16") {
		t.Errorf("cpu_mp with 17 workers: error %v, want the bound named", err)
	}
	if s := resolve(t, workload.Job{Preset: "io_asyncio", Workers: new(40)}); s.Workers != 40 {
		t.Errorf("io_asyncio with 40 workers resolves to %d: a chosen count must stay", s.Workers)
	}
	if s := resolve(t, workload.Job{Preset: "io_asyncio", Tasks: new(4)}); s.Workers != 4 {
		t.Errorf("io_asyncio with 4 tasks resolves to %d workers, want 4", s.Workers)
	}
	if s := resolve(t, workload.Job{Preset: "cpu_threading", Variant: new(workload.EventLoop)}); s.Workers != s.Tasks {
		t.Errorf("cpu eventloop resolves to %d workers, want one per task (%d)", s.Workers, s.Tasks)
	}
	// The page's engine refuses another experiment's field as the CLI and the backend do.
	job, err := jobFromValues(map[string]any{"experiment": "cpu", "mode": "yolo", "delay": "-5ms"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Resolve(job, 4, true); err == nil || err.Error() != "delay: the cpu experiment has no delay (it is io's)" {
		t.Errorf("cpu with a mode and a delay: error %v, want the delay refused", err)
	}
}
