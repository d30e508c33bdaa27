package runner

import (
	"context"
	"sync/atomic"
	"time"

	"concurrency-playground/internal/trace"
)

// interpreterLock is one lock that every goroutine of a run must hold to run Go code of a
// task: CPython's GIL for the gil variant, the event loop's single thread for eventloop. The
// token is a channel of one: a release hands it straight to the goroutine that has waited
// longest (a channel's receivers queue in order), as CPython's forced switch does and as an
// event loop resumes its ready tasks in turn.
type interpreterLock struct {
	token   chan struct{}
	waiting atomic.Int32
}

func newInterpreterLock() *interpreterLock {
	l := &interpreterLock{token: make(chan struct{}, 1)}
	l.token <- struct{}{}
	return l
}

// thread is one goroutine's hold on an interpreter lock: a CPython thread, or an asyncio
// task. Its methods are the task environment's hooks.
type thread struct {
	ctx    context.Context
	lock   *interpreterLock
	rec    *trace.Recorder
	worker int
	task   int

	// switchEvery forces a hand-over after this much computing when another goroutine waits
	// (CPython's switch interval); 0 never forces one (a coroutine runs until it awaits).
	switchEvery time.Duration
	// traced: the thread records its own spans, blue while it holds the lock, red while it
	// waits for it or for I/O. Otherwise the caller draws the task as one span.
	traced bool

	held     bool
	heldFrom int64
}

// waitWorthDrawing is the shortest wait for the lock that gets a span: an uncontended acquire
// takes well under it, and a lane of nanosecond slivers would bury what matters. Every hold is
// drawn, however short, so that every task shows.
const waitWorthDrawing = int64(10 * time.Microsecond)

// testHookAcquired, if a test sets it, runs each time a thread has taken the lock: the tests
// see every hand-over, and hold the first holder until the others queue behind it.
var testHookAcquired func(t *thread)

// acquire waits for the lock, or for the run to be cancelled.
func (t *thread) acquire() error {
	start := t.rec.Now()
	t.lock.waiting.Add(1)
	defer t.lock.waiting.Add(-1)
	select {
	case <-t.lock.token:
	case <-t.ctx.Done():
		return context.Cause(t.ctx)
	}
	t.held, t.heldFrom = true, t.rec.Now()
	if t.traced && t.heldFrom-start >= waitWorthDrawing {
		t.span(trace.Wait, start, t.heldFrom)
	}
	if testHookAcquired != nil {
		testHookAcquired(t)
	}
	return nil
}

func (t *thread) release() {
	if !t.held {
		return
	}
	if t.traced {
		t.span(trace.Compute, t.heldFrom, t.rec.Now())
	}
	t.held = false
	t.lock.token <- struct{}{}
}

func (t *thread) span(state trace.State, start, end int64) {
	t.rec.Add(trace.Span{Lane: int32(t.worker), Task: int32(t.task), State: state, Start: start, End: end})
}

// checkSwitch runs between chunks of computation: after a switch interval, if anyone waits,
// hand the lock over and queue for it again.
func (t *thread) checkSwitch() {
	if t.switchEvery > 0 && t.held && t.rec.Now()-t.heldFrom >= int64(t.switchEvery) && t.lock.waiting.Load() > 0 {
		t.release()
		t.acquire() // on a cancel the task notices through its context
	}
}

// await gives way to the others and queues again: the race's explicit yield point.
func (t *thread) await() {
	t.release()
	t.acquire()
}

// blockingIO releases the lock around a wait, as CPython does around a socket read or a lock
// acquire, and as an event loop runs others while a task awaits.
func (t *thread) blockingIO(wait func() error) error {
	t.release()
	start := t.rec.Now()
	err := wait()
	if t.traced {
		t.span(trace.Wait, start, t.rec.Now())
	}
	if aerr := t.acquire(); err == nil {
		err = aerr
	}
	return err
}
