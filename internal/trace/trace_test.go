package trace

import (
	"bytes"
	"encoding/json"
	"sync"
	"testing"
)

func TestSpanJSONRoundTrip(t *testing.T) {
	s := Span{Worker: 3, Task: NoTask, State: Spawn, Start: 12, End: 3_400_000}
	b, _ := json.Marshal(s)
	if string(b) != `[3,-1,"spawn",12,3400000]` {
		t.Errorf("span JSON = %s", b)
	}
	var back Span
	if err := json.Unmarshal(b, &back); err != nil || back != s {
		t.Errorf("round trip: %+v, %v", back, err)
	}
	for _, bad := range []string{`[1,2,"nap",3,4]`, `[1,2,"run"]`, `[1,2,"run",3,4,5]`, `{"worker":1}`, `[1,"x","run",3,4]`} {
		if err := json.Unmarshal([]byte(bad), &back); err == nil {
			t.Errorf("%s decoded without error", bad)
		}
	}
}

func TestRecorderBatchesHandOutEverySpanOnce(t *testing.T) {
	r := NewRecorder(0)
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Go(func() {
			for task := range 1000 {
				r.Record(w, task, Run, r.Now())
			}
		})
	}
	seen := 0
	var batch []Span
	for range 50 {
		batch = r.Next(batch[:0])
		seen += len(batch)
	}
	wg.Wait()
	seen += len(r.Next(nil))
	if seen != 8000 || r.Len() != 8000 || len(r.Spans()) != 8000 {
		t.Errorf("batches held %d spans, recorder %d, want 8000 each", seen, r.Len())
	}
	if n := len(r.Next(nil)); n != 0 {
		t.Errorf("a drained recorder handed out %d more spans", n)
	}
}

func TestRecorderLimitCountsDrops(t *testing.T) {
	r := NewRecorder(10)
	for i := range 15 {
		r.Add(Span{Task: int32(i)})
	}
	if r.Len() != 10 || r.Dropped() != 5 {
		t.Errorf("len %d dropped %d, want 10 and 5", r.Len(), r.Dropped())
	}
}

func TestChromeTraceParsesAndHoldsEverySpan(t *testing.T) {
	var spans []Span
	for i := range 5000 {
		spans = append(spans, Span{Worker: int32(i % 7), Task: int32(i), State: State(i % 3), Start: int64(i) * 1001, End: int64(i)*1001 + 999})
	}
	var buf bytes.Buffer
	err := WriteChrome(&buf, spans, ChromeMeta{Process: `cpu_mp: "cpu" / process`, Lane: "process", Other: map[string]any{"n": 5}})
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
			if e.Tid != int(s.Worker) || e.Cat != s.State.String() || e.Ts != float64(s.Start)/1000 || e.Dur != 0.999 {
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

func BenchmarkRecorderAdd(b *testing.B) {
	r := NewRecorder(1 << 30)
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			r.Record(1, 2, Run, 0)
		}
	})
}

func BenchmarkSpanAppendJSON(b *testing.B) {
	buf := make([]byte, 0, 64)
	s := Span{Worker: 12, Task: 3456, State: Wait, Start: 123456789, End: 987654321}
	for b.Loop() {
		buf = s.AppendJSON(buf[:0])
	}
}
