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
//
// A recorder keeps every span (NewRecorder: the CLI writes them to a trace file) or only the
// spans not yet streamed (NewStreamRecorder: the server, whose client has the rest).
type Recorder struct {
	start  time.Time
	limit  int  // spans kept at most: over it a keeping recorder drops, a streaming one coarsens
	stream bool // forget the spans Next handed out

	mu        sync.Mutex
	spans     []Span
	taken     int // spans[:taken] were handed out by Next
	recorded  int // every span Add was given
	dropped   int // spans over the limit, not kept
	coarsened int // spans merged into their lane's neighbour while they waited to be streamed
}

// NewRecorder starts a recorder that keeps every span, whose clock starts now. limit <= 0
// means DefaultLimit.
func NewRecorder(limit int) *Recorder {
	if limit <= 0 {
		limit = DefaultLimit
	}
	return &Recorder{start: time.Now(), limit: limit, spans: make([]Span, 0, 1024)}
}

// StreamLimit bounds the spans a streaming recorder holds for a client that reads more slowly
// than the run records: 8 MiB of spans (32 bytes each). Over it the waiting spans are coarsened,
// so a run's memory stays bounded however slowly its client reads.
const StreamLimit = 1 << 18

// NewStreamRecorder starts a recorder whose spans are handed out once, by Next, and then
// forgotten. When more than limit spans (limit <= 0: StreamLimit) wait to be handed out, the
// client has fallen behind: the waiting spans are coarsened, each lane's in pairs (see
// coarsen), which about halves them; Coarsened counts the spans merged away. limit must
// exceed twice the number of lanes, or coarsening cannot halve and spans are dropped.
func NewStreamRecorder(limit int) *Recorder {
	if limit <= 0 {
		limit = StreamLimit
	}
	return &Recorder{start: time.Now(), limit: limit, stream: true, spans: make([]Span, 0, 1024)}
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
	r.recorded++
	if r.stream && len(r.spans) >= r.limit {
		r.makeRoom()
	}
	if len(r.spans) < r.limit {
		r.spans = append(r.spans, s)
	} else {
		r.dropped++
	}
	r.mu.Unlock()
}

// makeRoom frees at least half of a full streaming recorder: it forgets the spans handed out,
// moving the waiting ones to the front, and when those are more than half the limit (the
// client has fallen behind), coarsens them.
func (r *Recorder) makeRoom() {
	n := copy(r.spans, r.spans[r.taken:])
	r.spans, r.taken = r.spans[:n], 0
	if n > r.limit/2 {
		r.spans = coarsen(r.spans)
		r.coarsened += n - len(r.spans)
	}
}

// coarsen merges each lane's spans in pairs, in the order they were recorded, which for one
// lane is the order of time: a span and the next one of its lane become one span from the
// first's start to the later end, in the state of the longer of the two, carrying the first's
// task. The timeline keeps each lane's busy stretches and loses the boundaries inside them.
// It works in place, in one pass, and keeps the spans' order.
func coarsen(spans []Span) []Span {
	open := map[int32]int{} // lane → index in out of its span waiting for a partner
	out := spans[:0]
	for _, s := range spans {
		i, ok := open[s.Lane]
		if !ok {
			open[s.Lane] = len(out)
			out = append(out, s)
			continue
		}
		a := &out[i]
		if s.End-s.Start > a.End-a.Start {
			a.State = s.State
		}
		a.Start, a.End = min(a.Start, s.Start), max(a.End, s.End)
		delete(open, s.Lane)
	}
	return out
}

// Record records a span of lane's time on task that started at start and ends now.
func (r *Recorder) Record(lane, task int, state State, start int64) {
	r.Add(Span{Lane: int32(lane), Task: int32(task), State: state, Start: start, End: r.Now()})
}

// Next appends to dst the spans recorded since the previous call, at most most of them
// (most <= 0: all), and returns it: the next batch to stream. A streaming recorder forgets them.
func (r *Recorder) Next(dst []Span, most int) []Span {
	r.mu.Lock()
	defer r.mu.Unlock()
	end := len(r.spans)
	if most > 0 {
		end = min(end, r.taken+most)
	}
	dst = append(dst, r.spans[r.taken:end]...)
	r.taken = end
	if r.stream && r.taken == len(r.spans) { // all streamed: start the slice over
		r.spans, r.taken = r.spans[:0], 0
	}
	return dst
}

// Spans returns a copy of every span recorded.
func (r *Recorder) Spans() []Span {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Span(nil), r.spans...)
}

// Len is the number of spans recorded and not dropped (kept, or streamed); Dropped the number
// over the limit; Coarsened the number a streaming recorder merged into others.
func (r *Recorder) Len() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.recorded - r.dropped
}

// Waiting is the number of spans Next has not handed out yet.
func (r *Recorder) Waiting() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.spans) - r.taken
}

func (r *Recorder) Coarsened() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.coarsened
}

func (r *Recorder) Dropped() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.dropped
}
