package workload

import "sync"

// Batch is tasks [From, To) of a run, handed to one worker process at once.
type Batch struct {
	From int `json:"from"`
	To   int `json:"to"`
}

// Handout hands one run's (or one repeat's) tasks to a pool of worker processes in batches. It
// is the one rule of both process pools, the native one (package procpool) and the browser's
// (the page takes its batch size from the engine, and keeps Take's rule in
// site/src/engine/handout.ts), so that the page compares them as one lesson:
//
//   - a batch is one task for I/O and CPU, so the last tasks end near together on every
//     process; the race's tiny tasks (100 increments) go in Pool.map's chunks, a quarter of a
//     process's share (BatchSize), where a message per task would cost more than the task;
//   - each process runs one batch at a time, in order. Once it has answered a batch (it runs:
//     others may still be starting), it may hold one batch besides the one it runs, while more
//     batches are left than there are processes: it starts that one the moment it answers the
//     last, instead of idling for a round trip (tens of µs over a pipe, about 1 ms between Web
//     Workers while the page draws). Near the end a process holds only the batch it runs, so
//     the last batches go to whichever process is free first, as Pool.map's do.
//
// It is safe for concurrent use: every process's feeder takes from the same Handout.
type Handout struct {
	mu                      sync.Mutex
	tasks, batch, processes int
	next                    int // the first task not handed out yet
}

// NewHandout hands out spec s's tasks to its s.Workers processes.
func NewHandout(s Spec) *Handout {
	return &Handout{tasks: s.Tasks, batch: BatchSize(s), processes: max(1, s.Workers)}
}

// BatchSize is how many tasks a process gets at once: one for I/O and CPU; for the race,
// Pool.map's default chunk size, the tasks over four times the processes, rounded up.
func BatchSize(s Spec) int {
	if s.Experiment != Race {
		return 1
	}
	per := 4 * max(1, s.Workers)
	return max(1, (s.Tasks+per-1)/per)
}

// Take is the next batch for a process that holds held batches (the one it runs and any it
// holds next) and has answered answered batches so far; false when it may take none now:
// none are left, or it holds enough.
func (h *Handout) Take(held, answered int) (Batch, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.next >= h.tasks {
		return Batch{}, false
	}
	most := 1
	if answered > 0 && h.left() > h.processes {
		most = 2
	}
	if held >= most {
		return Batch{}, false
	}
	b := Batch{From: h.next, To: min(h.tasks, h.next+h.batch)}
	h.next = b.To
	return b, true
}

// Left is how many batches are not handed out yet.
func (h *Handout) Left() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.left()
}

func (h *Handout) left() int { return (h.tasks - h.next + h.batch - 1) / h.batch }
