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
		batch = r.Next(batch[:0], 0)
		seen += len(batch)
	}
	wg.Wait()
	seen += len(r.Next(nil, 0))
	if seen != 8000 || r.Len() != 8000 || len(r.Spans()) != 8000 {
		t.Errorf("batches held %d spans, recorder %d, want 8000 each", seen, r.Len())
	}
	if n := len(r.Next(nil, 0)); n != 0 {
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

// A streaming recorder whose spans are not taken holds at most its limit however many are
// recorded: it coarsens the waiting ones, lane by lane, and says how many it merged. What it
// hands out covers each lane's time as recorded, and every span is either handed out or
// counted as merged.
func TestStreamRecorderStaysWithinItsLimitByCoarsening(t *testing.T) {
	const lanes, perLane, limit = 8, 20_000, 1000
	r := NewStreamRecorder(limit)
	type extent struct{ start, end int64 }
	want := map[int32]extent{}
	var got []Span
	for i := range lanes * perLane {
		lane := int32(i % lanes)
		at := int64(i/lanes) * 100
		s := Span{Lane: lane, Task: int32(i), State: State(i % 2), Start: at, End: at + 60}
		r.Add(s)
		e, ok := want[lane]
		if !ok {
			e.start = s.Start
		}
		e.end = s.End
		want[lane] = e
		if w := r.Waiting(); w > limit {
			t.Fatalf("after %d spans %d wait, over the limit of %d", i+1, w, limit)
		}
		if i%50_000 == 0 { // a client that reads now and then, a little
			got = r.Next(got, 10)
		}
	}
	got = r.Next(got, 0)
	if r.Len() != lanes*perLane || r.Dropped() != 0 {
		t.Errorf("len %d dropped %d, want %d and 0", r.Len(), r.Dropped(), lanes*perLane)
	}
	if r.Coarsened() == 0 || len(got)+r.Coarsened() != lanes*perLane {
		t.Errorf("%d spans handed out and %d coarsened, want them to add up to %d, with some coarsened", len(got), r.Coarsened(), lanes*perLane)
	}
	seen := map[int32]extent{}
	last := map[int32]int64{}
	for _, s := range got {
		e, ok := seen[s.Lane]
		if !ok {
			e.start = s.Start
		} else if s.Start < last[s.Lane] {
			t.Fatalf("lane %d: a span starts at %d, before the previous one ends at %d", s.Lane, s.Start, last[s.Lane])
		}
		e.end, last[s.Lane] = s.End, s.End
		seen[s.Lane] = e
	}
	if len(seen) != lanes {
		t.Fatalf("spans of %d lanes handed out, want %d", len(seen), lanes)
	}
	for lane, e := range want {
		if seen[lane] != e {
			t.Errorf("lane %d covers %v, want %v as recorded", lane, seen[lane], e)
		}
	}
	if r.Waiting() != 0 || len(r.Next(nil, 0)) != 0 {
		t.Errorf("a drained streaming recorder still holds spans")
	}
}

// A streaming recorder forgets what it handed out: a client that keeps up costs no more than
// its batches, and nothing is coarsened.
func TestStreamRecorderForgetsWhatItHandedOut(t *testing.T) {
	r := NewStreamRecorder(100)
	var batch []Span
	for i := range 10_000 {
		r.Add(Span{Lane: int32(i % 3), Task: int32(i)})
		if i%10 == 9 {
			batch = r.Next(batch[:0], 0)
			if len(batch) != 10 || batch[0].Task != int32(i-9) {
				t.Fatalf("batch %v, want the 10 spans since the last", batch)
			}
		}
	}
	if r.Coarsened() != 0 || r.Len() != 10_000 || cap(r.spans) > 1024 {
		t.Errorf("coarsened %d, len %d, capacity %d; want 0, 10000 and no growth", r.Coarsened(), r.Len(), cap(r.spans))
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
