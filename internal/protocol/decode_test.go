package protocol

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"concurrency-playground/internal/info"
	"concurrency-playground/internal/trace"
	"concurrency-playground/internal/workload"
)

func TestDecodeAcceptsTheDocumentedMessages(t *testing.T) {
	io, pool := workload.IO, workload.Pool
	delay := workload.Duration(50 * time.Millisecond)
	tests := []struct {
		in   string
		want ClientMessage
	}{
		{`{"type":"run","id":"r1","job":{"preset":"cpu_mp","workers":2}}`,
			Run{Type: TypeRun, ID: "r1", Job: Job{Job: workload.Job{Preset: "cpu_mp", Workers: new(2)}}}},
		{`{"type":"run","id":"r2","job":{"experiment":"io","variant":"pool","workers":5,"tasks":160,"delay":"50ms","size":25000}}`,
			Run{Type: TypeRun, ID: "r2", Job: Job{Job: workload.Job{Experiment: &io, Variant: &pool, Workers: new(5),
				Tasks: new(160), Delay: &delay, Size: new(25000)}}}},
		{` {"job":{"yield":true,"mode":"mutex","n":7}, "id":"a.b:c-d_e", "type":"run"} `,
			Run{Type: TypeRun, ID: "a.b:c-d_e", Job: Job{Job: workload.Job{Yield: new(true), Mode: new(workload.Mutex), N: new(int64(7))}}}},
		{`{"type":"run","id":"r4","job":{"preset":"cpu_mp","python":"cpython-3.11.2"}}`,
			Run{Type: TypeRun, ID: "r4", Job: Job{Job: workload.Job{Preset: "cpu_mp"}, Python: "cpython-3.11.2"}}},
		{`{"type":"run","id":"r3","job":{}}`, Run{Type: TypeRun, ID: "r3"}},
		{`{"type":"cancel","id":"r1"}`, Cancel{Type: TypeCancel, ID: "r1"}},
	}
	for _, tt := range tests {
		got, err := Decode([]byte(tt.in))
		if err != nil {
			t.Errorf("Decode(%s): %v", tt.in, err)
			continue
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Decode(%s) = %+v, want %+v", tt.in, got, tt.want)
		}
	}
}

// Every refusal names the field at fault, so the page can point at it.
func TestDecodeRefusesNamingTheField(t *testing.T) {
	long := strings.Repeat("x", 100)
	tests := []struct {
		in, field, reason, id string
	}{
		{``, "message", "not a JSON object", ""},
		{`[1,2]`, "message", "not a JSON object", ""},
		{`{"type":"run"`, "message", "malformed JSON", ""},
		{`{"type":"run",}`, "message", "malformed JSON", ""},
		{`{"type":"cancel","id":"r1"} {}`, "message", "data after the JSON object", ""},
		{`{"type":"cancel","id":"r1","id":"r2"}`, "message", `"id" given twice`, ""},
		{`{"id":"r1"}`, "type", "missing", "r1"},
		{`{"type":7,"id":"r1"}`, "type", "want a string", "r1"},
		{`{"type":"launch","id":"r1"}`, "type", `"launch" is not a message type`, "r1"},
		{`{"type":"run","id":"r1","job":{"python":"/usr/bin/python3"}}`, "python", "want an interpreter's id", "r1"},
		{`{"type":"run","id":"r1","job":{"python":7}}`, "python", "want an interpreter's id", "r1"},
		{`{"type":"hello","id":"r1"}`, "type", "sent by the server", "r1"},
		{`{"type":"cancel","id":"r1","job":{}}`, "message", `unknown field "job" in a cancel message`, "r1"},
		{`{"type":"run","id":"r1","job":{},"extra":1}`, "message", `unknown field "extra"`, "r1"},
		{`{"type":"cancel"}`, "id", "missing", ""},
		{`{"type":"cancel","id":""}`, "id", "want a string of 1..64", ""},
		{`{"type":"cancel","id":5}`, "id", "want a string", ""},
		{`{"type":"cancel","id":"<script>"}`, "id", "letters, digits", ""},
		{`{"type":"cancel","id":"` + long + `"}`, "id", "1..64", ""},
		{`{"type":"run","id":"r1"}`, "job", "missing", "r1"},
		{`{"type":"run","id":"r1","job":[]}`, "job", "want an object", "r1"},
		{`{"type":"run","id":"r1","job":{"workerz":5}}`, "job", `unknown field "workerz"; allowed: delay, experiment`, "r1"},
		{`{"type":"run","id":"r1","job":{"workers":"5"}}`, "workers", "want a whole number, got string", "r1"},
		{`{"type":"run","id":"r1","job":{"workers":5.5}}`, "workers", `"5.5" is not a whole number; allowed 1..10000`, "r1"},
		{`{"type":"run","id":"r1","job":{"workers":1e30}}`, "workers", `"1e30" is not a whole number`, "r1"},
		{`{"type":"run","id":"r1","job":{"n":99999999999999999999}}`, "n", "99999999999999999999 is out of range 1..1000000000", "r1"},
		{`{"type":"run","id":"r1","job":{"tasks":null}}`, "tasks", "null is not a value", "r1"},
		{`{"type":"run","id":"r1","job":{"yield":1}}`, "yield", "want true or false", "r1"},
		{`{"type":"run","id":"r1","job":{"preset":5}}`, "preset", "want a string", "r1"},
		{`{"type":"run","id":"r1","job":{"preset":"` + long + `"}}`, "preset", "102 bytes is too long", "r1"},
		{`{"type":"run","id":"r1","job":{"delay":50}}`, "delay", `duration string such as "50ms"`, "r1"},
		{`{"type":"run","id":"r1","job":{"delay":"soon"}}`, "delay", `"soon" is not a duration`, "r1"},
		{`{"type":"run","id":"r1","job":{"size":` + strings.Repeat("9", 70) + `}}`, "size", "too long", "r1"},
		{`{"type":"run","id":"r1","job":{"workers":1,"workers":2}}`, "job", `"workers" given twice`, "r1"},
		{`{"type":"run","id":"r1","job":{}}` + strings.Repeat(" ", MaxMessageBytes), "message", "over the limit of 16384", ""},
	}
	for _, tt := range tests {
		msg, err := Decode([]byte(tt.in))
		var de *DecodeError
		if !errors.As(err, &de) {
			t.Errorf("Decode(%.80s) = %+v, %v; want a *DecodeError", tt.in, msg, err)
			continue
		}
		if de.Field != tt.field || !strings.Contains(de.Reason, tt.reason) || de.ID != tt.id {
			t.Errorf("Decode(%.80s):\n got field %q id %q: %s\nwant field %q id %q, reason containing %q",
				tt.in, de.Field, de.ID, de.Reason, tt.field, tt.id, tt.reason)
		}
		if !strings.HasPrefix(err.Error(), tt.field+": ") {
			t.Errorf("error %q does not start with its field %q", err, tt.field)
		}
	}
}

