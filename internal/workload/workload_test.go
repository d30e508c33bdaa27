package workload

import (
	"context"
	"encoding/json"
	"math/big"
	"strings"
	"testing"
	"time"
)

// sumFormula is n(n-1)(2n-1)/6, the closed form of sum(i*i for i in range(n)), in big
// arithmetic: an independent check of the 128-bit loop.
func sumFormula(n int64) string {
	b := big.NewInt(n)
	r := new(big.Int).Mul(b, new(big.Int).Sub(b, big.NewInt(1)))
	r.Mul(r, new(big.Int).Sub(new(big.Int).Mul(b, big.NewInt(2)), big.NewInt(1)))
	return r.Div(r, big.NewInt(6)).String()
}

func TestCPUTasksMatchTheClosedForm(t *testing.T) {
	spec, err := Job{Preset: "cpu_non_concurrent"}.Resolve(2)
	if err != nil {
		t.Fatal(err)
	}
	for task := range spec.Tasks {
		got, err := spec.Do(context.Background(), task, &TaskEnv{})
		if err != nil {
			t.Fatal(err)
		}
		if want := sumFormula(spec.N + int64(task)); got != want {
			t.Errorf("task %d: sum of squares below %d = %s, want %s", task, spec.N+int64(task), got, want)
		}
	}
}

func TestSumOfSquaresEdges(t *testing.T) {
	for _, n := range []int64{0, 1, 2, 3, computeChunk - 1, computeChunk, computeChunk + 1, 2_642_246, 5_000_000} {
		if got, want := sum(n), sumFormula(n); got != want {
			t.Errorf("SumOfSquares(%d) = %s, want %s", n, got, want)
		}
	}
	if got := sum(5_000_000); got != "41666654166667500000" {
		t.Errorf("the lesson's first sum is %s, want 41666654166667500000", got)
	}
}

func TestSum128StringPadsInnerDigits(t *testing.T) {
	// 2^64 * 1 + 5 = 18446744073709551621: the low word's digits need no padding here, but
	// 10^19 * k + small does.
	cases := map[Sum128]string{
		{Hi: 0, Lo: 0}:                    "0",
		{Hi: 1, Lo: 5}:                    "18446744073709551621",
		{Hi: 0, Lo: 18446744073709551615}: "18446744073709551615",
	}
	for v, want := range cases {
		if got := v.String(); got != want {
			t.Errorf("%+v.String() = %s, want %s", v, got, want)
		}
	}
	// 10^20 + 7: hi:lo computed through big.
	b, _ := new(big.Int).SetString("100000000000000000007", 10)
	words := b.Bits()
	v := Sum128{Lo: uint64(words[0])}
	if len(words) > 1 {
		v.Hi = uint64(words[1])
	}
	if got := v.String(); got != "100000000000000000007" {
		t.Errorf("10^20+7 prints as %s", got)
	}
}

func TestYieldIsCalledBetweenChunks(t *testing.T) {
	calls := 0
	SumOfSquares(3*computeChunk+1, func() bool { calls++; return true })
	if calls != 4 {
		t.Errorf("between called %d times for 4 chunks, want 4", calls)
	}
	if _, complete := SumOfSquares(3*computeChunk+1, func() bool { return false }); complete {
		t.Error("a sum told to stop says it is complete")
	}
}

func sum(n int64) string {
	s, _ := SumOfSquares(n, nil)
	return s.String()
}

// A cancelled context stops even one long sum within a chunk or so, not at its end.
func TestCancelStopsALongSum(t *testing.T) {
	s, err := Job{Experiment: new(CPU), N: new(Limits.N), Repeat: new(1)}.Resolve(2)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	var cancelled time.Time
	time.AfterFunc(5*time.Millisecond, func() { cancelled = time.Now(); cancel() })
	if _, err := s.Do(ctx, 0, &TaskEnv{}); err != context.Canceled {
		t.Errorf("err %v, want context.Canceled", err)
	}
	// The whole sum takes a second or more; stopping within a chunk takes microseconds. The bound
	// is loose so a busy machine under -race cannot fail it, yet a sum that ran on would.
	if d := time.Since(cancelled); d > 500*time.Millisecond {
		t.Errorf("a cancelled sum of 10^9 squares took %v after the cancel to stop", d)
	}
}

