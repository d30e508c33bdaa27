package runner

import (
	"context"
	"sync"
)

// eventLoop is asyncio.gather over one aiohttp.ClientSession: one goroutine per task, at most
// `workers` at a time, all sharing one HTTP client and one thread. The thread is an
// interpreter lock that is never taken away: a task runs until it awaits, that is, until it
// waits on I/O (or at the race's explicit yield). So downloads overlap, CPU tasks run one
// after another however many cores there are, and the race loses nothing unless it yields
// between its read and its write. Go's runtime is itself an event loop over the OS's
// readiness API (epoll): a task waiting on I/O costs a few kilobytes, not a thread. A lane of
// the timeline is one of the `workers` slots.
func (r *run) eventLoop(ctx context.Context) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	loop := newInterpreterLock()
	shared := r.env(r.spec.Workers)
	slots := make(chan int, r.spec.Workers)
	for slot := range r.spec.Workers {
		slots <- slot
	}
	var wg sync.WaitGroup
	for task := range r.spec.Tasks {
		var slot int
		select {
		case slot = <-slots:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break
		}
		wg.Go(func() {
			defer func() { slots <- slot }()
			t := &thread{ctx: ctx, lock: loop, rec: r.rec, worker: slot, task: task}
			env := *shared
			env.Yield, env.Await, env.Block = nil, t.await, t.blockingIO
			if err := t.acquire(); err != nil {
				cancel(err)
				return
			}
			err := r.doTraced(ctx, slot, task, &env)
			t.release()
			if err != nil {
				cancel(err)
			}
		})
	}
	wg.Wait()
	return context.Cause(ctx)
}
