// Command browser is the playground's browser engine: the shared workload compiled to
// WebAssembly (GOOS=js), run inside a Web Worker. It runs the sequential and eventloop
// variants of every experiment, fetches farm pages with the browser's own fetch, records spans
// and reports them, with progress, while the run goes on. main_js.go is its JavaScript API.
package main

import (
	"context"
	"errors"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"concurrency-playground/internal/runloop"
	"concurrency-playground/internal/trace"
	"concurrency-playground/internal/workload"
)

// Variants are the variants one engine runs (Run); the browser's process pool runs many
// engines, one per Web Worker (pool.go). The others need real threads.
var Variants = []workload.Variant{workload.Sequential, workload.EventLoop}

// flushEvery is how often a run reports its new spans and progress: often enough for a
// timeline that fills in smoothly, rarely enough that posting them costs nothing measurable.
const flushEvery = 40 * time.Millisecond

// Sink receives what a run reports while it goes on: the spans recorded since the previous
// call (the slice is reused afterwards) and how many tasks are done.
type Sink func(spans []trace.Span, done, total int)

// Options are what a run needs besides its spec.
type Options struct {
	Fetcher workload.Fetcher // io: the browser's fetch
	FarmURL string           // io: the farm's origin
	Machine workload.Machine // where the run runs, for its result
	Sink    Sink             // may be nil
}

// Resolve turns a job into a spec the browser can run. Over HTTP/1.1 (http1: the farm is an
// http: origin, such as a local backend) the event loop's I/O defaults to the browser's six
// connections per host, not to one worker per task as natively: more workers would only queue
// inside the browser, and a lane per connection shows what really overlaps. An https: farm
// (the edge) speaks HTTP/2, which carries every request over one connection: there the event
// loop starts them all, as asyncio.gather does.
func Resolve(j workload.Job, cores int, http1 bool) (workload.Spec, error) {
	s, err := j.Resolve(cores)
	if err != nil {
		return s, err
	}
	switch s.Variant {
	case workload.Sequential, workload.EventLoop:
	case workload.Process:
		// One Web Worker per core where the browser says how many it has, within the bound.
		if j.Workers == nil {
			s.Workers = min(s.Workers, workload.BrowserProcessWorkers)
		}
		if s.Workers > workload.BrowserProcessWorkers {
			return s, errors.New("workers: " + strconv.Itoa(s.Workers) + " is out of range 1.." + strconv.Itoa(workload.BrowserProcessWorkers) + " for the browser's process pool (a Web Worker each)")
		}
	default:
		return s, errors.New("variant: " + strconv.Quote(string(s.Variant)) + " runs on the native backend; the browser runs sequential, eventloop and process")
	}
	if s.Variant == workload.EventLoop && s.Experiment == workload.IO && j.Workers == nil && http1 {
		s.Workers = min(s.Tasks, workload.BrowserConnectionsPerHost)
	}
	return s, nil
}

// run is the state one run's repeats share: the timeline and the reports to the page.
type run struct {
	spec workload.Spec
	rec  *trace.Recorder
	done atomic.Int64

	mu      sync.Mutex // one report at a time
	flushed int64      // run time of the last report
	batch   []trace.Span
	sink    Sink
}

// Run runs the spec spec.Repeat times and returns the fastest repeat's result
// (workload.Fastest). The repeats share one recorder, so the timeline shows them one after
// another, and a repeat's duration counts on the timeline's clock.
func Run(ctx context.Context, s workload.Spec, o Options) (workload.Result, error) {
	if err := s.Check(); err != nil {
		return workload.Result{}, err
	}
	r := &run{spec: s, rec: trace.NewRecorder(0), sink: o.Sink}
	res, err := runloop.Repeat(s.Repeat, func(from int64) (workload.Result, error) {
		return r.once(ctx, o, from)
	})
	r.flush()
	if err != nil {
		return workload.Result{}, err
	}
	res.Spans, res.SpansDropped = r.rec.Len(), r.rec.Dropped()
	return res, nil
}

// once is one repeat of the run from the recorder's time from, with a counter and results of
// its own.
func (r *run) once(ctx context.Context, o Options, from int64) (workload.Result, error) {
	s := r.spec
	tasks := runloop.NewTasks(s, r.rec, &r.done)
	tasks.AfterTask = r.reportIfDue
	env := &workload.TaskEnv{Fetcher: o.Fetcher, FarmURL: o.FarmURL, Counter: new(workload.Counter)}
	if s.Experiment == workload.Race {
		// The only place a goroutine gives way without waiting on something: the race's
		// `await` between read and write, when the spec asks for it. CPU tasks never yield,
		// as a CPU-bound coroutine never awaits.
		env.Await = runtime.Gosched
	}
	var err error
	switch s.Variant {
	case workload.Sequential:
		err = tasks.Sequential(ctx, env)
	case workload.EventLoop:
		err = eventLoop(ctx, tasks, env)
	default:
		err = errors.New("variant: " + strconv.Quote(string(s.Variant)) + " does not run in one engine (the process pool is the page's: runTasks, assemble)")
	}
	d := time.Duration(r.rec.Now() - from)
	if err != nil {
		return workload.Result{}, err
	}
	res := workload.NewResult(s, o.Machine, d, tasks.Results)
	if s.Experiment == workload.Race {
		res.Race = workload.NewRaceOutcome(s, env.Counter.Value())
	}
	return res, nil
}

// reportIfDue reports the new spans and the progress when the last report is flushEvery old.
// Reports ride on finished tasks: a span exists only once its task ends, and while a CPU task
// computes nothing else runs.
func (r *run) reportIfDue() {
	if r.rec.Now()-r.lastFlush() >= int64(flushEvery) {
		r.flush()
	}
}

func (r *run) lastFlush() int64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.flushed
}

// flush hands the spans recorded since the last report, and the progress, to the sink.
func (r *run) flush() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.flushed = r.rec.Now()
	r.batch = r.rec.Next(r.batch[:0], 0)
	if r.sink != nil {
		r.sink(r.batch, int(r.done.Load()), r.spec.TotalTasks())
	}
}
