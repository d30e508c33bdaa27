package runner

import (
	"context"
	"errors"
	"fmt"
	"os"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	"concurrency-playground/internal/trace"
	"concurrency-playground/internal/workload"
	"concurrency-playground/native/procpool"
)

func TestMain(m *testing.M) {
	procpool.ServeIfWorker() // the process variant re-executes this test binary as its workers
	os.Exit(m.Run())
}

func resolve(t testing.TB, j workload.Job) workload.Spec {
	t.Helper()
	s, err := j.Resolve(runtime.NumCPU())
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func runSpec(t testing.TB, s workload.Spec) (workload.Result, *trace.Recorder) {
	t.Helper()
	rec := trace.NewRecorder(0)
	res, err := Run(context.Background(), s, Options{Recorder: rec})
	if err != nil {
		t.Fatalf("%s/%s: %v", s.Experiment, s.Variant, err)
	}
	return res, rec
}

// Every variant of one spec computes the same results: the checksum is the proof.
func TestEveryVariantGivesTheSameChecksum(t *testing.T) {
	jobs := map[workload.Experiment]workload.Job{
		workload.CPU:  {Experiment: new(workload.CPU), N: new(int64(200_000)), Tasks: new(12)},
		workload.IO:   {Experiment: new(workload.IO), Delay: new(workload.Duration(time.Millisecond)), Tasks: new(24), Size: new(5000)},
		workload.Race: {Experiment: new(workload.Race), Mode: new(workload.Atomic), Tasks: new(300)},
	}
	for exp, job := range jobs {
		want := ""
		for _, v := range workload.Variants {
			j := job
			j.Variant = new(v)
			if v == workload.Process {
				j.Workers = new(2)
			}
			res, rec := runSpec(t, resolve(t, j))
			if want == "" {
				want = res.Checksum
			}
			if res.Checksum != want {
				t.Errorf("%s/%s: checksum %s, want %s like the others", exp, v, res.Checksum, want)
			}
			if len(res.Results) != res.Tasks || res.Spans != rec.Len() || res.Spans < res.Tasks {
				t.Errorf("%s/%s: %d results, %d spans for %d tasks", exp, v, len(res.Results), res.Spans, res.Tasks)
			}
			if exp == workload.Race && res.Race.Lost != 0 {
				t.Errorf("%s/%s: atomic increments lost %d updates", exp, v, res.Race.Lost)
			}
		}
	}
}

// lockWatch sees every turn at a run's interpreter lock, through testHookAcquired. It also
// holds the run's first holder, lock in hand, until every other worker queues for the lock:
// from then on the lock goes round in arrival order, so each worker's turn no longer depends
// on when the machine got round to starting it.
type lockWatch struct {
	mu    sync.Mutex
	turns []int // the worker of each turn, in order
}

func watchLock(t *testing.T, workers int) *lockWatch {
	w := &lockWatch{}
	testHookAcquired = func(th *thread) {
		w.mu.Lock()
		first := len(w.turns) == 0
		w.turns = append(w.turns, th.worker)
		w.mu.Unlock()
		// Inside acquire the holder still counts itself among the waiting.
		for deadline := time.Now().Add(20 * time.Second); first && th.lock.waiting.Load() < int32(workers); {
			if time.Now().After(deadline) {
				t.Errorf("only %d of %d workers queued for the lock within 20 s", th.lock.waiting.Load(), workers)
				return
			}
			runtime.Gosched()
		}
	}
	t.Cleanup(func() { testHookAcquired = nil })
	return w
}

// handOvers counts the turns that went to another worker than the one before.
func (w *lockWatch) handOvers() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	n := 0
	for i := 1; i < len(w.turns); i++ {
		if w.turns[i] != w.turns[i-1] {
			n++
		}
	}
	return n
}

// workers lists the workers that held the lock, each once, in order.
func (w *lockWatch) workers() []int {
	w.mu.Lock()
	defer w.mu.Unlock()
	held := slices.Clone(w.turns)
	slices.Sort(held)
	return slices.Compact(held)
}

// The emulated interpreter lock lets one worker compute at a time: no two blue spans overlap,
// and, once every worker has queued for it, the lock goes round: every worker gets a turn.
func TestGILRunsOneWorkerAtATime(t *testing.T) {
	s := resolve(t, workload.Job{Preset: "cpu_gil", N: new(int64(2_000_000)), Tasks: new(10), Repeat: new(1)})
	lock := watchLock(t, s.Workers)
	_, rec := runSpec(t, s)
	var runs []trace.Span
	for _, sp := range rec.Spans() {
		if sp.State == trace.Compute {
			runs = append(runs, sp)
		}
	}
	slices.SortFunc(runs, func(a, b trace.Span) int { return int(a.Start - b.Start) })
	for i := 1; i < len(runs); i++ {
		if runs[i].Start < runs[i-1].End {
			t.Fatalf("workers %d and %d computed at once: %+v and %+v", runs[i-1].Lane, runs[i].Lane, runs[i-1], runs[i])
		}
	}
	if held := lock.workers(); len(held) != s.Workers {
		t.Errorf("only workers %v held the lock; want all %d, each queued before the first task", held, s.Workers)
	}
}

