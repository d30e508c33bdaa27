package main

import (
	"errors"
	"math"
	"strconv"
	"time"

	"concurrency-playground/internal/info"
	"concurrency-playground/internal/workload"
)

// The engine talks to JavaScript in plain values (maps, slices, strings, numbers, booleans),
// which syscall/js converts to and from JavaScript objects directly. encoding/json would do
// the same work twice and add a fifth to the wasm's size. These functions mirror the JSON
// names of workload.Job, workload.Result and info.Info; values_test.go checks them against
// encoding/json, so a field added there and forgotten here fails a test.

// jobFromValues reads a job given as JavaScript values: the same fields, names and value forms
// as the job's JSON ("delay": "50ms"). Numbers arrive as float64.
func jobFromValues(v map[string]any) (workload.Job, error) {
	var j workload.Job
	for k, x := range v {
		var err error
		switch k {
		case "preset":
			var p *string
			err = setString(&p, k, x)
			if p != nil {
				j.Preset = *p
			}
		case "experiment":
			err = setString(&j.Experiment, k, x)
		case "variant":
			err = setString(&j.Variant, k, x)
		case "mode":
			err = setString(&j.Mode, k, x)
		case "workers":
			err = setInt(&j.Workers, k, x)
		case "tasks":
			err = setInt(&j.Tasks, k, x)
		case "size":
			err = setInt(&j.Size, k, x)
		case "n":
			err = setInt(&j.N, k, x)
		case "repeat":
			err = setInt(&j.Repeat, k, x)
		case "delay":
			err = setDuration(&j.Delay, k, x)
		case "jitter":
			err = setDuration(&j.Jitter, k, x)
		case "yield":
			b, ok := x.(bool)
			if !ok {
				err = errors.New("yield: want true or false")
			}
			j.Yield = &b
		default:
			err = errors.New(strconv.Quote(k) + " is not a job field (preset, experiment, variant, workers, tasks, n, delay, jitter, size, mode, yield, repeat)")
		}
		if err != nil {
			return workload.Job{}, errors.New("job: " + err.Error())
		}
	}
	return j, nil
}

func setString[T ~string](dst **T, field string, x any) error {
	s, ok := x.(string)
	if !ok {
		return errors.New(field + ": want a string")
	}
	t := T(s)
	*dst = &t
	return nil
}

// setInt accepts a whole number; the bounds are for Resolve to check, this only refuses what
// would not survive the conversion to an integer.
func setInt[T int | int64](dst **T, field string, x any) error {
	f, ok := x.(float64)
	if !ok || f != math.Trunc(f) || math.Abs(f) > 1<<53 {
		return errors.New(field + ": want a whole number")
	}
	t := T(f)
	*dst = &t
	return nil
}

func setDuration(dst **workload.Duration, field string, x any) error {
	s, ok := x.(string)
	if !ok {
		return errors.New(field + `: want a duration string such as "50ms"`)
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return errors.New(field + ": " + strconv.Quote(s) + ` is not a duration such as "50ms"`)
	}
	t := workload.Duration(d)
	*dst = &t
	return nil
}

// resultValues is the result as its JSON would decode in JavaScript.
func resultValues(r workload.Result) map[string]any {
	v := map[string]any{
		"experiment": string(r.Experiment), "variant": string(r.Variant), "where": r.Where,
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
	v := map[string]any{"where": m.Where, "os": m.OS, "arch": m.Arch, "cores": m.Cores,
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
		"version": i.Version, "protocol": i.Protocol, "where": i.Where, "go_version": i.GoVersion,
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
