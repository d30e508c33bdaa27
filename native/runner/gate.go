package runner

import (
	"runtime"
	"sync/atomic"
	"time"
)

// gate holds a pool's workers back until two of them are seen running at the same moment, on
// two cores: the first two workers to arrive hit a ball back and forth through one atomic
// counter, and when one of them has had gateRally returns in a row, each within gatePolls
// looks, both are running now and the workers start.
//
// Why: the race's 5,000 tasks are a few milliseconds of work. Measured in fresh processes
// (bin/native run -preset race_condition) on a 2-core VM: both of the runtime's threads ran
// tasks, interleaved within microseconds, yet never at the same moment, so no read met another
// thread's write and no update was lost (3 of 20 runs lost). The two virtual cores were not
// both running: a rally of 10,000 returns took 1.2–1.7 ms when they were and 20 ms to 1.2 s
// when not, in stretches, and warm processes had kept both busy. The lesson's threads all run
// at once; the gate starts the tasks when the machine runs two of them at once, and a machine
// that will not (one core's time, or a host that keeps one core away) is waited for no longer
// than gateWait.
type gate struct {
	need     bool
	seats    [2]atomic.Bool
	ball     atomic.Int64
	open     atomic.Bool
	rallied  atomic.Bool // opened by a rally, not at the deadline
	deadline time.Time
}

const (
	gateRally     = 1_000
	gateRallyTime = time.Millisecond * raceSlowdown
	gatePolls     = 20_000
	gateWait      = 5 * time.Second
)

// newGate is the gate of a pool of workers workers. Only the race needs one (closed says so):
// a CPU or I/O task is long enough to overlap another without help, and a wait would only
// slow that pool. One worker, or a runtime with one thread, has no one to meet.
func newGate(workers int, closed bool) *gate {
	g := &gate{need: closed && workers > 1 && runtime.GOMAXPROCS(0) > 1}
	g.open.Store(!g.need)
	return g
}

// arm starts the gate's clock: call it once every worker exists.
func (g *gate) arm() { g.deadline = time.Now().Add(gateWait) }

// wait returns once the gate is open. A worker takes a free seat of the two and rallies from
// it while its partner keeps up; without a seat, or once its partner fell behind, it yields,
// so that the workers the runtime is running now are the ones that rally.
func (g *gate) wait() {
	for !g.open.Load() {
		for seat := range g.seats {
			if g.seats[seat].CompareAndSwap(false, true) {
				g.rally(int64(seat))
				g.seats[seat].Store(false)
				break
			}
		}
		if time.Now().After(g.deadline) {
			g.open.Store(true)
		}
		if g.open.Load() {
			return // a worker that rallied goes on running, on a core that runs now
		}
		runtime.Gosched()
	}
}

// rally hits the ball when it is seat's turn (ball%2 == seat). It opens the gate once
// gateRally returns in a row took less than gateRallyTime, and returns when the gate is open
// or the partner is slow to return, not running now.
func (g *gate) rally(seat int64) {
	streak, polls, since := 0, 0, time.Now()
	for !g.open.Load() {
		b := g.ball.Load()
		if b%2 != seat {
			if polls++; polls > gatePolls {
				return
			}
			continue
		}
		polls = 0
		if streak++; streak == gateRally {
			now := time.Now()
			if now.Sub(since) < gateRallyTime {
				g.rallied.Store(true)
				g.open.Store(true)
			}
			streak, since = 0, now
		}
		g.ball.Store(b + 1)
	}
}
