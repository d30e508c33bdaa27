package main

import (
	"context"
	"testing"

	"concurrency-playground/internal/trace"
	"concurrency-playground/internal/workload"
)

// runPool does what the page's pool does with two browser processes, in one test process:
// tasks handed out one batch at a time, alternately, each process's counter its own.
func runPool(t *testing.T, s workload.Spec, batch int) (results []string, counters []int64, spans []trace.Span) {
	t.Helper()
	results = make([]string, s.Tasks)
	counters = make([]int64, s.Workers)
	for from, lane := 0, 0; from < s.Tasks; from, lane = from+batch, (lane+1)%s.Workers {
		processCounter = workload.Counter{} // a process of its own: the engine's globals are its memory
		to := min(from+batch, s.Tasks)
		b, err := RunTasks(context.Background(), s, Options{}, from, to, lane, 1_000_000)
		if err != nil {
			t.Fatal(err)
		}
		copy(results[from:], b.Results)
		counters[lane] += b.Counted
		spans = append(spans, b.Spans...)
	}
	return results, counters, spans
}

func TestProcessPoolGivesTheSequentialChecksum(t *testing.T) {
	s := resolve(t, workload.Job{Experiment: new(workload.CPU), Variant: new(workload.Process), Workers: new(2), Tasks: new(5), N: new(int64(200_000)), Repeat: new(2)})
	results, _, spans := runPool(t, s, 1)
	res, err := Assemble(s, testMachine, results, []int64{30, 20}, nil, len(spans))
	if err != nil {
		t.Fatal(err)
	}
	if want := nativeChecksum(t, s, nil); res.Checksum != want {
		t.Errorf("checksum %s, the same sums done directly give %s", res.Checksum, want)
	}
	if res.DurationNS != 20 || len(res.Repeats) != 2 || res.Variant != workload.Process || res.Workers != 2 {
		t.Errorf("result %+v: want the fastest of 2 repeats (20 ns), variant process, 2 workers", res)
	}
	for _, sp := range spans {
		if sp.Lane != sp.Task%2 || sp.Start < 1_000_000 || sp.State != trace.Compute {
			t.Errorf("span %+v: want task k on lane k%%2, computing, after the 1 ms offset", sp)
		}
	}
}

func TestProcessPoolRaceCountsPerProcessAndLosesNothing(t *testing.T) {
	s := resolve(t, workload.Job{Preset: "race_condition", Variant: new(workload.Process), Workers: new(2), Tasks: new(50)})
	results, counters, spans := runPool(t, s, 10)
	processCounter = workload.Counter{} // the parent's: no browser process reaches it
	res, err := Assemble(s, testMachine, results, []int64{5}, [][]int64{counters}, len(spans))
	if err != nil {
		t.Fatal(err)
	}
	r := res.Race
	if r == nil || r.Lost != 0 || r.Counted != 5_000 || len(r.Processes) != 2 || r.Processes[0] != 3_000 || r.Parent == nil || *r.Parent != 0 {
		t.Errorf("race %+v: want 5,000 counted, none lost, processes [3000 2000], parent 0", r)
	}
}

func TestProcessPoolRefusesWhatItCannotRun(t *testing.T) {
	seq := resolve(t, workload.Job{Preset: "cpu_non_concurrent", N: new(int64(10))})
	if _, err := RunTasks(context.Background(), seq, Options{}, 0, 1, 0, 0); err == nil {
		t.Error("RunTasks ran a sequential spec: want it refused")
	}
	s := resolve(t, workload.Job{Preset: "cpu_mp", Workers: new(2), N: new(int64(10))})
	if _, err := RunTasks(context.Background(), s, Options{}, 5, 99, 0, 0); err == nil {
		t.Error("RunTasks ran tasks 5..99 of 20: want the range refused")
	}
	if _, err := Assemble(s, testMachine, []string{"1"}, []int64{1}, nil, 0); err == nil {
		t.Error("Assemble took 1 result for 20 tasks: want it refused")
	}
}