func TestResolveErrorsNameTheFieldAndTheBound(t *testing.T) {
	cases := []struct {
		job  Job
		want string
	}{
		{Job{Preset: "cpu_threading", Workers: new(0)}, "workers: 0 is out of range 1..10000"},
		{Job{Preset: "cpu_mp", Workers: new(65)}, "workers: 65 is out of range 1..64 for the process variant"},
		{Job{Preset: "cpu_threading", Tasks: new(100_001)}, "tasks: 100001 is out of range 1..100000"},
		{Job{Preset: "cpu_threading", N: new(int64(1_000_000_001))}, "n: 1000000001 is out of range 1..1000000000"},
		{Job{Preset: "cpu_threading", Repeat: new(11)}, "repeat: 11 is out of range 1..10"},
		{Job{Preset: "race_condition", Repeat: new(0)}, "repeat: 0 is out of range 1..10"},
		{Job{Preset: "cpu_threading", N: new(int64(400_000_000))}, "n: tasks × n × repeat = 24000000000 is over the limit"},
		{Job{Preset: "cpu_threading", N: new(int64(100_000_000)), Tasks: new(1000)}, "n: tasks × n"},
		{Job{Preset: "io_threading", Delay: new(Duration(11 * time.Second))}, "delay: 11s is out of range 0s..10s"},
		{Job{Preset: "io_threading", Size: new(-1)}, "size: -1 is out of range 0..1048576"},
		{Job{Preset: "io_threading", Tasks: new(100_000), Size: new(1 << 20), Delay: new(Duration(0))}, "size: tasks × size × repeat = 104857600000 bytes is over the limit of 1073741824 per run"},
		{Job{Preset: "io_threading", Tasks: new(1025), Size: new(1 << 20), Delay: new(Duration(0))}, "size: tasks × size × repeat"},
		{Job{Preset: "io_threading", Delay: new(Duration(10 * time.Second))}, "delay: tasks × (delay + jitter)"},
		{Job{Preset: "io_threading", Tasks: new(4), Delay: new(Duration(6 * time.Second)), Jitter: new(Duration(5 * time.Second))}, "jitter: delay + jitter = 11s is over the farm's limit of 10s per request"},
		{Job{Preset: "nope"}, `preset: "nope" is not a preset`},
		{Job{}, "experiment: missing"},
		{Job{Experiment: new(Experiment("gpu"))}, `experiment: "gpu" is not one of io, cpu, race`},
		{Job{Experiment: new(CPU), Variant: new(Variant("fork"))}, `variant: "fork" is not one of`},
		{Job{Experiment: new(Race), Mode: new(RaceMode("yolo"))}, `mode: "yolo" is not one of unsafe, mutex, atomic`},
		{Job{Experiment: new(CPU), Workers: new(4)}, "workers: sequential runs on exactly 1 worker, not 4"},
		{Job{Preset: "cpu_mp", Experiment: new(IO)}, `experiment: "io" contradicts preset cpu_mp (cpu)`},
	}
	for _, c := range cases {
		_, err := c.job.Resolve(2)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Resolve(%s) = %v, want an error containing %q", mustJSON(c.job), err, c.want)
		}
	}
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func TestPresetsResolveToTheLessonsScripts(t *testing.T) {
	want := map[string]struct {
		variant Variant
		workers int
		tasks   int
	}{
		"io_non_concurrent":  {Sequential, 1, 160},
		"io_threading":       {Pool, 5, 160},
		"io_asyncio":         {EventLoop, 160, 160},
		"io_mp":              {Process, 3, 160}, // one per core, with 3 cores
		"cpu_non_concurrent": {Sequential, 1, 20},
		"cpu_threading":      {Pool, 5, 20},
		"cpu_gil":            {GIL, 5, 20},
		"cpu_mp":             {Process, 3, 20},
		"race_condition":     {Pool, 5000, 5000},
	}
	if len(Presets) != len(want) {
		t.Fatalf("%d presets, want %d", len(Presets), len(want))
	}
	for name, w := range want {
		s, err := Job{Preset: name}.Resolve(3)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if s.Variant != w.variant || s.Workers != w.workers || s.Tasks != w.tasks || s.Preset != name {
			t.Errorf("%s resolves to %s/%d workers/%d tasks, want %s/%d/%d", name, s.Variant, s.Workers, s.Tasks, w.variant, w.workers, w.tasks)
		}
	}
}

func TestOverridesKeepThePresetElsewhere(t *testing.T) {
	s, err := Job{Preset: "io_threading", Workers: new(8), Delay: new(Duration(0)), Size: new(0)}.Resolve(2)
	if err != nil {
		t.Fatal(err)
	}
	if s.Workers != 8 || s.Delay != 0 || s.Size != 0 || s.Tasks != 160 || s.Variant != Pool {
		t.Errorf("got %+v", s)
	}
	// Changing the variant drops the preset's worker count, which was for its own variant.
	s, err = Job{Preset: "io_threading", Variant: new(Sequential)}.Resolve(2)
	if err != nil || s.Workers != 1 {
		t.Errorf("io_threading as sequential: %+v, %v", s, err)
	}
}

func TestJobJSONUsesTheFlagNames(t *testing.T) {
	var j Job
	if err := json.Unmarshal([]byte(`{"experiment":"io","variant":"pool","workers":5,"tasks":160,"delay":"50ms","size":25000}`), &j); err != nil {
		t.Fatal(err)
	}
	s, err := j.Resolve(2)
	if err != nil {
		t.Fatal(err)
	}
	if time.Duration(s.Delay) != 50*time.Millisecond || s.Size != 25000 || s.Workers != 5 {
		t.Errorf("decoded %+v", s)
	}
	if err := json.Unmarshal([]byte(`{"delay":50}`), &j); err == nil {
		t.Error("a number for delay decoded; want an error asking for a duration string")
	}
}

