package workload

import (
	"encoding/json"
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"
)

// Fields is Job's JSON, name for name and in order, so a field added to Job and forgotten in
// the table fails here rather than in a flag, the protocol or the browser engine.
func TestFieldsCoverEveryJobField(t *testing.T) {
	var want, got []string
	typ := reflect.TypeFor[Job]()
	for i := range typ.NumField() {
		name, _, _ := strings.Cut(typ.Field(i).Tag.Get("json"), ",")
		want = append(want, name)
	}
	for _, f := range Fields {
		got = append(got, f.Name)
		if f.Help == "" {
			t.Errorf("field %s has no help", f.Name)
		}
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Fields are %v,\nJob's JSON names are %v", got, want)
	}
}

// Each field sets its own member of Job, and only that one: what Parse sets, Job's JSON carries
// under the field's name, with the value given.
func TestEachFieldSetsItsOwnMember(t *testing.T) {
	sample := map[Kind]string{KindString: "x", KindInt: "0", KindDuration: "7ms", KindBool: "false"}
	wantJSON := map[Kind]any{KindString: "x", KindInt: 0.0, KindDuration: "7ms", KindBool: false}
	for _, f := range Fields {
		var j Job
		if err := f.Parse(&j, sample[f.Kind()]); err != nil {
			t.Errorf("%s: Parse(%q): %v", f.Name, sample[f.Kind()], err)
			continue
		}
		var members map[string]any
		b, _ := json.Marshal(j)
		json.Unmarshal(b, &members)
		if f.Name == "preset" {
			members["preset"] = j.Preset // omitempty hides the preset's zero; its value is what counts
		}
		if len(members) != 1 || !reflect.DeepEqual(members[f.Name], wantJSON[f.Kind()]) {
			t.Errorf("%s: Parse(%q) gives the job %s, want only %q: %v", f.Name, sample[f.Kind()], b, f.Name, wantJSON[f.Kind()])
		}
	}
}

func TestFieldValuesAndTheirRefusals(t *testing.T) {
	field := func(name string) Field {
		f, ok := FieldNamed(name)
		if !ok {
			t.Fatalf("no field %q", name)
		}
		return f
	}
	if _, ok := FieldNamed("worker"); ok {
		t.Error(`FieldNamed("worker") found a field`)
	}
	// apply gives a string to Parse, as a flag would, and anything else to Set.
	apply := func(j *Job, name string, x any) error {
		if s, ok := x.(string); ok {
			return field(name).Parse(j, s)
		}
		return field(name).Set(j, x)
	}
	var j Job
	for _, c := range []struct {
		name string
		x    any
	}{
		{"workers", "-3"}, {"tasks", 2.0}, {"n", "-9223372036854775808"}, {"size", float64(1 << 53)},
		{"delay", "1.5ms"}, {"jitter", "0s"}, {"mode", "atomic"}, {"yield", true}, {"yield", "false"},
	} {
		if err := apply(&j, c.name, c.x); err != nil {
			t.Errorf("%s = %#v: %v", c.name, c.x, err)
		}
	}
	if *j.Workers != -3 || *j.Tasks != 2 || *j.N != math.MinInt64 || *j.Size != 1<<53 ||
		*j.Delay != Duration(1500*time.Microsecond) || *j.Jitter != 0 || *j.Mode != Atomic || *j.Yield {
		t.Errorf("job %+v", j)
	}
	for _, c := range []struct {
		name string
		x    any
		want string
	}{
		{"workers", "x", `workers: "x" is not a whole number; allowed 1..10000 (1..64 for process)`},
		{"workers", "5.5", `workers: "5.5" is not a whole number; allowed 1..10000 (1..64 for process)`},
		{"n", "99999999999999999999", "n: 99999999999999999999 is out of range 1..1000000000"},
		{"delay", "soon", `delay: "soon" is not a duration such as "50ms"; allowed 0s..10s`},
		{"yield", "maybe", `yield: "maybe" is not true or false`},
		{"n", 2.5, "n: want a whole number"},
		{"n", float64(1<<53 + 2), "n: want a whole number"},
		{"n", math.Inf(1), "n: want a whole number"},
		{"workers", []any{5.0}, "workers: want a whole number"},
		{"delay", 50.0, `delay: want a duration string such as "50ms"`},
		{"mode", true, "mode: want a string"},
		{"preset", nil, "preset: want a string"},
		{"yield", 1.0, "yield: want true or false"},
	} {
		err := apply(&j, c.name, c.x)
		var fe *FieldError
		if err == nil || err.Error() != c.want || !errors.As(err, &fe) || fe.Field != c.name {
			t.Errorf("%s = %#v: error %v, want the *FieldError %q", c.name, c.x, err, c.want)
		}
	}
}
