package procpool

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"concurrency-playground/internal/farm"
	"concurrency-playground/internal/trace"
	"concurrency-playground/internal/workload"
	"concurrency-playground/native/httpfetch"
)

// envTestParent makes the test binary a pool's parent that runs until it is killed (see
// TestParentKilledLeavesNoWorker).
const envTestParent = "PROCPOOL_TEST_PARENT"

func TestMain(m *testing.M) {
	testHookReply = actOutFault // before ServeIfWorker: the workers are this same test binary
	ServeIfWorker()             // the pool re-executes this test binary as its workers
	if os.Getenv(envTestParent) != "" {
		os.Unsetenv(envTestParent)
		os.Exit(runLongParent())
	}
	if os.Getenv(envTestFilesParent) != "" {
		os.Unsetenv(envTestFilesParent)
		os.Exit(runFilesParent())
	}
	os.Exit(m.Run())
}

// runLongParent runs a pool of two workers whose downloads take ten seconds each, and prints
// "ready WORKER PID" as each worker is ready, then "busy" once both are downloading, so a
// test can kill this process mid-run.
func runLongParent() int {
	url, busy, stop := startBusyFarm(2)
	defer stop()
	testHookReady = func(worker, pid int) { fmt.Printf("ready %d %d\n", worker, pid) }
	go func() {
		<-busy
		fmt.Println("busy")
	}()
	s := workload.Spec{Repeat: 1, Experiment: workload.IO, Variant: workload.Process, Workers: 2, Tasks: 4,
		Delay: workload.Duration(10 * time.Second), Size: 100}
	_, err := Run(context.Background(), s, Options{FarmURL: url})
	fmt.Fprintf(os.Stderr, "the long run ended before it was killed: %v\n", err)
	return 1
}

// envTestFilesParent makes the test binary a pool's parent that prints what its workers hold
// open (see TestWorkersInheritNoStrayFiles).
const envTestFilesParent = "PROCPOOL_TEST_FILES_PARENT"

// runFilesParent runs a short CPU job on two workers and prints, for each worker once it is
// ready, "WORKER TARGET" for each file it holds open, then "done".
func runFilesParent() int {
	testHookReady = func(worker, pid int) {
		dir := fmt.Sprintf("/proc/%d/fd", pid)
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			target, _ := os.Readlink(dir + "/" + e.Name())
			fmt.Printf("%d %s\n", worker, target)
		}
	}
	s := workload.Spec{Repeat: 1, Experiment: workload.CPU, Variant: workload.Process, Workers: 2, Tasks: 2, N: 1000}
	if _, err := Run(context.Background(), s, Options{}); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	fmt.Println("done")
	return 0
}

// startFarm serves the site farm on a loopback port (httptest listens on 127.0.0.1).
func startFarm() (url string, stop func()) {
	srv := httptest.NewServer(farm.Handler())
	return srv.URL, srv.Close
}

// startBusyFarm is startFarm, and busy is closed once n downloads are in flight at the same
// time. A worker downloads one page at a time, so n workers are then each in the middle of a
// task: the tests act at that moment instead of sleeping and hoping it has come.
func startBusyFarm(n int) (url string, busy <-chan struct{}, stop func()) {
	var inFlight atomic.Int32
	var once sync.Once
	c := make(chan struct{})
	pages := farm.Handler()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if inFlight.Add(1) >= int32(n) {
			once.Do(func() { close(c) })
		}
		defer inFlight.Add(-1)
		pages.ServeHTTP(w, r)
	}))
	return srv.URL, c, srv.Close
}

// waitBusy waits for a busy farm's downloads to be in flight.
func waitBusy(t *testing.T, busy <-chan struct{}) {
	t.Helper()
	select {
	case <-busy:
	case <-time.After(20 * time.Second):
		t.Fatal("the workers were not all downloading within 20 s")
	}
}

// pids collects the pid of every worker that became ready during a test.
type pids struct {
	mu    sync.Mutex
	ready map[int]int // worker → pid
	c     chan struct{}
}

// watchPids records the pids of ready workers until the test ends.
func watchPids(t *testing.T) *pids {
	p := &pids{ready: map[int]int{}, c: make(chan struct{}, 64)}
	testHookReady = func(worker, pid int) {
		p.mu.Lock()
		p.ready[worker] = pid
		p.mu.Unlock()
		p.c <- struct{}{}
	}
	t.Cleanup(func() { testHookReady = nil })
	return p
}

func (p *pids) get(worker int) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.ready[worker]
}

func (p *pids) all() map[int]int {
	p.mu.Lock()
	defer p.mu.Unlock()
	m := map[int]int{}
	for w, pid := range p.ready {
		m[w] = pid
	}
	return m
}

// waitReady waits until n workers are ready.
func (p *pids) waitReady(t *testing.T, n int) {
	t.Helper()
	timeout := time.After(20 * time.Second)
	for range n {
		select {
		case <-p.c:
		case <-timeout:
			t.Fatalf("only %d of %d workers became ready within 20 s", len(p.all()), n)
		}
	}
}

// sequentialResults runs the spec's tasks one after another in this process: the reference
// every pool run must match.
func sequentialResults(t *testing.T, s workload.Spec, farmURL string) ([]string, int64) {
	t.Helper()
	env := &workload.TaskEnv{FarmURL: farmURL, Counter: new(workload.Counter)}
	if s.Experiment == workload.IO {
		c := httpfetch.New(1)
		defer c.Close()
		env.Fetcher = c
	}
	results := make([]string, s.Tasks)
	for task := range s.Tasks {
		r, err := s.Do(context.Background(), task, env)
		if err != nil {
			t.Fatalf("sequential task %d: %v", task, err)
		}
		results[task] = r
	}
	return results, env.Counter.Value()
}

// spansByState splits a recorder's spans into spawn spans and task spans.
func spansByState(rec *trace.Recorder) (spawn, tasks []trace.Span) {
	for _, s := range rec.Spans() {
		if s.State == trace.Spawn {
			spawn = append(spawn, s)
		} else {
			tasks = append(tasks, s)
		}
	}
	return spawn, tasks
}
