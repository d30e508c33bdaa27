package trace

import (
	"encoding/json"
	"sync"
	"testing"
)

func TestSpanJSONRoundTrip(t *testing.T) {
	s := Span{Lane: 3, Task: NoTask, State: Spawn, Start: 12, End: 3_400_000}
	b, _ := json.Marshal(s)
	if string(b) != `[3,-1,"spawn",12,3400000]` {
		t.Errorf("span JSON = %s", b)
	}
	var back Span
	if err := json.Unmarshal(b, &back); err != nil || back != s {
		t.Errorf("round trip: %+v, %v", back, err)
	}
	if err := json.Unmarshal([]byte(` [ 3 , -1 , "spawn" , 12 , 3400000 ] `), &back); err != nil || back != s {
		t.Errorf("spaced span: %+v, %v", back, err)
	}
	for _, bad := range []string{`[4294967296,1,"run",3,4]`, `[1,2,run,3,4]`, `[1,2,"run",3,4`, `[1,2,"nap",3,4]`, `[1,2,"run"]`, `[1,2,"run",3,4,5]`, `{"worker":1}`, `[1,"x","run",3,4]`} {
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
				r.Record(w, task, Compute, r.Now())
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

func BenchmarkRecorderAdd(b *testing.B) {
	r := NewRecorder(1 << 30)
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			r.Record(1, 2, Compute, 0)
		}
	})
}

func BenchmarkSpanAppendJSON(b *testing.B) {
	buf := make([]byte, 0, 64)
	s := Span{Lane: 12, Task: 3456, State: Wait, Start: 123456789, End: 987654321}
	for b.Loop() {
		buf = s.AppendJSON(buf[:0])
	}
}
