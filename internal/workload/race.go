package workload

import (
	"sync"
	"sync/atomic"
)

// Counter is the race experiment's shared counter. Its value is an atomic so that the unsafe
// mode's lost updates come from the read and the write being two steps, as in CPython's
// `counter += 1`, and not from a data race: `go test -race` stays meaningful.
type Counter struct {
	value atomic.Int64
	mu    sync.Mutex
}

// Increment adds one the way mode says. await, if not nil, runs between the read and its
// write: in an event loop that is an `await`, the only place another task can run. block, if
// not nil, wraps a wait for the mutex, as it wraps I/O: a worker that holds an interpreter
// lock must let go of it while it waits, or the mutex's holder could never get it back to
// finish (CPython's lock.acquire releases the GIL for the same reason).
func (c *Counter) Increment(mode RaceMode, await func(), block func(wait func() error) error) {
	switch mode {
	case Unsafe:
		v := c.value.Load()
		if await != nil {
			await()
		}
		c.value.Store(v + 1)
	case Mutex:
		if !c.mu.TryLock() {
			if block != nil {
				block(func() error { c.mu.Lock(); return nil })
			} else {
				c.mu.Lock()
			}
		}
		v := c.value.Load()
		if await != nil {
			await()
		}
		c.value.Store(v + 1)
		c.mu.Unlock()
	case Atomic:
		c.value.Add(1)
	}
}

// Value is the counter's current value.
func (c *Counter) Value() int64 { return c.value.Load() }

// RaceOutcome is what a race run counted against what it should have.
type RaceOutcome struct {
	Expected int64 `json:"expected"`
	Counted  int64 `json:"counted"`
	Lost     int64 `json:"lost"`
	// LostRepeats is the updates lost in each repeat of the run, in the order they ran.
	LostRepeats []int64 `json:"lost_repeats,omitempty"`
	// Processes is, for the process variant, each worker process's own counter: processes
	// share no memory, so each counts its own increments and none is lost. Parent is the
	// counter of the process that started them, which no worker can reach: it stays 0.
	Processes []int64 `json:"processes,omitempty"`
	Parent    *int64  `json:"parent,omitempty"`
}

// NewRaceOutcome compares the counter with the spec's expected total.
func NewRaceOutcome(s Spec, counted int64) *RaceOutcome {
	want := int64(s.Tasks) * IncrementsPerTask
	return &RaceOutcome{Expected: want, Counted: counted, Lost: want - counted}
}
