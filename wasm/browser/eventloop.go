package main

import (
	"context"

	"concurrency-playground/internal/runloop"
	"concurrency-playground/internal/workload"
)

// eventLoop starts one goroutine per task, at most `workers` at a time: asyncio.gather. In
// the browser every goroutine shares the Web Worker's one thread and Go switches between them
// only where one waits (a fetch, a timer) or yields, exactly as asyncio switches tasks only at
// an `await`. So downloads overlap, CPU tasks run one after another and block the loop, and
// the race's increment loses nothing unless it yields between its read and its write. A lane
// of the timeline is one of the `workers` slots: for I/O, one of the browser's connections.
func eventLoop(ctx context.Context, tasks *runloop.Tasks, env *workload.TaskEnv) error {
	return runloop.Slots(ctx, tasks.Spec.Workers, tasks.Spec.Tasks, func(ctx context.Context, slot, task int) error {
		return tasks.DoTraced(ctx, slot, task, env)
	})
}
