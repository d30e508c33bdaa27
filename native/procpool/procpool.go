// Package procpool is the process variant: N OS processes of this same binary, re-executed in
// a hidden worker mode, tasks and results over pipes.
package procpool

import (
	"context"
	"errors"
	"sync/atomic"

	"concurrency-playground/internal/trace"
	"concurrency-playground/internal/workload"
)

// Options are what a process-pool run needs besides its spec.
type Options struct {
	Recorder *trace.Recorder
	FarmURL  string
	Done     *atomic.Int64
	Results  []string // results[task] is filled as tasks finish
}

// Outcome is what the run's processes reported besides the per-task results.
type Outcome struct {
	Counted int64 // race: the sum of every process's own counter
}

// Run runs the spec on a pool of worker processes.
func Run(ctx context.Context, s workload.Spec, o Options) (Outcome, error) {
	return Outcome{}, errors.New("process: not built yet")
}

// ServeIfWorker turns this process into a pool worker when its parent started it as one, and
// then exits; otherwise it returns at once.
func ServeIfWorker() {}
