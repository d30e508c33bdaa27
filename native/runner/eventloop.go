package runner

import (
	"context"

	"concurrency-playground/internal/runloop"
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
	loop := newInterpreterLock()
	shared := r.env()
	return runloop.Slots(ctx, r.Spec.Workers, r.Spec.Tasks, func(ctx context.Context, slot, task int) error {
		t := &thread{ctx: ctx, lock: loop, rec: r.Rec, worker: slot, task: task}
		env := *shared
		env.Yield, env.Await, env.Block = nil, t.await, t.blockingIO
		if err := t.acquire(); err != nil {
			return err
		}
		defer t.release()
		return r.DoTraced(ctx, slot, task, &env)
	})
}
