package runner

import (
	"runtime"
	"sync"
	"testing"

	"concurrency-playground/internal/trace"
	"concurrency-playground/internal/workload"
)

// race_condition as the lesson wrote it (5,000 threads, counter += 1 with no yield) loses
// updates in every repeat on two cores: the gate starts the tasks when two cores run them.
// Without the gate, fresh processes lost in 3 of 20 runs on a busy 2-core VM.
func TestRaceConditionLosesInEveryRepeat(t *testing.T) {
	if runtime.GOMAXPROCS(0) < 2 {
		t.Skip("one core: no two increments run at once") // never on the project's machines
	}
	s := resolve(t, workload.Job{Preset: "race_condition", Repeat: new(3)})
	res, rec := runSpec(t, s)
	for i, lost := range res.Race.LostRepeats {
		if lost <= 0 {
			t.Errorf("repeat %d of %d lost no update: %+v", i+1, len(res.Race.LostRepeats), res.Race)
		}
	}
	// The start-up is drawn: each worker's spawn span runs from its creation to its first task.
	first := map[int32]int64{}
	spawns := map[int32]trace.Span{}
	for _, sp := range rec.Spans() {
		if sp.Start >= res.Repeats[0] {
			break // the first repeat's spans only
		}
		switch sp.State {
		case trace.Spawn:
			spawns[sp.Lane] = sp
		case trace.Compute:
			if _, ok := first[sp.Lane]; !ok {
				first[sp.Lane] = sp.Start
			}
		}
	}
	if len(spawns) != s.Workers {
		t.Fatalf("%d spawn spans in the first repeat, want one per worker (%d)", len(spawns), s.Workers)
	}
	for lane, start := range first {
		if sp := spawns[lane]; sp.End > start || sp.Start > sp.End {
			t.Errorf("lane %d: spawn span %+v does not end before its first task at %d", lane, sp, start)
		}
	}
}

// The gate opens for two workers on two cores, by their rally or, on a machine too busy to
// run both at once, at its deadline; for one worker, or outside the race, it is open from the
// start.
func TestGateOpensForTwoWorkers(t *testing.T) {
	if newGate(1, true).need || newGate(8, false).need {
		t.Fatal("a gate for one worker, or for no race, is closed")
	}
	if runtime.GOMAXPROCS(0) < 2 {
		t.Skip("one core")
	}
	g := newGate(2, true)
	g.arm()
	var wg sync.WaitGroup
	for range 2 {
		wg.Go(g.wait)
	}
	wg.Wait()
	t.Logf("opened by a rally: %v", g.rallied.Load())
}