// A long computation hands the lock over after the switch interval when others wait.
func TestGILHandsOverEverySwitchInterval(t *testing.T) {
	s := resolve(t, workload.Job{Preset: "cpu_gil", N: new(int64(40_000_000)), Tasks: new(2), Workers: new(2), Repeat: new(1)})
	lock := watchLock(t, s.Workers)
	res, rec := runSpec(t, s)
	// A task's turns at the lock: all but its last ended in a hand-over forced by checkSwitch,
	// which must not come before the interval, however busy the machine.
	turns := map[int32][]trace.Span{}
	for _, sp := range rec.Spans() {
		if sp.State == trace.Compute {
			turns[sp.Task] = append(turns[sp.Task], sp)
		}
	}
	for task, spans := range turns {
		slices.SortFunc(spans, func(a, b trace.Span) int { return int(a.Start - b.Start) })
		for _, sp := range spans[:len(spans)-1] {
			if d := time.Duration(sp.End - sp.Start); d < switchInterval {
				t.Errorf("task %d handed the lock over after %v, before the %v interval", task, d, switchInterval)
			}
		}
	}
	// Each task computes for tens of milliseconds, and the other worker waits from the start:
	// the first task must give way, the second give it back, the first get it again to end.
	// How many more turns there are depends on how much CPU the machine gave, so is not asserted.
	if n := lock.handOvers(); n < 3 {
		t.Errorf("the lock changed hands %d times in %v, want at least 3: each of two long tasks gives way", n, res.Duration())
	}
	t.Logf("%d hand-overs in %v", lock.handOvers(), res.Duration())
}

// Losing an update takes a switch between a read and its write. The spec's yield puts one in
// every increment, so unsafe increments that yield lose updates on any number of cores; with
// a mutex, an atomic add, or an interpreter lock that nothing hands over mid-increment, none
// is lost. Without the yield the window is nanoseconds wide: unsafe increments on real cores
// lose updates only now and then, which is measured, not asserted.
func TestRaceLosesUpdatesOnlyWhenUnsafe(t *testing.T) {
	for _, tc := range []struct {
		variant workload.Variant
		mode    workload.RaceMode
		yield   bool
		loses   bool
	}{
		{workload.Pool, workload.Mutex, true, false},
		{workload.Pool, workload.Atomic, true, false},
		{workload.GIL, workload.Unsafe, false, false},
		{workload.Pool, workload.Unsafe, true, true},
		{workload.GIL, workload.Unsafe, true, true},
	} {
		t.Run(fmt.Sprintf("%s/%s/yield=%v", tc.variant, tc.mode, tc.yield), func(t *testing.T) {
			s := resolve(t, workload.Job{Experiment: new(workload.Race), Variant: new(tc.variant),
				Mode: new(tc.mode), Yield: new(tc.yield), Workers: new(50), Tasks: new(500)})
			if tc.variant == workload.GIL {
				watchLock(t, s.Workers) // a yield then always finds another worker queued
			}
			res, _ := runSpec(t, s)
			switch {
			case tc.loses && res.Race.Lost == 0:
				t.Errorf("lost nothing though every increment yields between its read and its write: %+v", res.Race)
			case !tc.loses && (res.Race.Lost != 0 || res.Race.Counted != res.Race.Expected):
				t.Errorf("%+v, want nothing lost", res.Race)
			}
		})
	}
}

// A worker holding the race's mutex may hand the interpreter lock over at its yield; the next
// worker must then wait for the mutex without the interpreter lock, or neither moves again.
func TestGILWithAMutexAndAYieldFinishes(t *testing.T) {
	s := resolve(t, workload.Job{Experiment: new(workload.Race), Variant: new(workload.GIL),
		Mode: new(workload.Mutex), Yield: new(true), Workers: new(50), Tasks: new(2000)})
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	res, err := Run(ctx, s, Options{})
	if err != nil {
		t.Fatalf("gil + mutex + yield: %v (a deadlock ends in the timeout, which is long because a machine busy with builds took over 20 s)", err)
	}
	if res.Race.Lost != 0 {
		t.Errorf("the mutex lost %d updates", res.Race.Lost)
	}
}

