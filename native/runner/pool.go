package runner

import (
	"context"
	"runtime"
	"sync"
	"sync/atomic"
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
// time. Measured on 2 cores: race_condition lost updates in 20 of 20 runs this way, in 1 to 4
// of 20 with a channel. The yielding begins once every worker is created, though: workers
// that yielded while the others were still being created made the start cost n² yields (5 s
// of CPU for 10,000), and kept the server's other goroutines (/healthz) waiting behind them.
func (r *run) pool(ctx context.Context) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	queue := r.queue()
	var ready, wg sync.WaitGroup
	var start atomic.Bool
	created := make(chan struct{})
	ready.Add(r.Spec.Workers)
	for worker := range r.Spec.Workers {
		env := r.env() // here: what a worker builds would grow its stack for good
		wg.Go(func() {
			<-created
			ready.Done()
			for !start.Load() {
				runtime.Gosched()
			}
			for task := range queue {
				if err := r.DoTraced(ctx, worker, task, env); err != nil {
					cancel(err) // the first failure stops every worker
					return
				}
			}
		})
	}
	close(created)
	ready.Wait()
	start.Store(true)
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