// Decode follows workload.Job: every field of Job is decodable under its JSON name.
func TestDecodeKnowsEveryJobField(t *testing.T) {
	full := `{"preset":"cpu_mp","experiment":"cpu","variant":"pool","workers":3,"tasks":4,"n":5,` +
		`"delay":"1ms","jitter":"2ms","size":6,"mode":"atomic","yield":true,"repeat":2}`
	msg, err := Decode([]byte(`{"type":"run","id":"r","job":` + full + `}`))
	if err != nil {
		t.Fatal(err)
	}
	got, _ := json.Marshal(msg.(Run).Job)
	var a, b map[string]any
	json.Unmarshal(got, &a)
	json.Unmarshal([]byte(full), &b)
	if !reflect.DeepEqual(a, b) {
		t.Errorf("round trip lost fields:\n got %s\nwant %s", got, full)
	}
	if n := reflect.TypeFor[workload.Job]().NumField(); len(a) != n {
		t.Errorf("the test covers %d job fields, Job has %d: add the new one to this test", len(a), n)
	}
}

func TestServerMessagesEncodeAsDocumented(t *testing.T) {
	spans := []trace.Span{{Lane: 0, Task: 3, State: trace.Compute, Start: 10, End: 20},
		{Lane: 1, Task: trace.NoTask, State: trace.Spawn, Start: 0, End: 5}}
	tests := []struct{ got, want string }{
		{string(AppendSpans(nil, "r1", spans)), `{"type":"spans","id":"r1","spans":[[0,3,"run",10,20],[1,-1,"spawn",0,5]]}`},
		{string(AppendSpans(nil, "r1", nil)), `{"type":"spans","id":"r1","spans":[]}`},
		{string(Encode(NewProgress("r1", 10, 20))), `{"type":"progress","id":"r1","done":10,"total":20}`},
		{string(Encode(NewError("r1", CodeBusy, "busy"))), `{"type":"error","id":"r1","code":"busy","message":"busy"}`},
		{string(Encode(NewError("", CodeInvalid, "type: missing"))), `{"type":"error","code":"invalid","message":"type: missing"}`},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("got  %s\nwant %s", tt.got, tt.want)
		}
	}
	var back Spans
	if err := json.Unmarshal(AppendSpans(nil, "r1", spans), &back); err != nil || !reflect.DeepEqual(back.Spans, spans) {
		t.Errorf("spans do not round-trip: %+v, %v", back, err)
	}
	hello := string(Encode(NewHello(info.New(workload.Machine{Where: "native", Cores: 2}, []workload.Variant{workload.Pool}))))
	if !strings.HasPrefix(hello, `{"type":"hello","protocol":1,"info":{"version":`) {
		t.Errorf("hello = %s", hello)
	}
}

// The value bound follows MaxPresetLen: a preset name of that length reaches Resolve (which
// says whether it is a preset), one byte more is refused here; every real preset fits.
func TestDecodeValueBoundFitsThePresetNames(t *testing.T) {
	for _, p := range workload.Presets {
		if len(p.Name) > MaxPresetLen {
			t.Errorf("preset %q is longer than MaxPresetLen %d", p.Name, MaxPresetLen)
		}
	}
	run := func(preset string) string {
		return `{"type":"run","id":"r","job":{"preset":"` + preset + `"}}`
	}
	longest := strings.Repeat("p", MaxPresetLen)
	if m, err := Decode([]byte(run(longest))); err != nil || m.(Run).Job.Preset != longest {
		t.Errorf("a preset name of MaxPresetLen (%d) bytes: %v, %v", MaxPresetLen, m, err)
	}
	var de *DecodeError
	if _, err := Decode([]byte(run(longest + "p"))); !errors.As(err, &de) || de.Field != "preset" || !strings.Contains(de.Reason, "too long") {
		t.Errorf("a preset name of MaxPresetLen+1 bytes: %v, want preset: … too long", err)
	}
	if _, err := Decode([]byte(`{"type":"run","id":"r","job":{"n":-9223372036854775808}}`)); err != nil {
		t.Errorf("the smallest int64: %v", err)
	}
}
