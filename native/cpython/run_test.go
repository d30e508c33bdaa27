package cpython

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"concurrency-playground/internal/farm"
	"concurrency-playground/internal/proctest"
	"concurrency-playground/internal/trace"
	"concurrency-playground/internal/workload"
	"concurrency-playground/native/runner"
)

// small is a spec of experiment e and variant v small enough to run in CPython in a moment.
func small(e workload.Experiment, v workload.Variant) workload.Spec {
	s := workload.Spec{Experiment: e, Variant: v, Workers: 3, Repeat: 1}
	switch e {
	case workload.CPU:
		s.Tasks, s.N = 7, 20_000
	case workload.IO:
		s.Tasks, s.Size, s.Delay = 8, 2500, workload.Duration(2*time.Millisecond)
	case workload.Race:
		s.Tasks, s.Mode = 40, workload.Unsafe
	}
	if v == workload.Sequential {
		s.Workers = 1
	}
	return s
}

// Every script gives Go's results, so Go's checksum, and one span per task on the lanes of
// its threads, processes or slots.
func TestCPythonGivesGosChecksum(t *testing.T) {
	py := testPython(t)
	url, stop, err := runner.StartFarm()
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	for _, e := range workload.Experiments {
		for _, v := range []workload.Variant{workload.Sequential, workload.EventLoop, workload.Pool, workload.GIL, workload.Process} {
			s := small(e, v)
			t.Run(string(e)+"/"+string(v), func(t *testing.T) {
				goRes, err := runner.Run(context.Background(), s, runner.Options{FarmURL: url})
				if err != nil {
					t.Fatalf("Go: %v", err)
				}
				rec := trace.NewRecorder(0)
				res, err := Run(context.Background(), py, s, runner.Options{FarmURL: url, Recorder: rec})
				if err != nil {
					t.Fatalf("CPython: %v", err)
				}
				if res.Where != Where || res.Python == nil || res.Python.Version != py.Version {
					t.Errorf("where %q, python %+v; want cpython %s", res.Where, res.Python, py.Version)
				}
				if res.Checksum != goRes.Checksum {
					t.Errorf("checksum %s, Go's %s\nCPython %v\nGo      %v", res.Checksum, goRes.Checksum, res.Results, goRes.Results)
				}
				tasks := map[int32]int{}
				for _, sp := range rec.Spans() {
					if sp.Task != trace.NoTask {
						tasks[sp.Task]++
					}
					if sp.Start > sp.End || sp.Start < 0 || sp.End > res.DurationNS {
						t.Errorf("span %+v lies outside the run's %d ns", sp, res.DurationNS)
					}
				}
				if len(tasks) != s.Tasks {
					t.Errorf("spans cover %d tasks, want %d", len(tasks), s.Tasks)
				}
				if e == workload.Race && v != workload.Process && res.Race.Counted != res.Race.Expected {
					// 40 tasks finish long before CPython's 5 ms switch interval.
					t.Logf("race: %d of %d counted", res.Race.Counted, res.Race.Expected)
				}
			})
		}
	}
}

// The tracer's spans agree with the script's own timing: one after another, the sums take
// the whole repeat but for the runner's own instants, and the repeats tile the timeline.
func TestSpansMatchTheScriptsTiming(t *testing.T) {
	py := testPython(t)
	s := small(workload.CPU, workload.Sequential)
	s.N, s.Repeat = 300_000, 2
	rec := trace.NewRecorder(0)
	res, err := Run(context.Background(), py, s, runner.Options{Recorder: rec})
	if err != nil {
		t.Fatal(err)
	}
	var busy [2]int64
	first := res.Repeats[0]
	var last int64
	for _, sp := range rec.Spans() {
		if sp.Start < last {
			t.Errorf("span %+v starts before the one before it ended at %d: sequential sums overlap", sp, last)
		}
		last = sp.End
		r := 0
		if sp.Start >= first {
			r = 1
		}
		if sp.End > first && sp.Start < first {
			t.Errorf("span %+v straddles the repeats' boundary at %d", sp, first)
		}
		busy[r] += sp.End - sp.Start
	}
	for r, d := range res.Repeats {
		// On an idle machine the sums cover 0.98 or more; one shared by other builds can pause
		// the runner between two sums for tens of ms (0.80 was seen at load 20 on 2 cores).
		if share := float64(busy[r]) / float64(d); share < 0.5 || share > 1 {
			t.Errorf("repeat %d: the tasks' spans cover %.2f of its %v, want 0.5..1", r, share, time.Duration(d))
		}
	}
	if len(rec.Spans()) != s.Tasks*s.Repeat {
		t.Errorf("%d spans, want one per task: %d", len(rec.Spans()), s.Tasks*s.Repeat)
	}
}

