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

	"concurrency-playground/internal/trace"
	"concurrency-playground/internal/workload"
)

// Variants are the variants the browser runs; the others need real threads or processes.
var Variants = []workload.Variant{workload.Sequential, workload.EventLoop}

// browserConnections is how many HTTP/1.1 connections Chromium opens to one host: a seventh
// concurrent fetch waits for one of them. It is the event loop's real concurrency for I/O, so
// it is the default worker count there, and a lane of the timeline is a connection.
const browserConnections = 6

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
	if s.Variant != workload.Sequential && s.Variant != workload.EventLoop {
		return s, errors.New("variant: " + strconv.Quote(string(s.Variant)) + " runs on the native backend; the browser runs sequential and eventloop")
	}
	if s.Variant == workload.EventLoop && s.Experiment == workload.IO && j.Workers == nil && http1 {
		s.Workers = min(s.Tasks, browserConnections)
	}
	return s, nil
}

// run is the state one run's tasks share.
type run struct {
	spec    workload.Spec
	env     *workload.TaskEnv
	rec     *trace.Recorder
	results []string // results[task] of the current repeat, written by the goroutine that ran it
	done    atomic.Int64

	mu      sync.Mutex // one report at a time
	flushed int64      // run time of the last report
	batch   []trace.Span
	sink    Sink
}

// Run runs the spec spec.Repeat times and returns the fastest repeat's result
// (workload.Fastest). The repeats share one recorder, so the timeline shows them one after
// another, and a repeat's duration counts on the timeline's clock.
func Run(ctx context.Context, s workload.Spec, o Options) (workload.Result, error) {
	if err := s.Validate(); err != nil {
		return workload.Result{}, err
	}
	r := &run{spec: s, rec: trace.NewRecorder(0), sink: o.Sink}
	repeats := make([]workload.Result, 0, s.Repeat)
	var from int64 // each repeat starts where the one before ended: they tile the timeline
	for range s.Repeat {
		res, err := r.once(ctx, o, from)
		if err != nil {
			r.flush()
			return workload.Result{}, err
		}
		repeats = append(repeats, res)
		from += res.DurationNS
	}
	r.flush()
	res := workload.Fastest(repeats)
	res.Spans, res.SpansDropped = r.rec.Len(), r.rec.Dropped()
	return res, nil
}

// once is one repeat of the run from the recorder's time from, with a counter and results of
// its own.
func (r *run) once(ctx context.Context, o Options, from int64) (workload.Result, error) {
	s := r.spec
	r.results = make([]string, s.Tasks)
	r.env = &workload.TaskEnv{Fetcher: o.Fetcher, FarmURL: o.FarmURL, Counter: new(workload.Counter)}
	if s.Experiment == workload.Race {
		// The only place a goroutine gives way without waiting on something: the race's
		// `await` between read and write, when the spec asks for it. CPU tasks never yield,
		// as a CPU-bound coroutine never awaits.
		r.env.Await = runtime.Gosched
	}
	var err error
	switch s.Variant {
	case workload.Sequential:
		err = r.sequential(ctx)
	case workload.EventLoop:
		err = r.eventLoop(ctx)
	default:
		err = errors.New("variant: " + strconv.Quote(string(s.Variant)) + " does not run in the browser")
	}
	d := time.Duration(r.rec.Now() - from)
	if err != nil {
		return workload.Result{}, err
	}
	res := workload.NewResult(s, o.Machine, d, r.results)
	if s.Experiment == workload.Race {
		res.Race = workload.NewRaceOutcome(s, r.env.Counter.Value())
	}
	return res, nil
}

// doTraced runs one task as one span of worker's lane, red if it waits on I/O, blue if it
// computes, keeps its result and reports if a report is due. Reports ride on finished tasks:
// a span exists only once its task ends, and while a CPU task computes nothing else runs.
func (r *run) doTraced(ctx context.Context, worker, task int) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	state := trace.Run
	if r.spec.Waits() {
		state = trace.Wait
	}
	start := r.rec.Now()
	res, err := r.spec.Do(ctx, task, r.env)
	if err != nil {
		return err
	}
	r.rec.Record(worker, task, state, start)
	r.results[task] = res
	r.done.Add(1)
	if r.rec.Now()-r.lastFlush() >= int64(flushEvery) {
		r.flush()
	}
	return nil
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
	r.batch = r.rec.Next(r.batch[:0])
	if r.sink != nil {
		r.sink(r.batch, int(r.done.Load()), r.spec.TotalTasks())
	}
}
