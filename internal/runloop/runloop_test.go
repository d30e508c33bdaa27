package runloop

import (
	"context"
	"errors"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"testing"

	"concurrency-playground/internal/workload"
)

// Slots never runs more tasks at once than it has slots, gives each running task a slot of its
// own, and runs every task once.
func TestSlotsBoundsTheTasksAtOnce(t *testing.T) {
	const slots, tasks = 3, 40
	var mu sync.Mutex
	held := map[int]bool{}
	ran := make([]int, tasks)
	err := Slots(context.Background(), slots, tasks, func(_ context.Context, slot, task int) error {
		mu.Lock()
		if held[slot] || len(held) >= slots {
			t.Errorf("task %d got slot %d while %v were held", task, slot, held)
		}
		held[slot] = true
		ran[task]++
		mu.Unlock()
		runtime.Gosched() // let others start: overlap is what is being bounded
		mu.Lock()
		delete(held, slot)
		mu.Unlock()
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for task, n := range ran {
		if n != 1 {
			t.Errorf("task %d ran %d times", task, n)
		}
	}
}

// The first error stops the run: no task starts after it, and the error is what Slots returns.
func TestSlotsStopsAtTheFirstError(t *testing.T) {
	boom := errors.New("boom")
	var started atomic.Int32
	err := Slots(context.Background(), 1, 100, func(_ context.Context, _, task int) error {
		started.Add(1)
		if task == 4 {
			return boom
		}
		return nil
	})
	if !errors.Is(err, boom) || started.Load() != 5 {
		t.Errorf("err %v after %d tasks, want boom after the 5 tasks up to the failing one (one slot)", err, started.Load())
	}
}

// Repeat starts each repeat where the one before ended and keeps the fastest.
func TestRepeatTilesAndKeepsTheFastest(t *testing.T) {
	var froms []int64
	durations := []int64{30, 10, 20}
	res, err := Repeat(3, func(from int64) (workload.Result, error) {
		froms = append(froms, from)
		return workload.Result{DurationNS: durations[len(froms)-1]}, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(froms, []int64{0, 30, 40}) || res.DurationNS != 10 || !slices.Equal(res.Repeats, durations) {
		t.Errorf("repeats started at %v, result %d of %v; want 0, 30, 40 and the fastest, 10", froms, res.DurationNS, res.Repeats)
	}
	stop := errors.New("stop")
	calls := 0
	if _, err := Repeat(3, func(int64) (workload.Result, error) { calls++; return workload.Result{}, stop }); !errors.Is(err, stop) || calls != 1 {
		t.Errorf("a failing repeat: err %v after %d calls, want stop after 1", err, calls)
	}
}
