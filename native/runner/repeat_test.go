package runner

import (
	"slices"
	"testing"

	"concurrency-playground/internal/trace"
	"concurrency-playground/internal/workload"
)

// The repeats of a run tile its timeline: repeat k's spans lie between the end of repeat k-1
// and its own end, every repeat runs every task, and the fastest repeat is the run's duration.
// A process pool starts its processes again for each repeat, as the lesson creates its Pool
// in each run.
func TestRepeatsTileTheTimeline(t *testing.T) {
	for _, v := range []workload.Variant{workload.Sequential, workload.Pool, workload.Process} {
		s := resolve(t, workload.Job{Experiment: new(workload.CPU), Variant: new(v), Tasks: new(4), N: new(int64(20_000)), Repeat: new(3)})
		if v == workload.Process {
			s.Workers = 2
		}
		res, rec := runSpec(t, s)
		if len(res.Repeats) != 3 || res.DurationNS != slices.Min(res.Repeats) {
			t.Fatalf("%s: repeats %v, duration %d: want 3 repeats and the fastest", v, res.Repeats, res.DurationNS)
		}
		ends := make([]int64, 3)
		for k, d := range res.Repeats {
			ends[k] = d
			if k > 0 {
				ends[k] += ends[k-1]
			}
		}
		if now := rec.Now(); ends[2] > now {
			t.Fatalf("%s: the repeats add up to %d ns, more than the %d ns the run took", v, ends[2], now)
		}
		tasks := make([]int, 3)
		spawns := make([]int, 3)
		for _, sp := range rec.Spans() {
			k, _ := slices.BinarySearch(ends, sp.End) // the first repeat that ends at or after the span
			if k == len(ends) || (k > 0 && sp.Start < ends[k-1]) {
				t.Fatalf("%s: span %+v crosses a repeat's bounds %v", v, sp, ends)
			}
			if sp.State == trace.Spawn {
				spawns[k]++
			} else {
				tasks[k]++
			}
		}
		wantSpawns := 0
		if v == workload.Process {
			wantSpawns = 2
		}
		for k := range 3 {
			if tasks[k] != s.Tasks || spawns[k] != wantSpawns {
				t.Errorf("%s: repeat %d has %d task spans and %d spawns, want %d and %d", v, k, tasks[k], spawns[k], s.Tasks, wantSpawns)
			}
		}
	}
}

// Processes share no counter: each counts its own increments, none is lost, and the parent's
// counter does not move.
func TestProcessRaceCountsApart(t *testing.T) {
	s := resolve(t, workload.Job{Preset: "race_condition", Variant: new(workload.Process), Workers: new(2), Tasks: new(400), Yield: new(true)})
	res, _ := runSpec(t, s)
	race := res.Race
	var sum int64
	for _, c := range race.Processes {
		sum += c
	}
	if len(race.Processes) != 2 || sum != race.Expected || race.Counted != race.Expected || race.Lost != 0 {
		t.Errorf("race %+v: want two processes' counters adding up to %d, none lost", *race, race.Expected)
	}
	if race.Parent == nil || *race.Parent != 0 {
		t.Errorf("parent counter %v, want 0: no process can reach it", race.Parent)
	}
	pool, _ := runSpec(t, resolve(t, workload.Job{Preset: "race_condition", Tasks: new(400), Mode: new(workload.Atomic)}))
	if pool.Race.Processes != nil || pool.Race.Parent != nil {
		t.Errorf("a goroutine pool's race %+v names processes", *pool.Race)
	}
}
