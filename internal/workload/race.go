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

// Increment adds one the way mode says. yield, if not nil, runs between the unsafe read and
// its write: in an event loop that is an `await`, the only place another task can run.
func (c *Counter) Increment(mode RaceMode, yield func()) {
	switch mode {
	case Unsafe:
		v := c.value.Load()
		if yield != nil {
			yield()
		}
		c.value.Store(v + 1)
	case Mutex:
		c.mu.Lock()
		v := c.value.Load()
		if yield != nil {
			yield()
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
}

// NewRaceOutcome compares the counter with the spec's expected total.
func NewRaceOutcome(s Spec, counted int64) *RaceOutcome {
	want := int64(s.Tasks) * IncrementsPerTask
	return &RaceOutcome{Expected: want, Counted: counted, Lost: want - counted}
}
