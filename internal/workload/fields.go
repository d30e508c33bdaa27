package workload

import (
	"errors"
	"math"
	"strconv"
)

// Field is one field of Job: its name (the JSON key, the CLI flag and the key of the browser
// engine's job object), a line of help, and how a value sets it. The CLI's flags, the protocol
// decoder and the browser engine all loop over Fields, so a field is written down here once.
type Field struct {
	Name string
	Help string
	Kind Kind
	// parse sets the field from its text; an error is the reason alone, Parse names the field.
	parse func(j *Job, text string) error
}

// Kind is the kind of value a field takes, and with it the value's JSON type.
type Kind uint8

const (
	KindString   Kind = iota // any string; Resolve says whether it names something
	KindInt                  // a whole number
	KindDuration             // a duration string such as "50ms"
	KindBool                 // true or false
)

// JSONType is the JSON type of the kind's values, named as encoding/json names them.
func (k Kind) JSONType() string {
	switch k {
	case KindInt:
		return "number"
	case KindBool:
		return "bool"
	}
	return "string"
}

// Want says what a value of the kind must be: "want a whole number".
func (k Kind) Want() string {
	switch k {
	case KindInt:
		return "want a whole number"
	case KindDuration:
		return `want a duration string such as "50ms"`
	case KindBool:
		return "want true or false"
	}
	return "want a string"
}

// FieldError is a value a job field cannot take: "n: want a whole number".
type FieldError struct{ Field, Reason string }

func (e *FieldError) Error() string { return e.Field + ": " + e.Reason }

// Fields lists every field of Job, in Job's order; a test checks it against Job's JSON tags.
// The help is the CLI's, so the defaults it quotes are on the command line's terms.
var Fields = []Field{
	{Name: "preset", Help: "a preset: one of the lesson's scripts (see native presets)", Kind: KindString,
		parse: func(j *Job, s string) error { j.Preset = s; return nil }},
	stringField("experiment", "io, cpu or race", func(j *Job) **Experiment { return &j.Experiment }),
	stringField("variant", "sequential, eventloop, pool, gil or process", func(j *Job) **Variant { return &j.Variant }),
	intField("workers", "goroutines or processes (default: the preset's, 5 for pools, one per core for processes)",
		func(j *Job) **int { return &j.Workers }),
	intField("tasks", "number of tasks (default "+strconv.Itoa(DefaultIOTasks)+" io, "+strconv.Itoa(DefaultCPUTasks)+" cpu, "+
		strconv.Itoa(DefaultRaceTasks)+" race)", func(j *Job) **int { return &j.Tasks }),
	intField("n", "cpu: task x sums the squares below n+x (default "+strconv.Itoa(DefaultN)+"; the lesson's n is "+
		strconv.Itoa(LessonN)+")", func(j *Job) **int64 { return &j.N }),
	durationField("delay", "io: the farm's latency per request (default "+DefaultDelay.String()+")",
		func(j *Job) **Duration { return &j.Delay }),
	durationField("jitter", "io: up to this much extra latency, fixed per task (default 0s)",
		func(j *Job) **Duration { return &j.Jitter }),
	intField("size", "io: bytes of site A; site B sends size/25 (default "+strconv.Itoa(DefaultSize)+")",
		func(j *Job) **int { return &j.Size }),
	stringField("mode", "race: unsafe, mutex or atomic (default "+string(Unsafe)+")", func(j *Job) **RaceMode { return &j.Mode }),
	{Name: "yield", Help: "race: yield between the read and the write of the increment", Kind: KindBool,
		parse: func(j *Job, s string) error {
			b, err := strconv.ParseBool(s)
			if err != nil {
				return errors.New(KindBool.Want())
			}
			j.Yield = &b
			return nil
		}},
	intField("repeat", "run it this many times, 1.."+strconv.Itoa(Limits.Repeat)+"; the fastest counts (default "+
		strconv.Itoa(DefaultCPURepeat)+" for cpu, 1 otherwise)", func(j *Job) **int { return &j.Repeat }),
}

// FieldNamed is the field called name, if Job has one.
func FieldNamed(name string) (Field, bool) {
	for _, f := range Fields {
		if f.Name == name {
			return f, true
		}
	}
	return Field{}, false
}

// Parse sets the field from its text: a flag's value, a JSON string's content or a JSON
// number as written. A given value always counts, even 0. Whether it is in range is Resolve's
// business; this refuses only what is not a value of the field's kind.
func (f Field) Parse(j *Job, text string) error {
	if err := f.parse(j, text); err != nil {
		return &FieldError{Field: f.Name, Reason: err.Error()}
	}
	return nil
}

// Set sets the field from a decoded JSON or JavaScript value: a string, a float64 or a bool.
// A number must be whole and exact in a float64 (at most 2⁵³ in size).
func (f Field) Set(j *Job, x any) error {
	var got, text string
	switch v := x.(type) {
	case string:
		got, text = "string", v
	case bool:
		got, text = "bool", strconv.FormatBool(v)
	case float64:
		if v == math.Trunc(v) && math.Abs(v) <= 1<<53 {
			got, text = "number", strconv.FormatInt(int64(v), 10)
		}
	}
	if got != f.Kind.JSONType() {
		return &FieldError{Field: f.Name, Reason: f.Kind.Want()}
	}
	return f.Parse(j, text)
}

func stringField[T ~string](name, help string, at func(*Job) **T) Field {
	return Field{Name: name, Help: help, Kind: KindString, parse: func(j *Job, s string) error {
		v := T(s)
		*at(j) = &v
		return nil
	}}
}

func intField[T int | int64](name, help string, at func(*Job) **T) Field {
	return Field{Name: name, Help: help, Kind: KindInt, parse: func(j *Job, s string) error {
		n, err := strconv.ParseInt(s, 10, 64)
		if v := T(n); err == nil && int64(v) == n {
			*at(j) = &v
			return nil
		}
		return errors.New(s + " is not a whole number within range")
	}}
}

func durationField(name, help string, at func(*Job) **Duration) Field {
	return Field{Name: name, Help: help, Kind: KindDuration, parse: func(j *Job, s string) error {
		d, err := parseDuration(s)
		if err == nil {
			*at(j) = &d
		}
		return err
	}}
}
