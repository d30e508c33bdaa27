package workload

import (
	"slices"
	"strings"
	"testing"
	"time"
)

// The lesson quotes the fastest of three runs: CPU runs repeat three times unless asked
// otherwise; I/O and the race, whose point is not speed alone, run once.
func TestRepeatDefaults(t *testing.T) {
	for _, c := range []struct {
		job  Job
		want int
	}{
		{Job{Preset: "cpu_mp"}, DefaultCPURepeat},
		{Job{Experiment: new(CPU)}, DefaultCPURepeat},
		{Job{Preset: "cpu_threading", Repeat: new(1)}, 1},
		{Job{Preset: "io_threading"}, 1},
		{Job{Preset: "race_condition"}, 1},
		{Job{Preset: "race_condition", Repeat: new(10)}, 10},
	} {
		s, err := c.job.Resolve(2)
		if err != nil {
			t.Fatalf("Resolve(%s): %v", mustJSON(c.job), err)
		}
		if s.Repeat != c.want {
			t.Errorf("Resolve(%s).Repeat = %d, want %d", mustJSON(c.job), s.Repeat, c.want)
		}
		if s.TotalTasks() != s.Tasks*c.want {
			t.Errorf("TotalTasks() = %d, want tasks × repeat = %d", s.TotalTasks(), s.Tasks*c.want)
		}
	}
}

// Fastest keeps the fastest repeat's duration and race outcome, with every repeat beside it.
func TestFastestKeepsTheFastestRepeat(t *testing.T) {
	s, err := Job{Preset: "race_condition", Repeat: new(3)}.Resolve(2)
	if err != nil {
		t.Fatal(err)
	}
	var repeats []Result
	for _, c := range []struct {
		d       time.Duration
		counted int64
	}{{30 * time.Millisecond, 400}, {10 * time.Millisecond, 450}, {20 * time.Millisecond, 500}} {
		r := NewResult(s, Machine{Where: "native"}, c.d, []string{"100"})
		r.Race = NewRaceOutcome(s, c.counted)
		repeats = append(repeats, r)
	}
	got := Fastest(repeats)
	if got.DurationNS != int64(10*time.Millisecond) {
		t.Errorf("duration_ns = %d, want the fastest repeat's, 10 ms", got.DurationNS)
	}
	want := []int64{int64(30 * time.Millisecond), int64(10 * time.Millisecond), int64(20 * time.Millisecond)}
	if !slices.Equal(got.Repeats, want) {
		t.Errorf("repeats = %v, want every repeat in order %v", got.Repeats, want)
	}
	expected := int64(s.Tasks) * IncrementsPerTask
	if got.Race.Counted != 450 || !slices.Equal(got.Race.LostRepeats, []int64{expected - 400, expected - 450, expected - 500}) {
		t.Errorf("race = %+v, want the fastest repeat's count (450) and every repeat's losses", *got.Race)
	}
	if repeats[1].Race.LostRepeats != nil {
		t.Error("Fastest changed the race outcome of the repeat it was given")
	}
}

// Check validates a spec once, and again once it changed: a runner handed a resolved spec does
// not validate it again, and a spec changed after it was resolved cannot run unchecked.
func TestCheckValidatesOnceAndAfterAChange(t *testing.T) {
	s, err := Job{Preset: "cpu_mp"}.Resolve(2)
	if err != nil {
		t.Fatal(err)
	}
	if s.checked == nil || s.Check() != nil {
		t.Fatalf("a resolved spec is not marked as checked (%v) or fails its check", s.checked)
	}
	copied := s
	copied.Workers = 0
	if err := copied.Check(); err == nil || !strings.Contains(err.Error(), "workers: 0 is out of range") {
		t.Errorf("a spec changed after it was resolved: Check() = %v, want the workers' bound", err)
	}
	if s.Check() != nil {
		t.Error("the change to a copy reached the original")
	}
	literal := Spec{Experiment: CPU, Variant: Sequential, Workers: 1, Tasks: 1, N: 10, Repeat: 1}
	if err := literal.Check(); err != nil || literal.checked == nil {
		t.Errorf("a valid literal spec: Check() = %v, checked %v", err, literal.checked)
	}
	if err := (&Spec{Experiment: CPU, Variant: Sequential, Workers: 1, Tasks: 1, N: 10}).Check(); err == nil {
		t.Error("a literal spec without a repeat passed its check")
	}
}
