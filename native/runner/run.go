// Package runner runs one spec natively: the goroutine variants (sequential, eventloop, pool,
// gil) live here, one file each, short enough to read in one screen; the process variant is
// package procpool's. Every variant fills the same per-task results and records spans.
package runner

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"concurrency-playground/internal/runloop"
	"concurrency-playground/internal/trace"
	"concurrency-playground/internal/workload"
	"concurrency-playground/native/httpfetch"
	"concurrency-playground/native/procpool"
)

// Options are what a run needs besides its spec.
type Options struct {
	Recorder *trace.Recorder // spans go here; nil: a new recorder
	FarmURL  string          // io: the farm's origin; "" starts a farm on loopback for the run
	Done     *atomic.Int64   // counts finished tasks as they finish, for progress; may be nil
}

// Machine describes this process's machine.
func Machine() workload.Machine { return workload.ThisMachine(workload.WhereNative) }

// Run runs the spec spec.Repeat times and returns the fastest repeat's result (workload.Fastest).
// Every repeat starts afresh (a new pool, new processes, a new counter) on the same recorder,
// so the timeline shows the repeats one after another. A repeat's duration runs from the end
// of the one before (the first from the recorder's start) and includes everything the variant
// sets up (a process pool's start-up, as the lesson's timing includes creating the Pool).
func Run(ctx context.Context, s workload.Spec, o Options) (workload.Result, error) {
	if err := s.Check(); err != nil {
		return workload.Result{}, err
	}
	o, stop, err := o.Ready(s)
	if err != nil {
		return workload.Result{}, err
	}
	defer stop()
	res, err := runloop.Repeat(s.Repeat, func(from int64) (workload.Result, error) {
		return runOnce(ctx, s, o, from)
	})
	if err != nil {
		return workload.Result{}, err
	}
	res.Spans, res.SpansDropped, res.SpansCoarsened = o.Recorder.Len(), o.Recorder.Dropped(), o.Recorder.Coarsened()
	return res, nil
}

// Ready fills in what the options leave out for a run of s: a recorder, a task counter, and
// for an I/O run without a farm, a farm on loopback, which stop stops.
func (o Options) Ready(s workload.Spec) (ready Options, stop func(), err error) {
	if o.Recorder == nil {
		o.Recorder = trace.NewRecorder(0)
	}
	if o.Done == nil {
		o.Done = new(atomic.Int64)
	}
	stop = func() {}
	if s.Experiment == workload.IO && o.FarmURL == "" {
		if o.FarmURL, stop, err = StartFarm(); err != nil {
			return o, nil, err
		}
	}
	return o, stop, nil
}

// runOnce is one repeat of the run, from the recorder's time from.
func runOnce(ctx context.Context, s workload.Spec, o Options, from int64) (workload.Result, error) {
	r := &run{Tasks: runloop.NewTasks(s, o.Recorder, o.Done), farmURL: o.FarmURL, counter: new(workload.Counter)}
	counted, err := r.variant(ctx)
	d := time.Duration(o.Recorder.Now() - from)
	r.closeClients()
	if err != nil {
		return workload.Result{}, err
	}
	res := workload.NewResult(s, Machine(), d, r.Results)
	if s.Experiment == workload.Race {
		res.Race = workload.NewRaceOutcome(s, counted.total)
		if s.Variant == workload.Process {
			res.Race.Processes, res.Race.Parent = counted.perProcess, new(r.counter.Value())
		}
	}
	return res, nil
}

// run is the state one repeat's workers share.
type run struct {
	*runloop.Tasks
	farmURL string
	counter *workload.Counter

	mu    sync.Mutex
	conns *httpfetch.Pool // closed after the run, so no idle connection outlives it
}

// counted is the race counter's final value: the shared counter's, or for processes the sum
// of each process's own.
type counted struct {
	total      int64
	perProcess []int64
}

// variant runs every task and returns the race counter's final value.
func (r *run) variant(ctx context.Context) (counted, error) {
	var err error
	switch r.Spec.Variant {
	case workload.Sequential:
		err = r.Sequential(ctx, r.env())
	case workload.EventLoop:
		err = r.eventLoop(ctx)
	case workload.Pool:
		err = r.pool(ctx)
	case workload.GIL:
		err = r.gil(ctx)
	case workload.Process:
		out, perr := procpool.Run(ctx, r.Spec, procpool.Options{
			Recorder: r.Rec, FarmURL: r.farmURL, Done: r.Done, Results: r.Results})
		return counted{out.Counted, out.PerProcess}, perr
	default:
		err = fmt.Errorf("variant: %q does not run natively", r.Spec.Variant)
	}
	return counted{total: r.counter.Value()}, err
}

// env is a task environment, with the run's connections when the experiment downloads: as many
// as workers (the lesson's session per thread) or event-loop slots, up to
// httpfetch.MaxConnsPerRun, taken by whichever worker is next. A goroutine yields with runtime.Gosched; only the race asks it to,
// since the runtime preempts long computations by itself. The gil and eventloop variants
// replace the hooks with their lock's.
func (r *run) env() *workload.TaskEnv {
	env := &workload.TaskEnv{FarmURL: r.farmURL, Counter: r.counter}
	switch r.Spec.Experiment {
	case workload.IO:
		r.mu.Lock()
		if r.conns == nil {
			r.conns = httpfetch.NewPool(r.Spec.Workers)
		}
		env.Fetcher = r.conns
		r.mu.Unlock()
	case workload.Race:
		env.Await = runtime.Gosched // the explicit yield, when the spec asks for one
	}
	return env
}

func (r *run) closeClients() {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.conns != nil {
		r.conns.Close()
	}
}
