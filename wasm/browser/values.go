package main

import (
	"errors"
	"strconv"

	"concurrency-playground/internal/info"
	"concurrency-playground/internal/workload"
)

// The engine talks to JavaScript in plain values (maps, slices, strings, numbers, booleans),
// which syscall/js converts to and from JavaScript objects directly. encoding/json would do
// the same work twice and add a fifth to the wasm's size. The job is read through
// workload.Fields; the result and info functions mirror the JSON names of workload.Result and
// info.Info, and values_test.go checks them against encoding/json, so a field added there and
// forgotten here fails a test.

// jobFromValues reads a job given as JavaScript values: the same fields, names and value forms
// as the job's JSON ("delay": "50ms"). Numbers arrive as float64.
func jobFromValues(v map[string]any) (workload.Job, error) {
	var j workload.Job
	for k, x := range v {
		f, ok := workload.FieldNamed(k)
		if !ok {
			names := ""
			for i, field := range workload.Fields {
				if i > 0 {
					names += ", "
				}
				names += field.Name
			}
			return workload.Job{}, errors.New("job: " + strconv.Quote(k) + " is not a job field (" + names + ")")
		}
		if err := f.Set(&j, x); err != nil {
			return workload.Job{}, errors.New("job: " + err.Error())
		}
	}
	return j, nil
}

// resultValues is the result as its JSON would decode in JavaScript.
func resultValues(r workload.Result) map[string]any {
	v := map[string]any{
		"experiment": string(r.Experiment), "variant": string(r.Variant), "where": string(r.Where),
		"workers": r.Workers, "tasks": r.Tasks, "duration_ns": r.DurationNS, "repeats": int64Slice(r.Repeats),
		"results": anySlice(r.Results), "checksum": r.Checksum,
		"spec": specValues(r.Spec), "machine": machineValues(r.Machine), "spans": r.Spans,
	}
	omitEmpty(v, "preset", r.Preset)
	omitEmpty(v, "spans_dropped", r.SpansDropped)
	if r.Race != nil {
		race := map[string]any{"expected": r.Race.Expected, "counted": r.Race.Counted, "lost": r.Race.Lost}
		if r.Race.LostRepeats != nil {
			race["lost_repeats"] = int64Slice(r.Race.LostRepeats)
		}
		if r.Race.Processes != nil {
			race["processes"] = int64Slice(r.Race.Processes)
		}
		if r.Race.Parent != nil {
			race["parent"] = *r.Race.Parent
		}
		v["race"] = race
	}
	return v
}

func specValues(s workload.Spec) map[string]any {
	v := map[string]any{"experiment": string(s.Experiment), "variant": string(s.Variant),
		"workers": s.Workers, "tasks": s.Tasks, "repeat": s.Repeat}
	omitEmpty(v, "preset", s.Preset)
	omitEmpty(v, "n", s.N)
	omitEmpty(v, "size", s.Size)
	omitEmpty(v, "mode", string(s.Mode))
	omitEmpty(v, "yield", s.Yield)
	if s.Delay != 0 {
		v["delay"] = s.Delay.String()
	}
	if s.Jitter != 0 {
		v["jitter"] = s.Jitter.String()
	}
	return v
}

func machineValues(m workload.Machine) map[string]any {
	v := map[string]any{"where": string(m.Where), "os": m.OS, "arch": m.Arch, "cores": m.Cores,
		"gomaxprocs": m.GOMAXPROCS, "go_version": m.GoVersion}
	omitEmpty(v, "agent", m.Agent)
	return v
}

// infoValues is GET /api/info's document, for the engine in the browser.
func infoValues(i info.Info) map[string]any {
	variants := make([]any, len(i.Variants))
	for k, name := range i.Variants {
		variants[k] = string(name)
	}
	l := i.Limits
	return map[string]any{
		"version": i.Version, "protocol": i.Protocol, "where": string(i.Where), "go_version": i.GoVersion,
		"os": i.OS, "arch": i.Arch, "cores": i.Cores, "gomaxprocs": i.GOMAXPROCS,
		"variants": variants, "presets": anySlice(i.Presets),
		"limits": map[string]any{
			"workers": l.Workers, "process_workers": l.ProcessWorkers, "tasks": l.Tasks, "n": l.N,
			"work": l.Work, "delay": l.Delay.String(), "jitter": l.Jitter.String(), "size": l.Size,
			"repeat": l.Repeat,
		},
	}
}

func int64Slice(xs []int64) []any {
	out := make([]any, len(xs))
	for i, x := range xs {
		out[i] = x
	}
	return out
}

func anySlice(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// omitEmpty sets v[k] unless x is its type's zero value: JSON's omitempty.
func omitEmpty[T comparable](v map[string]any, k string, x T) {
	var zero T
	if x != zero {
		v[k] = x
	}
}
