package runner

import (
	"context"
	"sync"
	"time"
)

// switchInterval is CPython's sys.getswitchinterval(): a thread that has computed this long
// hands the interpreter lock over when another thread is waiting for it.
const switchInterval = 5 * time.Millisecond

// gil is the pool, except that a worker holds the interpreter lock while its task computes and
// releases it while the task waits (on I/O or on the race's mutex). CPU work therefore runs
// one worker at a time, on whatever core, and the pool is no faster than sequential: the
// lesson's cpu_threading.
func (r *run) gil(ctx context.Context) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	lock := newInterpreterLock()
	queue := r.queue()
	var wg sync.WaitGroup
	for worker := range r.Spec.Workers {
		wg.Go(func() {
			t := &thread{ctx: ctx, lock: lock, rec: r.Rec, worker: worker, switchEvery: switchInterval, traced: true}
			env := r.env()
			env.Yield, env.Await, env.Block = t.checkSwitch, t.await, t.blockingIO
			for task := range queue {
				t.task = task
				if err := t.acquire(); err != nil {
					cancel(err)
					return
				}
				err := r.Do(ctx, task, env)
				t.release()
				if err != nil {
					cancel(err)
					return
				}
			}
		})
	}
	wg.Wait()
	return context.Cause(ctx)
}
