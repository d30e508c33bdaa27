// Package runloop is what the native runner and the browser engine share when they run a
// spec: the repeats one after another on one timeline, a task traced as one span, one task
// after another, and the event loop's slots. Each target keeps its variants as short files of
// its own (native/runner, wasm/browser) that put these pieces together with what only it has:
// an interpreter lock and HTTP clients natively, the browser's fetch and reports in the page.
package runloop

import (
	"context"
	"sync"
	"sync/atomic"

	"concurrency-playground/internal/trace"
	"concurrency-playground/internal/workload"
)

// Repeat runs once n times and returns workload.Fastest of the results. Each repeat starts
// where the one before ended on the run's clock, from, so the repeats tile the timeline and
// their durations add up to it; once returns the repeat's result, whose duration runs from
// from to its end.
func Repeat(n int, once func(from int64) (workload.Result, error)) (workload.Result, error) {
	repeats := make([]workload.Result, 0, n)
	var from int64
	for range n {
		res, err := once(from)
		if err != nil {
			return workload.Result{}, err
		}
		repeats = append(repeats, res)
		from += res.DurationNS
	}
	return workload.Fastest(repeats), nil
}

// Tasks is what one repeat's tasks share: the spec, the timeline, the results and the count
// of finished tasks.
type Tasks struct {
	Spec    workload.Spec
	Rec     *trace.Recorder
	Results []string      // Results[task], written by the one goroutine that ran the task
	Done    *atomic.Int64 // finished tasks, for progress; counts across repeats
	// AfterTask, if not nil, runs after each task DoTraced ran, its span recorded: the browser
	// reports from there, since while a CPU task computes nothing else runs on its one thread.
	AfterTask func()
}

// NewTasks is the state of one repeat of spec s.
func NewTasks(s workload.Spec, rec *trace.Recorder, done *atomic.Int64) *Tasks {
	return &Tasks{Spec: s, Rec: rec, Results: make([]string, s.Tasks), Done: done}
}

// Do runs one task and keeps its result.
func (t *Tasks) Do(ctx context.Context, task int, env *workload.TaskEnv) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	res, err := t.Spec.Do(ctx, task, env)
	if err != nil {
		return err
	}
	t.Results[task] = res
	t.Done.Add(1)
	return nil
}

// DoTraced runs one task as one span of lane: red (wait) if the experiment waits on I/O, blue
// (run) if it computes.
func (t *Tasks) DoTraced(ctx context.Context, lane, task int, env *workload.TaskEnv) error {
	state := trace.Compute
	if t.Spec.Waits() {
		state = trace.Wait
	}
	start := t.Rec.Now()
	err := t.Do(ctx, task, env)
	t.Rec.Record(lane, task, state, start)
	if t.AfterTask != nil {
		t.AfterTask()
	}
	return err
}

// Sequential runs one task after another on lane 0: the lesson's non-concurrent scripts.
func (t *Tasks) Sequential(ctx context.Context, env *workload.TaskEnv) error {
	for task := range t.Spec.Tasks {
		if err := t.DoTraced(ctx, 0, task, env); err != nil {
			return err
		}
	}
	return nil
}

// Slots starts one goroutine per task, at most slots at a time, and runs do on it with the
// slot it holds, the task's lane: asyncio.gather's shape. The first error stops the run: no
// task starts after it, and it is returned once every started task has ended.
func Slots(ctx context.Context, slots, tasks int, do func(ctx context.Context, slot, task int) error) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	free := make(chan int, slots)
	for slot := range slots {
		free <- slot
	}
	var wg sync.WaitGroup
	for task := range tasks {
		var slot int
		select {
		case slot = <-free:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break
		}
		wg.Go(func() {
			defer func() { free <- slot }()
			if err := do(ctx, slot, task); err != nil {
				cancel(err)
			}
		})
	}
	wg.Wait()
	return context.Cause(ctx)
}
