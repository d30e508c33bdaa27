package chrometrace

import (
	"bytes"
	"encoding/json"
	"testing"

	"concurrency-playground/internal/trace"
)

func TestChromeTraceParsesAndHoldsEverySpan(t *testing.T) {
	var spans []trace.Span
	for i := range 5000 {
		spans = append(spans, trace.Span{Lane: int32(i % 7), Task: int32(i), State: trace.State(i % 3), Start: int64(i) * 1001, End: int64(i)*1001 + 999})
	}
	var buf bytes.Buffer
	err := Write(&buf, spans, Meta{Process: `cpu_mp: "cpu" / process`, Lane: "process", Other: map[string]any{"n": 5}})
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		TraceEvents []struct {
			Ph   string         `json:"ph"`
			Tid  int            `json:"tid"`
			Cat  string         `json:"cat"`
			Name string         `json:"name"`
			Ts   float64        `json:"ts"`
			Dur  float64        `json:"dur"`
			Args map[string]any `json:"args"`
		} `json:"traceEvents"`
		OtherData map[string]any `json:"otherData"`
	}
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	complete, lanes := 0, 0
	for _, e := range doc.TraceEvents {
		switch e.Ph {
		case "X":
			s := spans[complete]
			if e.Tid != int(s.Lane) || e.Cat != s.State.String() || e.Ts != float64(s.Start)/1000 || e.Dur != 0.999 {
				t.Fatalf("event %d = %+v, from span %+v", complete, e, s)
			}
			complete++
		case "M":
			if e.Name == "thread_name" {
				lanes++
			}
		}
	}
	if complete != len(spans) || lanes != 7 || doc.OtherData["n"] != float64(5) {
		t.Errorf("%d complete events for %d spans, %d lanes named (want 7), otherData %v", complete, len(spans), lanes, doc.OtherData)
	}
}
