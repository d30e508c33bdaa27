package workload

import (
	"slices"
	"sync"
	"testing"
)

func raceSpec(tasks, workers int) Spec {
	return Spec{Experiment: Race, Variant: Process, Tasks: tasks, Workers: workers}
}

func cpuSpec(tasks, workers int) Spec {
	return Spec{Experiment: CPU, Variant: Process, Tasks: tasks, Workers: workers}
}

func TestBatchSize(t *testing.T) {
	for _, c := range []struct {
		s    Spec
		want int
	}{
		{cpuSpec(20, 2), 1},
		{Spec{Experiment: IO, Tasks: 160, Workers: 2}, 1},
		{raceSpec(5000, 2), 625}, // Pool.map: divmod(5000, 8) → 625
		{raceSpec(5001, 2), 626}, // a remainder rounds up
		{raceSpec(3, 4), 1},
		{raceSpec(0, 4), 1},
	} {
		if got := BatchSize(c.s); got != c.want {
			t.Errorf("BatchSize(%s, %d tasks, %d workers) = %d, want %d", c.s.Experiment, c.s.Tasks, c.s.Workers, got, c.want)
		}
	}
}

func TestHandoutEveryTaskOnceInOrder(t *testing.T) {
	h := &Handout{tasks: 10, batch: 3, processes: 2}
	var got []Batch
	for b, ok := h.Take(0, 0); ok; b, ok = h.Take(0, 0) {
		got = append(got, b)
	}
	want := []Batch{{0, 3}, {3, 6}, {6, 9}, {9, 10}}
	if !slices.Equal(got, want) || h.Left() != 0 {
		t.Errorf("batches %v (left %d), want %v (left 0)", got, h.Left(), want)
	}
}

func TestHandoutLookAheadAfterTheFirstAnswer(t *testing.T) {
	h := NewHandout(cpuSpec(20, 2))
	steps := []struct {
		held, answered int
		want           Batch
		ok             bool
		why            string
	}{
		{0, 0, Batch{0, 1}, true, "the first batch"},
		{1, 0, Batch{}, false, "not a second before its first answer: others may still be starting"},
		{0, 1, Batch{1, 2}, true, "after its answer"},
		{1, 1, Batch{2, 3}, true, "one besides the one it runs"},
		{2, 1, Batch{}, false, "never three"},
	}
	for _, s := range steps {
		if b, ok := h.Take(s.held, s.answered); b != s.want || ok != s.ok {
			t.Errorf("Take(%d, %d) = %v, %v; want %v, %v: %s", s.held, s.answered, b, ok, s.want, s.ok, s.why)
		}
	}
}

func TestHandoutNearTheEndOneBatchEach(t *testing.T) {
	h := NewHandout(cpuSpec(5, 2))
	h.Take(0, 0)
	h.Take(0, 0)
	h.Take(0, 1)
	if h.Left() != 2 {
		t.Fatalf("left %d, want 2", h.Left())
	}
	if _, ok := h.Take(1, 1); ok {
		t.Error("2 batches left for 2 processes: whoever is free first takes each, none holds two")
	}
	if b, ok := h.Take(0, 1); !ok || b != (Batch{3, 4}) {
		t.Errorf("a free process takes %v, %v; want [3, 4)", b, ok)
	}
}

// simulate runs a pool on h, process p taking cost[p] to run a task and answering at once: the
// batches each process ran, and when each ended.
func simulate(h *Handout, cost []int) (ran [][]Batch, ended []int) {
	n := len(cost)
	ran, ended = make([][]Batch, n), make([]int, n)
	held, answered := make([][]Batch, n), make([]int, n)
	fill := func(p int) {
		for b, ok := h.Take(len(held[p]), answered[p]); ok; b, ok = h.Take(len(held[p]), answered[p]) {
			held[p] = append(held[p], b)
		}
	}
	for p := range n {
		fill(p)
	}
	ends := func(p int) int { return ended[p] + (held[p][0].To-held[p][0].From)*cost[p] }
	for {
		p := -1
		for q := range n {
			if len(held[q]) > 0 && (p < 0 || ends(q) < ends(p)) {
				p = q
			}
		}
		if p < 0 {
			return ran, ended
		}
		ended[p] = ends(p)
		ran[p] = append(ran[p], held[p][0])
		held[p] = held[p][1:]
		answered[p]++
		fill(p)
	}
}

func tasksRan(ran [][]Batch) []int {
	var tasks []int
	for _, bs := range ran {
		for _, b := range bs {
			for t := b.From; t < b.To; t++ {
				tasks = append(tasks, t)
			}
		}
	}
	slices.Sort(tasks)
	return tasks
}

func TestHandoutEqualProcessesShareEvenly(t *testing.T) {
	ran, ended := simulate(NewHandout(cpuSpec(20, 2)), []int{30, 30})
	if len(ran[0]) != 10 || len(ran[1]) != 10 || ended[0] != 300 || ended[1] != 300 {
		t.Errorf("ran %d and %d tasks, ended at %v; want 10 each, at 300", len(ran[0]), len(ran[1]), ended)
	}
	if got := tasksRan(ran); len(got) != 20 || got[0] != 0 || got[19] != 19 {
		t.Errorf("tasks ran %v, want 0..19 once each", got)
	}
}

// However uneven the processes, none idles at the end for longer than the slowest one's task.
func TestHandoutSlowProcessAtMostOneTaskBehind(t *testing.T) {
	for _, cost := range [][]int{{30, 45}, {30, 31}, {45, 30, 30}, {30, 60, 33, 31}} {
		for _, tasks := range []int{5, 20, 21, 100} {
			ran, ended := simulate(NewHandout(cpuSpec(tasks, len(cost))), cost)
			if got := len(tasksRan(ran)); got != tasks {
				t.Errorf("%v × %d: %d tasks ran", cost, tasks, got)
			}
			last := slices.Max(ended)
			for p, e := range ended {
				if last-e > slices.Max(cost) {
					t.Errorf("%v × %d: process %d idles %d at the end", cost, tasks, p, last-e)
				}
			}
		}
	}
}

func TestHandoutRaceInPoolMapChunks(t *testing.T) {
	ran, _ := simulate(NewHandout(raceSpec(5000, 2)), []int{1, 1})
	if n := len(ran[0]) + len(ran[1]); n != 8 {
		t.Errorf("%d batches, want Pool.map's four a process: 8", n)
	}
	if got := len(tasksRan(ran)); got != 5000 {
		t.Errorf("%d tasks ran, want 5000", got)
	}
}

// Feeders of many processes take at once (go test -race): every task still goes out once.
func TestHandoutConcurrentTakes(t *testing.T) {
	h := NewHandout(cpuSpec(1000, 8))
	var mu sync.Mutex
	var all []Batch
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for b, ok := h.Take(0, 0); ok; b, ok = h.Take(0, 0) {
				mu.Lock()
				all = append(all, b)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if got := tasksRan([][]Batch{all}); len(got) != 1000 || got[999] != 999 {
		t.Errorf("%d tasks handed out, want 1000 once each", len(got))
	}
}
