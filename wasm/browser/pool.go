package main

import (
	"context"
	"errors"
	"runtime"
	"strconv"
	"sync/atomic"
	"time"

	"concurrency-playground/internal/runloop"
	"concurrency-playground/internal/trace"
	"concurrency-playground/internal/workload"
)

// The browser's process pool (the process variant in the page) is a pool of Web Workers, each
// an instance of this engine with a memory of its own, started for each repeat and ended after
// it, as multiprocessing.Pool is. The page (site/src/engine/pool.ts) starts them, hands out
// tasks and merges the spans; the engine of each runs its tasks (RunTasks), and the page's own
// engine, the parent, builds the result (Assemble), so the checksum and the race outcome are
// workload's, as natively.

// processCounter is the race's counter in this engine: each Web Worker is its own instance, so
// each browser process counts on a counter of its own, as each OS process does.
var processCounter workload.Counter

// TaskBatch is what one browser process returns for the tasks it ran.
type TaskBatch struct {
	Results []string     // Results[i] is task from+i's result
	Counted int64        // this process's race counter, so far
	Spans   []trace.Span // one per task, on the process's lane, on the run's clock
}

// RunTasks runs tasks [from, to) of s one after another on lane: the work of one browser
// process. offset is where this call's clock starts on the run's clock (ns), so the spans of
// every process merge into one timeline.
func RunTasks(ctx context.Context, s workload.Spec, o Options, from, to, lane int, offset int64) (TaskBatch, error) {
	if err := s.Check(); err != nil {
		return TaskBatch{}, err
	}
	if s.Variant != workload.Process {
		return TaskBatch{}, errors.New("variant: " + strconv.Quote(string(s.Variant)) + " runs in one engine (run), not in the process pool")
	}
	if from < 0 || to > s.Tasks || from >= to {
		return TaskBatch{}, errors.New("tasks: " + strconv.Itoa(from) + ".." + strconv.Itoa(to) + " is not a range within 0.." + strconv.Itoa(s.Tasks))
	}
	rec := trace.NewRecorder(0)
	tasks := runloop.NewTasks(s, rec, new(atomic.Int64))
	env := &workload.TaskEnv{Fetcher: o.Fetcher, FarmURL: o.FarmURL, Counter: &processCounter}
	if s.Experiment == workload.Race {
		env.Await = runtime.Gosched // as in once: the race's await, when the spec yields
	}
	for task := from; task < to; task++ {
		if err := tasks.DoTraced(ctx, lane, task, env); err != nil {
			return TaskBatch{}, err
		}
	}
	spans := rec.Spans()
	for i := range spans {
		spans[i].Start += offset
		spans[i].End += offset
	}
	return TaskBatch{Results: tasks.Results[from:to], Counted: processCounter.Value(), Spans: spans}, nil
}

// Assemble builds the process pool's result from what the page gathered: every task's result
// (the same in every repeat), each repeat's duration, and for the race each repeat's counters,
// one per process. The parent's counter is this engine's own, which no browser process reached.
func Assemble(s workload.Spec, m workload.Machine, results []string, repeats []int64, counters [][]int64, spans int) (workload.Result, error) {
	if err := s.Check(); err != nil {
		return workload.Result{}, err
	}
	if len(results) != s.Tasks || len(repeats) != s.Repeat {
		return workload.Result{}, errors.New("assemble: want " + strconv.Itoa(s.Tasks) + " results and " + strconv.Itoa(s.Repeat) +
			" repeats, got " + strconv.Itoa(len(results)) + " and " + strconv.Itoa(len(repeats)))
	}
	if s.Experiment == workload.Race && len(counters) != s.Repeat {
		return workload.Result{}, errors.New("assemble: want the counters of " + strconv.Itoa(s.Repeat) + " repeats, got " + strconv.Itoa(len(counters)))
	}
	each := make([]workload.Result, len(repeats))
	for i, d := range repeats {
		each[i] = workload.NewResult(s, m, time.Duration(d), results)
		if s.Experiment == workload.Race {
			var total int64
			for _, c := range counters[i] {
				total += c
			}
			each[i].Race = workload.NewRaceOutcome(s, total)
			each[i].Race.Processes, each[i].Race.Parent = counters[i], new(processCounter.Value())
		}
	}
	res := workload.Fastest(each)
	res.Spans = spans
	return res, nil
}