// The native event loop runs on one thread like asyncio's: CPU tasks one after another on any
// number of cores, and no lost update until a task yields between its read and its write.
func TestEventLoopIsSingleThreaded(t *testing.T) {
	s := resolve(t, workload.Job{Experiment: new(workload.CPU), Variant: new(workload.EventLoop), N: new(int64(500_000)), Tasks: new(8)})
	_, rec := runSpec(t, s)
	spans := rec.Spans()
	slices.SortFunc(spans, func(a, b trace.Span) int { return int(a.Start - b.Start) })
	for i := 1; i < len(spans); i++ {
		if spans[i].Start < spans[i-1].End {
			t.Fatalf("tasks %d and %d computed at once on the event loop: %+v %+v", spans[i-1].Task, spans[i].Task, spans[i-1], spans[i])
		}
	}
	race := workload.Job{Experiment: new(workload.Race), Variant: new(workload.EventLoop), Mode: new(workload.Unsafe), Tasks: new(2000)}
	for range 3 {
		if res, _ := runSpec(t, resolve(t, race)); res.Race.Lost != 0 {
			t.Fatalf("the event loop lost %d updates without a yield", res.Race.Lost)
		}
	}
	race.Yield = new(true)
	if res, _ := runSpec(t, resolve(t, race)); res.Race.Lost == 0 {
		t.Error("the event loop lost no update though every task yields between read and write")
	}
}

func TestCancelStopsARunPromptly(t *testing.T) {
	for _, v := range []workload.Variant{workload.Sequential, workload.Pool, workload.GIL, workload.EventLoop} {
		s := resolve(t, workload.Job{Experiment: new(workload.IO), Variant: new(v), Delay: new(workload.Duration(2 * time.Second)), Tasks: new(20)})
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(100*time.Millisecond, cancel)
		start := time.Now()
		_, err := Run(ctx, s, Options{})
		if !errors.Is(err, context.Canceled) {
			t.Errorf("%s: err %v, want context.Canceled", v, err)
		}
		if d := time.Since(start); d > time.Second {
			t.Errorf("%s: cancel took %v to stop the run", v, d)
		}
	}
}

func TestIOSpansAreWaitsAndCPUSpansAreRuns(t *testing.T) {
	_, rec := runSpec(t, resolve(t, workload.Job{Preset: "io_threading", Tasks: new(10), Delay: new(workload.Duration(time.Millisecond))}))
	for _, sp := range rec.Spans() {
		if sp.State != trace.Wait || sp.End < sp.Start+int64(time.Millisecond) {
			t.Fatalf("io span %+v: want a wait of at least the farm's 1 ms", sp)
		}
	}
}

// The process variant and pools compared with sequential, as ratios within one run of the
// benchmark, since the machine is shared and absolute times are noisy.
func BenchmarkCPUVariants(b *testing.B) {
	for _, p := range []string{"cpu_non_concurrent", "cpu_threading", "cpu_gil", "cpu_mp"} {
		b.Run(p, func(b *testing.B) {
			s := resolve(b, workload.Job{Preset: p})
			for b.Loop() {
				if _, err := Run(context.Background(), s, Options{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkIOVariants(b *testing.B) {
	url, stop, err := StartFarm()
	if err != nil {
		b.Fatal(err)
	}
	defer stop()
	for _, p := range []string{"io_threading", "io_asyncio", "io_mp"} {
		b.Run(p, func(b *testing.B) {
			s := resolve(b, workload.Job{Preset: p, Delay: new(workload.Duration(20 * time.Millisecond))})
			for b.Loop() {
				if _, err := Run(context.Background(), s, Options{FarmURL: url}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkTracingOverhead runs race_condition's 5,000 tiny tasks (about a microsecond each,
// the worst case for a span per task) sequentially with the recorder, as the sequential
// variant does, and without, and reports the difference as a percentage.
func BenchmarkTracingOverhead(b *testing.B) {
	s := resolve(b, workload.Job{Preset: "race_condition", Variant: new(workload.Sequential), Mode: new(workload.Atomic)})
	env := &workload.TaskEnv{Counter: new(workload.Counter)}
	var plain, traced time.Duration
	for b.Loop() {
		start := time.Now()
		for task := range s.Tasks {
			s.Do(context.Background(), task, env)
		}
		plain += time.Since(start)
		start = time.Now()
		rec := trace.NewRecorder(0)
		for task := range s.Tasks {
			t0 := rec.Now()
			s.Do(context.Background(), task, env)
			rec.Record(0, task, trace.Compute, t0)
		}
		traced += time.Since(start)
	}
	b.ReportMetric(100*(traced.Seconds()/plain.Seconds()-1), "%overhead")
}