// A process pool's workers start with a spawn span each, before their first task.
func TestProcessStartUpIsASpawnSpan(t *testing.T) {
	py := testPython(t)
	s := small(workload.CPU, workload.Process)
	s.Workers, s.Tasks, s.N = 2, 8, 200_000
	rec := trace.NewRecorder(0)
	if _, err := Run(context.Background(), py, s, runner.Options{Recorder: rec}); err != nil {
		t.Fatal(err)
	}
	spawned := map[int32]int64{}
	for _, sp := range rec.Spans() {
		if sp.State == trace.Spawn {
			spawned[sp.Lane] = sp.End
		}
	}
	if len(spawned) == 0 {
		t.Fatal("no spawn span")
	}
	for _, sp := range rec.Spans() {
		if end, ok := spawned[sp.Lane]; ok && sp.State != trace.Spawn && sp.Start < end {
			t.Errorf("task span %+v starts before its process's start-up ends at %d", sp, end)
		}
	}
}

// What CPython cannot run as the lesson wrote it is refused before it starts.
func TestRefusals(t *testing.T) {
	py := testPython(t)
	mutex := small(workload.Race, workload.Pool)
	mutex.Mode = workload.Mutex
	if _, err := Run(context.Background(), py, mutex, runner.Options{}); err == nil || !strings.HasPrefix(err.Error(), "mode:") {
		t.Errorf("a mutex race: err = %v, want a refusal naming mode", err)
	}
	if _, err := Probe(context.Background(), filepath.Join(t.TempDir(), "python3")); err == nil {
		t.Error("a missing interpreter was probed fine")
	}
	if _, err := Find(nil, "cpython-3.11.2"); err == nil || !strings.Contains(err.Error(), "-python PATH") {
		t.Errorf("no interpreter offered: err = %v, want it to say how to offer one", err)
	}
}

// A script that raises fails the run with the Python error's last line.
func TestAScriptRaisingFailsWithItsLastLine(t *testing.T) {
	py := testPython(t)
	ln := httptest.NewServer(http.NotFoundHandler())
	dead := ln.URL
	ln.Close() // nothing listens there any more: every GET fails to connect
	_, err := Run(context.Background(), py, small(workload.IO, workload.Pool), runner.Options{FarmURL: dead})
	if err == nil || !strings.HasPrefix(err.Error(), "python: ConnectionError") || strings.Contains(err.Error(), "\n") {
		t.Errorf("err = %v, want one line: python: ConnectionError…", err)
	}
}

// Without requests or aiohttp, the I/O run says in one line which pip command installs it.
func TestAMissingPackageNamesThePipCommand(t *testing.T) {
	py := testPython(t)
	shadow := t.TempDir()
	for _, pkg := range []string{"requests", "aiohttp"} {
		os.MkdirAll(filepath.Join(shadow, pkg), 0o755)
		os.WriteFile(filepath.Join(shadow, pkg, "__init__.py"),
			[]byte("raise ModuleNotFoundError(\"No module named '"+pkg+"'\", name='"+pkg+"')\n"), 0o644)
	}
	t.Setenv("PYTHONPATH", shadow) // found before the installed package: as if it were not there
	for v, pkg := range map[workload.Variant]string{workload.Pool: "requests", workload.EventLoop: "aiohttp"} {
		_, err := Run(context.Background(), py, small(workload.IO, v), runner.Options{})
		if err == nil || !strings.Contains(err.Error(), "python3 -m pip install "+pkg) {
			t.Errorf("%s without %s: err = %v, want the pip command", v, pkg, err)
		}
	}
}

// Cancelling a run kills the interpreter and every worker process it started: no orphan.
func TestCancelLeavesNoProcess(t *testing.T) {
	py := testPython(t)
	asked := make(chan struct{}, 16)
	farmSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		asked <- struct{}{}
		farm.Handler().ServeHTTP(w, r)
	}))
	defer farmSrv.Close()
	s := small(workload.IO, workload.Process)
	s.Workers, s.Tasks, s.Delay = 2, 4, workload.Duration(10*time.Second)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ended := make(chan error, 1)
	go func() {
		_, err := Run(ctx, py, s, runner.Options{FarmURL: farmSrv.URL})
		ended <- err
	}()
	<-asked
	<-asked // both workers wait for a page that takes 10 s
	pids := descendants(os.Getpid())
	if len(pids) < 3 {
		t.Fatalf("want the interpreter and its 2 workers, found %v", pids)
	}
	cancel()
	select {
	case err := <-ended:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the run did not end within 5 s of its cancel (a page takes 10 s)")
	}
	// SIGKILL is delivered at once but a process takes a moment to die: a busy machine may
	// not have torn a worker down yet when Run returns.
	for deadline := time.Now().Add(3 * time.Second); ; {
		var left []int
		for _, pid := range pids {
			if proctest.Alive(pid) {
				left = append(left, pid)
			}
		}
		if len(left) == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("processes %v outlived the cancelled run by 3 s", left)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// descendants are the processes below pid, children first.
func descendants(pid int) []int {
	var out []int
	for child := range proctest.Children(pid) {
		out = append(out, child)
		out = append(out, descendants(child)...)
	}
	return out
}
