package runner

import (
	"context"
	"sync"
)

// eventLoop starts one goroutine per task, at most `workers` at a time, all sharing one HTTP
// client: asyncio.gather over one aiohttp.ClientSession. Go's runtime is itself an event loop
// over the OS's readiness API (epoll), so a blocked goroutine costs a few kilobytes, not a
// thread. A lane of the timeline is one of the `workers` slots.
func (r *run) eventLoop(ctx context.Context) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	env := r.env(r.spec.Workers)
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
			if err := r.doTraced(ctx, slot, task, env); err != nil {
				cancel(err)
			}
		})
	}
	wg.Wait()
	return context.Cause(ctx)
}
