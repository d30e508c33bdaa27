package runner

import (
	"context"
	"runtime"
	"sync"
	"sync/atomic"

	"concurrency-playground/internal/trace"
	"concurrency-playground/internal/workload"
)

// pool runs the tasks on N goroutines that pull them from one queue, with a connection per
// worker (up to httpfetch.MaxConnsPerRun): ThreadPoolExecutor(max_workers=N) with a
// thread-local requests.Session.
// Unlike CPython's threads, goroutines compute on every core at once.
//
// The workers start together, as the lesson's threads all exist at once and run interleaved:
// each one, once created, yields until every other exists too. Yielding, not parking on a
// channel, is the point: a closed channel would wake all of them on the one core that closed
// it, the other core would join late, and the short race tasks would mostly run one core at a
// time (race_condition lost updates in 1 to 4 of 20 runs with a channel). The yielding begins
// once every worker is created, though: workers that yielded while the others were still being
// created made the start cost n² yields (5 s of CPU for 10,000), and kept the server's other
// goroutines (/healthz) waiting behind them. For the race, the workers then wait at a gate
// until two cores run them at once (see gate), and each worker's wait from its creation to its
// start is drawn as a spawn span: the start-up the timeline would otherwise show as empty lanes.
func (r *run) pool(ctx context.Context) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	queue := r.queue()
	race := r.Spec.Experiment == workload.Race
	gate := newGate(r.Spec.Workers, race)
	var ready, wg sync.WaitGroup
	var armed atomic.Bool
	allCreated := make(chan struct{})
	ready.Add(r.Spec.Workers)
	for worker := range r.Spec.Workers {
		created := r.Rec.Now()
		env := r.env() // here: what a worker builds would grow its stack for good
		wg.Go(func() {
			<-allCreated
			ready.Done()
			for !armed.Load() {
				runtime.Gosched()
			}
			gate.wait()
			if race {
				r.Rec.Record(worker, trace.NoTask, trace.Spawn, created)
			}
			for task := range queue {
				if err := r.DoTraced(ctx, worker, task, env); err != nil {
					cancel(err) // the first failure stops every worker
					return
				}
			}
		})
	}
	close(allCreated)
	ready.Wait()
	gate.arm()
	armed.Store(true)
	wg.Wait()
	return context.Cause(ctx)
}

// queue holds every task number, in order, ready to be pulled.
func (r *run) queue() <-chan int {
	q := make(chan int, r.Spec.Tasks)
	for task := range r.Spec.Tasks {
		q <- task
	}
	close(q)
	return q
}
