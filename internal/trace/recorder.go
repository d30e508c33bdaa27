package trace

import (
	"sync"
	"time"
)

// DefaultLimit bounds the spans one run keeps: far above what the task limits produce in
// practice, low enough that a run cannot eat the server's memory (32 bytes a span).
const DefaultLimit = 1 << 20

// Recorder collects the spans of one run. Add appends to one growing slice under a mutex: no
// allocation per span beyond the slice's amortised growth, and a few tens of nanoseconds
// against tasks that take microseconds at the least. Batches are the spans not yet handed out.
type Recorder struct {
	start time.Time
	limit int

	mu      sync.Mutex
	spans   []Span
	taken   int // spans[:taken] were handed out by Next
	dropped int // spans over the limit
}

// NewRecorder starts a recorder whose clock starts now. limit <= 0 means DefaultLimit.
func NewRecorder(limit int) *Recorder {
	if limit <= 0 {
		limit = DefaultLimit
	}
	return &Recorder{start: time.Now(), limit: limit, spans: make([]Span, 0, 1024)}
}

// Start is the instant the run's times count from.
func (r *Recorder) Start() time.Time { return r.start }

// Now is the time since the start in nanoseconds, on the monotonic clock.
func (r *Recorder) Now() int64 { return int64(time.Since(r.start)) }

// At converts a wall-clock instant, such as one reported by another process, to run time.
func (r *Recorder) At(t time.Time) int64 { return t.Sub(r.start).Nanoseconds() }

// Add records one span.
func (r *Recorder) Add(s Span) {
	r.mu.Lock()
	if len(r.spans) < r.limit {
		r.spans = append(r.spans, s)
	} else {
		r.dropped++
	}
	r.mu.Unlock()
}

// Record records a span of lane's time on task that started at start and ends now.
func (r *Recorder) Record(lane, task int, state State, start int64) {
	r.Add(Span{Lane: int32(lane), Task: int32(task), State: state, Start: start, End: r.Now()})
}

// Next appends to dst the spans recorded since the previous call and returns it: the next
// batch to stream.
func (r *Recorder) Next(dst []Span) []Span {
	r.mu.Lock()
	dst = append(dst, r.spans[r.taken:]...)
	r.taken = len(r.spans)
	r.mu.Unlock()
	return dst
}

// Spans returns a copy of every span recorded.
func (r *Recorder) Spans() []Span {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Span(nil), r.spans...)
}

// Len is the number of spans kept; Dropped the number over the limit.
func (r *Recorder) Len() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.spans)
}

func (r *Recorder) Dropped() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.dropped
}
