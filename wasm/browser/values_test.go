package main

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"concurrency-playground/internal/info"
	"concurrency-playground/internal/workload"
)

// roundTrip is what JavaScript sees of v: its JSON, decoded into plain values.
func roundTrip(t *testing.T, v any) any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out any
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestJobFromValuesReadsWhatJSONReads(t *testing.T) {
	for _, text := range []string{
		`{}`,
		`{"preset":"io_asyncio"}`,
		`{"preset":"cpu_mp","variant":"eventloop","workers":3}`,
		`{"experiment":"io","variant":"sequential","tasks":12,"delay":"20ms","jitter":"1.5ms","size":5000}`,
		`{"experiment":"cpu","n":123456789,"tasks":2}`,
		`{"experiment":"race","mode":"mutex","yield":true,"workers":5000}`,
		`{"experiment":"race","yield":false}`,
	} {
		var want workload.Job
		if err := json.Unmarshal([]byte(text), &want); err != nil {
			t.Fatal(err)
		}
		var fields map[string]any
		json.Unmarshal([]byte(text), &fields)
		got, err := jobFromValues(fields)
		if err != nil {
			t.Errorf("%s: %v", text, err)
			continue
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: read %+v, encoding/json reads %+v", text, got, want)
		}
	}
}

func TestJobFromValuesRefusesWithAReason(t *testing.T) {
	for _, c := range []struct {
		fields map[string]any
		want   string
	}{
		{map[string]any{"workers": "5"}, "job: workers: want a whole number"},
		{map[string]any{"tasks": 2.5}, "job: tasks: want a whole number"},
		{map[string]any{"delay": "soon"}, `job: delay: "soon" is not a duration such as "50ms"`},
		{map[string]any{"delay": 50.0}, `job: delay: want a duration string such as "50ms"`},
		{map[string]any{"yield": "yes"}, "job: yield: want true or false"},
		{map[string]any{"mode": true}, "job: mode: want a string"},
		{map[string]any{"worker": 5.0}, `job: "worker" is not a job field`},
	} {
		_, err := jobFromValues(c.fields)
		if err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("%v: error %v, want %q", c.fields, err, c.want)
		}
	}
}

func TestResultValuesAreItsJSON(t *testing.T) {
	s, err := workload.Job{Preset: "io_asyncio"}.Resolve(2)
	if err != nil {
		t.Fatal(err)
	}
	m := workload.Machine{Where: "browser", OS: "js", Arch: "wasm", Cores: 8, GOMAXPROCS: 1, GoVersion: "go1.26", Agent: "test"}
	r := workload.NewResult(s, m, 1234567, []string{"25000", "1000"})
	r.Spans, r.SpansDropped = 2, 1
	race, _ := workload.Job{Preset: "race_condition", Variant: new(workload.EventLoop), Yield: new(true)}.Resolve(2)
	raced := workload.NewResult(race, workload.Machine{Where: "browser"}, 1, []string{"100"})
	raced.Race = workload.NewRaceOutcome(race, 42)
	raced = workload.Fastest([]workload.Result{raced, raced})
	procs, _ := workload.Job{Preset: "race_condition", Variant: new(workload.Process), Workers: new(2), Tasks: new(1)}.Resolve(2)
	pooled, err := Assemble(procs, m, []string{"100"}, []int64{3}, [][]int64{{60, 40}}, 3)
	if err != nil {
		t.Fatal(err)
	}
	cpu, _ := workload.Job{Preset: "cpu_non_concurrent"}.Resolve(2)
	for _, r := range []workload.Result{r, raced, pooled, workload.NewResult(cpu, m, 5, []string{})} {
		if got, want := roundTrip(t, resultValues(r)), roundTrip(t, r); !reflect.DeepEqual(got, want) {
			t.Errorf("resultValues:\n got %v\nwant %v", got, want)
		}
	}
}

func TestInfoValuesAreItsJSON(t *testing.T) {
	i := info.New(workload.Machine{Where: "browser", OS: "js", Arch: "wasm", Cores: 4, GOMAXPROCS: 1, GoVersion: "go1.26"}, workload.BrowserVariants)
	if got, want := roundTrip(t, infoValues(i)), roundTrip(t, i); !reflect.DeepEqual(got, want) {
		t.Errorf("infoValues:\n got %v\nwant %v", got, want)
	}
}
