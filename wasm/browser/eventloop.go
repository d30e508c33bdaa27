package main

import (
	"context"
	"sync"
)

// eventLoop starts one goroutine per task, at most `workers` at a time: asyncio.gather. In
// the browser every goroutine shares the Web Worker's one thread and Go switches between them
// only where one waits (a fetch, a timer) or yields, exactly as asyncio switches tasks only at
// an `await`. So downloads overlap, CPU tasks run one after another and block the loop, and
// the race's increment loses nothing unless it yields between its read and its write. A lane
// of the timeline is one of the `workers` slots: for I/O, one of the browser's connections.
func (r *run) eventLoop(ctx context.Context) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
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
			if err := r.doTraced(ctx, slot, task); err != nil {
				cancel(err) // the first failure stops the run
			}
		})
	}
	wg.Wait()
	return context.Cause(ctx)
}
