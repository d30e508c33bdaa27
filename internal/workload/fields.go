package workload

import (
	"errors"
	"math"
	"strconv"
)

// Field is one field of Job: its name (the JSON key, the CLI flag and the key of the browser
// engine's job object), a line of help, and the member of Job it sets. The CLI's flags, the
// protocol decoder and the browser engine all loop over Fields, so a field is written down
// here once.
type Field struct {
	Name    string
	Arg     string         // what the CLI's help calls the value: -preset NAME
	Help    string         // the CLI's help, so the defaults it quotes are on the command line's terms
	For     Experiment     // the one experiment that uses the field; "" for every experiment
	Allowed string         // the values Resolve accepts, as an error message quotes them: "1..100000"
	at      func(*Job) any // the member's address: *string or a pointer to one of Job's pointers
}

// Fields lists every field of Job, in Job's order; a test checks it against Job's JSON tags.
var Fields = []Field{
	{Name: "preset", Arg: "NAME", Help: "a preset: one of the lesson's scripts (see native presets)",
		at: func(j *Job) any { return &j.Preset }},
	{Name: "experiment", Arg: "EXPERIMENT", Help: "io, cpu or race", Allowed: "io, cpu or race",
		at: func(j *Job) any { return &j.Experiment }},
	{Name: "variant", Arg: "VARIANT", Help: "sequential, eventloop, pool, gil or process", Allowed: "sequential, eventloop, pool, gil or process",
		at: func(j *Job) any { return &j.Variant }},
	{Name: "workers", Arg: "N", Help: "goroutines or processes (default: the preset's, 5 for pools, one per core for processes)",
		Allowed: "1.." + strconv.Itoa(Limits.Workers) + " (1.." + strconv.Itoa(Limits.ProcessWorkers) + " for process)",
		at:      func(j *Job) any { return &j.Workers }},
	{Name: "tasks", Arg: "N", Help: "number of tasks (default " + strconv.Itoa(DefaultIOTasks) + " io, " + strconv.Itoa(DefaultCPUTasks) + " cpu, " +
		strconv.Itoa(DefaultRaceTasks) + " race)", Allowed: "1.." + strconv.Itoa(Limits.Tasks),
		at: func(j *Job) any { return &j.Tasks }},
	{Name: "n", Arg: "N", For: CPU, Help: "cpu: task x sums the squares below n+x (default " + strconv.Itoa(DefaultN) + "; the lesson's n is " +
		strconv.Itoa(LessonN) + ")", Allowed: "1.." + strconv.FormatInt(Limits.N, 10),
		at: func(j *Job) any { return &j.N }},
	{Name: "delay", Arg: "D", For: IO, Help: "io: the farm's latency per request (default " + DefaultDelay.String() + ")",
		Allowed: "0s.." + Limits.Delay.String(), at: func(j *Job) any { return &j.Delay }},
	{Name: "jitter", Arg: "D", For: IO, Help: "io: up to this much extra latency, fixed per task (default 0s)",
		Allowed: "0s.." + Limits.Jitter.String(), at: func(j *Job) any { return &j.Jitter }},
	{Name: "size", Arg: "B", For: IO, Help: "io: bytes of site A; site B sends size/25 (default " + strconv.Itoa(DefaultSize) + ")",
		Allowed: "0.." + strconv.Itoa(Limits.Size), at: func(j *Job) any { return &j.Size }},
	{Name: "mode", Arg: "MODE", For: Race, Help: "race: unsafe, mutex or atomic (default " + string(Unsafe) + ")",
		Allowed: "unsafe, mutex or atomic", at: func(j *Job) any { return &j.Mode }},
	{Name: "yield", For: Race, Help: "race: yield between the read and the write of the increment",
		Allowed: "true or false", at: func(j *Job) any { return &j.Yield }},
	{Name: "repeat", Arg: "N", Help: "run it this many times, 1.." + strconv.Itoa(Limits.Repeat) + "; the fastest counts (default " +
		strconv.Itoa(DefaultCPURepeat) + " for cpu, 1 otherwise)", Allowed: "1.." + strconv.Itoa(Limits.Repeat),
		at: func(j *Job) any { return &j.Repeat }},
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

// Kind is the kind of value a field takes, and with it the value's JSON type.
type Kind uint8

const (
	KindString   Kind = iota // any string; Resolve says whether it names something
	KindInt                  // a whole number
	KindDuration             // a duration string such as "50ms"
	KindBool                 // true or false
)

// Kind is the kind of value the field takes, known from the type of its member.
func (f Field) Kind() Kind {
	switch f.at(new(Job)).(type) {
	case **int, **int64:
		return KindInt
	case **Duration:
		return KindDuration
	case **bool:
		return KindBool
	}
	return KindString
}

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

// Parse sets the field from its text: a flag's value, a JSON string's content or a JSON
// number as written. A given value always counts, even 0. Whether it is in range is Resolve's
// business; this refuses only what is not a value of the field's kind.
func (f Field) Parse(j *Job, text string) error {
	var v any = text
	var err error
	switch f.Kind() {
	case KindInt:
		if v, err = strconv.ParseInt(text, 10, 64); errors.Is(err, strconv.ErrRange) {
			err = errors.New(text + " is out of range " + f.Allowed)
		} else if err != nil {
			err = errors.New(strconv.Quote(text) + " is not a whole number; allowed " + f.Allowed)
		}
	case KindDuration:
		if v, err = parseDuration(text); err != nil {
			err = errors.New(err.Error() + "; allowed " + f.Allowed)
		}
	case KindBool:
		if v, err = strconv.ParseBool(text); err != nil {
			err = errors.New(strconv.Quote(text) + " is not true or false")
		}
	}
	if err != nil {
		return &FieldError{Field: f.Name, Reason: err.Error()}
	}
	f.set(j, v)
	return nil
}

// Set sets the field from a decoded JSON or JavaScript value: a string, a float64 or a bool.
// A number must be whole and exact in a float64 (at most 2⁵³ in size). It does not go through
// Parse, so the browser engine, which only calls Set, links no integer or boolean parser.
func (f Field) Set(j *Job, x any) error {
	k := f.Kind()
	var v any
	switch x := x.(type) {
	case string:
		if k == KindString {
			v = x
		} else if k == KindDuration {
			d, err := parseDuration(x)
			if err != nil {
				return &FieldError{Field: f.Name, Reason: err.Error()}
			}
			v = d
		}
	case float64:
		if k == KindInt && x == math.Trunc(x) && math.Abs(x) <= 1<<53 {
			v = int64(x)
		}
	case bool:
		if k == KindBool {
			v = x
		}
	}
	if v == nil {
		return &FieldError{Field: f.Name, Reason: k.Want()}
	}
	f.set(j, v)
	return nil
}

// Given says whether the job gives the field a value, even its zero.
func (f Field) Given(j *Job) bool {
	switch p := f.at(j).(type) {
	case *string:
		return *p != ""
	case **Experiment:
		return *p != nil
	case **Variant:
		return *p != nil
	case **RaceMode:
		return *p != nil
	case **int:
		return *p != nil
	case **int64:
		return *p != nil
	case **Duration:
		return *p != nil
	case **bool:
		return *p != nil
	}
	return false
}

// set stores v, a value of the field's kind (a string, an int64, a Duration or a bool).
func (f Field) set(j *Job, v any) {
	switch p := f.at(j).(type) {
	case *string:
		*p = v.(string)
	case **Experiment:
		*p = new(Experiment(v.(string)))
	case **Variant:
		*p = new(Variant(v.(string)))
	case **RaceMode:
		*p = new(RaceMode(v.(string)))
	case **int:
		*p = new(int(v.(int64))) // an int holds any int64: see below
	case **int64:
		*p = new(v.(int64))
	case **Duration:
		*p = new(v.(Duration))
	case **bool:
		*p = new(v.(bool))
	}
}

// This fails to compile where an int is narrower than an int64, which set assumes. Every
// target is 64-bit, wasm included.
var _ [strconv.IntSize - 64]struct{}
