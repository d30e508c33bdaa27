package server

import (
	"sync"

	"concurrency-playground/internal/workload"
)

// MemoryLimit is the soft memory limit `native serve` sets (runtime/debug.SetMemoryLimit)
// unless GOMEMLIMIT says otherwise: the server at rest (about 19 MB) and the largest job
// (about 60 MB live, most of it 10,000 goroutines' stacks). Without it the collector lets
// the heap grow to twice what is live, and a job of 100,000 downloads took 105 MB over rest;
// at 80 MiB it took 67 MB, at 64 MiB 59 MB (TestTheWorstJobsInBounds…, an idle machine).
const MemoryLimit = 64 << 20

// lanes bounds the workers every run on the server holds together to what one job may have
// (workload.Limits.Workers): a worker is a goroutine of a few KB, its task's results and spans,
// and 10,000 of them cost some 60 MB. Four connections each running the 10,000-lane race held
// 300 MB and every run slot; now the first runs and the others are refused with code limit,
// while small runs (the page's, a handful of workers) still run beside a large one.
type lanes struct {
	mu   sync.Mutex
	used int
}

// lanesOf is the workers a run holds at once: never more than its tasks.
func lanesOf(s workload.Spec) int {
	if s.Variant == workload.Sequential {
		return 1
	}
	return max(1, min(s.Workers, s.Tasks))
}

func (l *lanes) take(n int) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.used+n > workload.Limits.Workers {
		return false
	}
	l.used += n
	return true
}

func (l *lanes) give(n int) {
	l.mu.Lock()
	l.used -= n
	l.mu.Unlock()
}

func (l *lanes) held() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.used
}
