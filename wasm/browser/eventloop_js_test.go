package main

import (
	"testing"

	"concurrency-playground/internal/workload"
)

// In the browser goroutines are scheduled cooperatively: an increment that does not yield is
// never interrupted, so even the unsafe mode loses nothing. This holds only on js/wasm; on a
// multi-core host the goroutines of the event loop run in parallel.
func TestEventLoopLosesNothingWithoutAYield(t *testing.T) {
	s := resolve(t, workload.Job{Preset: "race_condition", Variant: new(workload.EventLoop)})
	res := runSpec(t, s, nil)
	if res.Race.Lost != 0 || res.Race.Counted != 500_000 {
		t.Errorf("unsafe increments without a yield: %+v, want all 500000 counted", *res.Race)
	}
}
