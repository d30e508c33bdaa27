// Package procpool is the process variant: N OS processes of this same binary, re-executed in
// a hidden worker mode, tasks and results over pipes, like multiprocessing.Pool with an
// initializer. The pool is created for one run and torn down after it, and its start-up is
// part of the run's time and timeline, as creating the Pool is part of the lesson's timing.
//
// A worker that dies, hangs or sends garbage fails the run: the other workers are killed and
// reaped and the error names the worker, its pid and the task it was running. The tasks are
// not retried elsewhere: a task that kills its worker would kill the next one too, and a
// lesson about processes should show a crash, not hide it.
package procpool

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"concurrency-playground/internal/trace"
	"concurrency-playground/internal/workload"
)

// Options are what a process-pool run needs besides its spec.
type Options struct {
	Recorder *trace.Recorder
	FarmURL  string
	Done     *atomic.Int64
	Results  []string // results[task] is filled as tasks finish; nil: kept to itself
	// TaskTimeout is how long a worker may take over one task before it counts as hung and
	// the run fails; 0 derives it from the spec (see taskTimeout).
	TaskTimeout time.Duration
}

// Outcome is what the run's processes reported besides the per-task results.
type Outcome struct {
	// Counted is the race's total: the sum of every process's own counter. Processes share
	// no memory, so each counts only its own increments, on one goroutine, and no update is
	// ever lost: with processes the race cannot happen, which is the lesson's point.
	Counted int64
	// PerProcess is each worker process's own counter, by worker: the parent's stays at 0.
	PerProcess []int64
}

// Run runs the spec on a pool of spec.Workers processes: each takes the next batch of tasks
// as soon as it is idle, and its spans go to its own lane.
func Run(ctx context.Context, s workload.Spec, o Options) (Outcome, error) {
	if err := s.Check(); err != nil {
		return Outcome{}, err
	}
	if s.Experiment == workload.IO && o.FarmURL == "" {
		return Outcome{}, errors.New("process: the io experiment needs the site farm's URL (Options.FarmURL)")
	}
	if o.Recorder == nil {
		o.Recorder = trace.NewRecorder(0)
	}
	if o.Done == nil {
		o.Done = new(atomic.Int64)
	}
	if o.Results == nil {
		o.Results = make([]string, s.Tasks)
	} else if len(o.Results) != s.Tasks {
		return Outcome{}, fmt.Errorf("process: Options.Results holds %d results, want one per task: %d", len(o.Results), s.Tasks)
	}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	p := &pool{spec: s, opt: o, handout: workload.NewHandout(s), counted: make([]int64, s.Workers),
		hello: hello{Token: newToken(), Spec: s, FarmURL: o.FarmURL}}
	var wg sync.WaitGroup
	for worker := range s.Workers {
		wg.Go(func() {
			if err := p.work(ctx, worker); err != nil {
				cancel(err) // the first failure stops the run: every other worker is killed
			}
		})
	}
	wg.Wait() // every worker has been reaped, whatever happened
	if err := context.Cause(ctx); err != nil {
		return Outcome{}, err
	}
	out := Outcome{PerProcess: p.counted}
	for _, c := range p.counted {
		out.Counted += c
	}
	return out, nil
}

// pool is one run's shared state.
type pool struct {
	spec    workload.Spec
	opt     Options
	hello   hello
	handout *workload.Handout // the batches, by the rule the browser's pool follows too
	counted []int64           // counted[worker]: the race counter it last reported
}

// work starts one worker process, feeds it batches until none are left and ends it.
func (p *pool) work(ctx context.Context, worker int) error {
	rec := p.opt.Recorder
	start := rec.Now()
	w, err := startProc(ctx, worker, p.hello)
	if w != nil {
		defer w.close()
	}
	if err == nil {
		err = w.ready(ctx, p.hello.Token)
	}
	if err != nil {
		return err
	}
	rec.Record(worker, trace.NoTask, trace.Spawn, start)
	if testHookReady != nil {
		testHookReady(worker, w.pid())
	}
	state := trace.Compute
	if p.spec.Waits() {
		state = trace.Wait
	}
	var queued []batch // sent to the worker and not yet answered, oldest first
	unsent := -1       // a task the worker could no longer be sent: it is gone
	for answered := 0; ; answered++ {
		// The worker's next batch waits in its stdin while it runs the current one, so it never
		// waits for this process to be scheduled between tasks: with every core computing, that
		// wait took milliseconds. Near the end, one batch at a time, so that the last tasks go
		// to whichever worker is idle first (workload.Handout).
		for unsent < 0 {
			b, ok := p.handout.Take(len(queued), answered)
			if !ok {
				break
			}
			if err := w.send(b); err != nil {
				// A failed write says the worker is gone, not on which task: its answers still
				// in the pipe, read below, say that, so read them before reporting.
				unsent = b.From
				break
			}
			queued = append(queued, b)
		}
		if len(queued) == 0 {
			if unsent >= 0 {
				return w.died(ctx, "while being sent task "+strconv.Itoa(unsent))
			}
			return w.finish()
		}
		b := queued[0]
		queued = queued[1:]
		for task := b.From; task < b.To; task++ {
			m, err := w.await(ctx, p.taskTimeout(task), "while running task "+strconv.Itoa(task))
			if err != nil {
				return err
			}
			if m.Task != task || m.Token != "" {
				return w.fail("broke the protocol: answered task " + strconv.Itoa(m.Task) + " while running task " + strconv.Itoa(task))
			}
			if m.Error != "" {
				return w.fail("failed: " + m.Error)
			}
			rec.Add(trace.Span{Lane: int32(worker), Task: int32(task), State: state,
				Start: rec.At(time.Unix(0, m.Start)), End: rec.At(time.Unix(0, m.End))})
			p.opt.Results[task] = m.Result
			p.counted[worker] = m.Counted
			p.opt.Done.Add(1)
		}
	}
}

// taskTimeout is the watchdog for one task: four times what it should take on a slow machine,
// plus five seconds: hung means hung, not slow.
func (p *pool) taskTimeout(task int) time.Duration {
	if p.opt.TaskTimeout > 0 {
		return p.opt.TaskTimeout
	}
	var expected time.Duration
	switch p.spec.Experiment {
	case workload.CPU:
		// ~1 ns a square natively; more processes than cores share them.
		share := max(1, p.spec.Workers/runtime.NumCPU())
		expected = time.Duration(p.spec.N+int64(task)) * 5 * time.Nanosecond * time.Duration(share)
	case workload.IO:
		expected = p.spec.TaskDelay(task) + time.Second // the latency, plus connecting and reading
	}
	return 5*time.Second + 4*expected
}
