package cpython

import (
	"bufio"
	"encoding/json"
	"fmt"
	"strconv"
	"sync/atomic"

	"concurrency-playground/internal/trace"
	"concurrency-playground/internal/workload"
)

// record is one line of the runner's trace (site/python/_runner.py): a repeat's start, a
// task, a worker process's start-up, a repeat's end, or an error.
type record struct {
	Repeat  *int            `json:"repeat"`
	T0      int64           `json:"t0"`
	End     *int64          `json:"end"`
	Counter *int64          `json:"counter"`
	Lane    string          `json:"lane"`
	Key     json.RawMessage `json:"key"`
	S       int64           `json:"s"`
	E       int64           `json:"e"`
	R       *string         `json:"r"`
	PID     int             `json:"pid"`
	Spawn   []int64         `json:"spawn"`
	Error   *string         `json:"error"`
}

// stream turns the runner's records into one repeat's spans and result at a time.
type stream struct {
	spec    workload.Spec
	rec     *trace.Recorder
	done    *atomic.Int64
	sc      *bufio.Scanner
	farmURL string
}

// repeatState is what one repeat has seen so far.
type repeatState struct {
	t0, from int64
	lanes    map[string]int
	results  []string
	byKey    map[string][]int // the tasks a key (n, url) may still be: equal keys, equal results
	next     int              // race: its tasks have no key, they are numbered as they end
	perPID   map[int]int64    // race, processes: each process's own counter
	pids     []int
}

// repeat reads one repeat's records and returns its result: the spans are recorded from the
// run clock's time from, which is the repeat's start (t0) on the interpreter's clock.
func (st *stream) repeat(from int64) (workload.Result, error) {
	first, err := st.read()
	if err != nil {
		return workload.Result{}, err
	}
	if first.Repeat == nil {
		return workload.Result{}, fmt.Errorf("python: the runner did not start a repeat")
	}
	r := &repeatState{t0: first.T0, from: from, lanes: map[string]int{},
		results: make([]string, st.spec.Tasks), byKey: st.keys(), perPID: map[int]int64{}}
	for {
		rec, err := st.read()
		if err != nil {
			return workload.Result{}, err
		}
		switch {
		case rec.End != nil:
			return st.finish(r, *rec.End, rec.Counter)
		case rec.Spawn != nil:
			if len(rec.Spawn) == 2 {
				st.rec.Add(trace.Span{Lane: int32(r.lane(rec.Lane)), Task: trace.NoTask, State: trace.Spawn,
					Start: r.at(max(rec.Spawn[0], r.t0)), End: r.at(rec.Spawn[1])})
			}
		default:
			if err := st.task(r, rec); err != nil {
				return workload.Result{}, err
			}
		}
	}
}

// read is the next record; an error record ends the run with its message.
func (st *stream) read() (record, error) {
	if !st.sc.Scan() {
		return record{}, errEnded
	}
	var rec record
	if err := json.Unmarshal(st.sc.Bytes(), &rec); err != nil {
		return record{}, fmt.Errorf("python: the runner wrote %q, not a record", clip(st.sc.Text()))
	}
	if rec.Error != nil {
		return record{}, scriptError(*rec.Error)
	}
	return rec, nil
}

// task records one finished task: its span on its lane, and its result.
func (st *stream) task(r *repeatState, rec record) error {
	task, err := st.number(r, rec.Key)
	if err != nil {
		return err
	}
	state := trace.Compute
	if st.spec.Waits() {
		state = trace.Wait
	}
	st.rec.Add(trace.Span{Lane: int32(r.lane(rec.Lane)), Task: int32(task), State: state, Start: r.at(rec.S), End: r.at(rec.E)})
	switch st.spec.Experiment {
	case workload.Race:
		// The task made its hundred increments, whatever the counter says: the lost ones
		// are the race's outcome, not the task's result (as in Go's runs).
		r.results[task] = strconv.Itoa(workload.IncrementsPerTask)
		if rec.R != nil && st.spec.Variant == workload.Process {
			n, _ := strconv.ParseInt(*rec.R, 10, 64)
			if _, seen := r.perPID[rec.PID]; !seen {
				r.pids = append(r.pids, rec.PID)
			}
			r.perPID[rec.PID] = max(r.perPID[rec.PID], n)
		}
	default:
		if rec.R == nil {
			return fmt.Errorf("python: task %d returned no number", task)
		}
		r.results[task] = *rec.R
	}
	st.done.Add(1)
	return nil
}

// number is the task a record's key stands for: the task n - N for a sum of n, the next task
// of that URL for a download (tasks with one URL give one result), the next task in the race.
func (st *stream) number(r *repeatState, raw []byte) (int, error) {
	if st.spec.Experiment == workload.Race {
		if r.next >= st.spec.Tasks {
			return 0, fmt.Errorf("python: more than %d tasks ran", st.spec.Tasks)
		}
		r.next++
		return r.next - 1, nil
	}
	key := string(raw)
	if st.spec.Experiment == workload.IO {
		var url string
		json.Unmarshal(raw, &url)
		key = url
	}
	tasks := r.byKey[key]
	if len(tasks) == 0 {
		return 0, fmt.Errorf("python: a task of key %s that this run did not give, or ran twice", clip(string(raw)))
	}
	r.byKey[key] = tasks[1:]
	return tasks[0], nil
}

// keys maps each task's key to the tasks that have it, in order.
func (st *stream) keys() map[string][]int {
	s := st.spec
	m := map[string][]int{}
	for task := range s.Tasks {
		switch s.Experiment {
		case workload.CPU:
			k := strconv.FormatInt(s.N+int64(task), 10)
			m[k] = append(m[k], task)
		case workload.IO:
			k := s.TaskURL(st.farmURL, task)
			m[k] = append(m[k], task)
		}
	}
	return m
}

// finish checks every task gave a result and assembles the repeat's result.
func (st *stream) finish(r *repeatState, end int64, counter *int64) (workload.Result, error) {
	for task, res := range r.results {
		if res == "" {
			return workload.Result{}, fmt.Errorf("python: task %d gave no result", task)
		}
	}
	m := workload.ThisMachine(Where)
	res := workload.NewResult(st.spec, m, timeNS(end-r.t0), r.results)
	if st.spec.Experiment == workload.Race {
		var counted int64
		if counter != nil {
			counted = *counter
		}
		if st.spec.Variant == workload.Process {
			parent := counted
			counted = 0
			per := make([]int64, len(r.pids))
			for i, pid := range r.pids {
				per[i] = r.perPID[pid]
				counted += per[i]
			}
			res.Race = workload.NewRaceOutcome(st.spec, counted)
			res.Race.Processes, res.Race.Parent = per, &parent
		} else {
			res.Race = workload.NewRaceOutcome(st.spec, counted)
		}
	}
	return res, nil
}

// lane is the timeline's lane of a runner's lane name (a process and thread, or an event
// loop's slot), numbered in the order they first appear in the repeat.
func (r *repeatState) lane(name string) int {
	n, ok := r.lanes[name]
	if !ok {
		n = len(r.lanes)
		r.lanes[name] = n
	}
	return n
}

// at is a time of the interpreter's clock on the run's clock.
func (r *repeatState) at(t int64) int64 { return r.from + t - r.t0 }

func clip(s string) string {
	if len(s) > 80 {
		return s[:80] + "…"
	}
	return s
}
