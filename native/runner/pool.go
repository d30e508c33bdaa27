package runner

import (
	"context"
	"sync"
)

// pool runs the tasks on N goroutines that pull them from one queue, each worker with an HTTP
// client of its own: ThreadPoolExecutor(max_workers=N) with a thread-local requests.Session.
// Unlike CPython's threads, goroutines compute on every core at once.
func (r *run) pool(ctx context.Context) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	queue := r.queue()
	var wg sync.WaitGroup
	for worker := range r.spec.Workers {
		wg.Go(func() {
			env := r.env(1)
			for task := range queue {
				if err := r.doTraced(ctx, worker, task, env); err != nil {
					cancel(err) // the first failure stops every worker
					return
				}
			}
		})
	}
	wg.Wait()
	return context.Cause(ctx)
}

// queue holds every task number, in order, ready to be pulled.
func (r *run) queue() <-chan int {
	q := make(chan int, r.spec.Tasks)
	for task := range r.spec.Tasks {
		q <- task
	}
	close(q)
	return q
}
