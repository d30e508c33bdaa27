package runner

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"concurrency-playground/internal/trace"
)

// switchInterval is CPython's sys.getswitchinterval(): a thread that has computed this long
// hands the interpreter lock over when another thread is waiting for it.
const switchInterval = 5 * time.Millisecond

// interpreterLock emulates CPython's GIL. The token is a channel of one: a release hands it
// straight to the goroutine that has waited longest (a channel's receivers queue in order),
// as CPython's forced switch does.
type interpreterLock struct {
	token   chan struct{}
	waiting atomic.Int32
}

// gil is the pool, except that a worker holds the interpreter lock while its task computes and
// releases it while the task waits on I/O. CPU work therefore runs one worker at a time, on
// whatever core, and the pool is no faster than sequential: the lesson's cpu_threading.
func (r *run) gil(ctx context.Context) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	lock := &interpreterLock{token: make(chan struct{}, 1)}
	lock.token <- struct{}{}
	queue := r.queue()
	var wg sync.WaitGroup
	for worker := range r.spec.Workers {
		wg.Go(func() {
			t := &thread{lock: lock, rec: r.rec, worker: worker}
			env := r.env(1)
			env.Yield = t.checkSwitch
			env.Block = t.blockingIO
			for task := range queue {
				t.task = task
				t.acquire()
				err := r.do(ctx, task, env)
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

// thread is one worker's view of the lock, and where its spans come from: blue while it holds
// the lock, red while it waits for the lock or for I/O.
type thread struct {
	lock     *interpreterLock
	rec      *trace.Recorder
	worker   int
	task     int
	heldFrom int64
}

// waitWorthDrawing is the shortest wait for the lock that gets a span: an uncontended acquire
// takes well under this, and a lane of nanosecond slivers would hide what matters.
const waitWorthDrawing = int64(10 * time.Microsecond)

func (t *thread) acquire() {
	start := t.rec.Now()
	t.lock.waiting.Add(1)
	<-t.lock.token
	t.lock.waiting.Add(-1)
	t.heldFrom = t.rec.Now()
	if t.heldFrom-start >= waitWorthDrawing {
		t.rec.Add(trace.Span{Worker: int32(t.worker), Task: int32(t.task), State: trace.Wait, Start: start, End: t.heldFrom})
	}
}

func (t *thread) release() {
	t.rec.Record(t.worker, t.task, trace.Run, t.heldFrom)
	t.lock.token <- struct{}{}
}

// checkSwitch runs between chunks of computation: after a switch interval, if anyone waits,
// hand the lock over and queue for it again.
func (t *thread) checkSwitch() {
	if t.rec.Now()-t.heldFrom >= int64(switchInterval) && t.lock.waiting.Load() > 0 {
		t.release()
		t.acquire()
	}
}

// blockingIO releases the lock around a wait on I/O, as CPython does around a socket read.
func (t *thread) blockingIO(wait func() error) error {
	t.release()
	start := t.rec.Now()
	err := wait()
	t.rec.Record(t.worker, t.task, trace.Wait, start)
	t.acquire()
	return err
}