func TestIOTasksAlternateSitesAndJitterIsFixedPerTask(t *testing.T) {
	s, _ := Job{Preset: "io_threading", Jitter: new(Duration(10 * time.Millisecond))}.Resolve(2)
	if site, size := s.TaskSite(0); site != SiteA || size != 25000 {
		t.Errorf("task 0: %s %d", site, size)
	}
	if site, size := s.TaskSite(1); site != SiteB || size != 1000 {
		t.Errorf("task 1: %s %d", site, size)
	}
	distinct := map[time.Duration]bool{}
	for task := range 50 {
		d := s.TaskDelay(task)
		if d != s.TaskDelay(task) || d < 50*time.Millisecond || d > 60*time.Millisecond {
			t.Fatalf("task %d: delay %v not fixed within 50ms..60ms", task, d)
		}
		distinct[d] = true
	}
	if len(distinct) < 10 {
		t.Errorf("jitter gave only %d distinct delays over 50 tasks", len(distinct))
	}
	if u := s.TaskURL("http://127.0.0.1:1", 3); u != "http://127.0.0.1:1/farm/b?delay="+s.TaskDelay(3).String()+"&size=1000" {
		t.Errorf("TaskURL = %s", u)
	}
}

func TestRaceModes(t *testing.T) {
	for _, mode := range []RaceMode{Mutex, Atomic} {
		var c Counter
		done := make(chan bool)
		for range 8 {
			go func() {
				for range 10_000 {
					c.Increment(mode, nil, nil)
				}
				done <- true
			}()
		}
		for range 8 {
			<-done
		}
		if c.Value() != 80_000 {
			t.Errorf("%s lost updates: %d, want 80000", mode, c.Value())
		}
	}
	// With a yield between read and write, two interleaved increments lose one: the lesson.
	var c Counter
	c.Increment(Unsafe, func() { c.Increment(Unsafe, nil, nil) }, nil)
	if c.Value() != 1 {
		t.Errorf("an increment interleaved into another's read and write: counter %d, want 1 (one lost)", c.Value())
	}
}

func TestChecksumDependsOnOrderAndContent(t *testing.T) {
	a := Checksum([]string{"1", "2"})
	if a != Checksum([]string{"1", "2"}) || a == Checksum([]string{"2", "1"}) || a == Checksum([]string{"12"}) {
		t.Error("checksum must be deterministic and depend on order and boundaries")
	}
	// FNV-1a 64 of "1\n": the end-to-end test recomputes checksums in JavaScript from this rule.
	if got := Checksum([]string{"1"}); got != "07f8bc07b4ba5002" {
		t.Errorf(`Checksum(["1"]) = %s, want FNV-1a 64 of "1\n" = 07f8bc07b4ba5002`, got)
	}
}

func BenchmarkCPUTask(b *testing.B) {
	for b.Loop() {
		SumOfSquares(DefaultN, nil)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/DefaultN, "ns/square")
}

func BenchmarkRaceTask(b *testing.B) {
	s, _ := Job{Preset: "race_condition"}.Resolve(2)
	env := &TaskEnv{Counter: new(Counter)}
	for b.Loop() {
		s.Do(context.Background(), 0, env)
	}
}

// A field another experiment uses is refused even at its zero, naming the field and whose it
// is; the experiment's own fields, and the ones every experiment has, are accepted.
func TestResolveRefusesAFieldTheExperimentDoesNotUse(t *testing.T) {
	for _, c := range []struct {
		job  string
		want string
	}{
		{`{"experiment":"cpu","delay":"1h"}`, "delay: the cpu experiment has no delay (it is io's)"},
		{`{"experiment":"cpu","mode":"yolo"}`, "mode: the cpu experiment has no mode (it is race's)"},
		{`{"experiment":"race","size":-5}`, "size: the race experiment has no size (it is io's)"},
		{`{"experiment":"race","jitter":"0s"}`, "jitter: the race experiment has no jitter (it is io's)"},
		{`{"preset":"io_threading","yield":false}`, "yield: the io experiment has no yield (it is race's)"},
		{`{"preset":"race_condition","n":5}`, "n: the race experiment has no n (it is cpu's)"},
	} {
		var j Job
		if err := json.Unmarshal([]byte(c.job), &j); err != nil {
			t.Fatal(err)
		}
		if _, err := j.Resolve(2); err == nil || err.Error() != c.want {
			t.Errorf("%s: error %v, want %q", c.job, err, c.want)
		}
	}
	for _, job := range []string{
		`{"experiment":"io","variant":"pool","workers":3,"tasks":4,"delay":"0s","jitter":"1ms","size":0,"repeat":1}`,
		`{"experiment":"cpu","tasks":2,"n":10,"repeat":2}`,
		`{"experiment":"race","tasks":2,"mode":"mutex","yield":false}`,
	} {
		var j Job
		if err := json.Unmarshal([]byte(job), &j); err != nil {
			t.Fatal(err)
		}
		if _, err := j.Resolve(2); err != nil {
			t.Errorf("%s: %v", job, err)
		}
	}
}
