// Package trace records what each worker of a run did and when, as spans, cheaply enough to
// leave on for every run, and hands them out in batches while the run goes on. Package
// chrometrace exports them as Chrome Trace Event JSON, which Perfetto opens.
package trace

import (
	"errors"
	"strconv"
	"strings"
)

// State is what a worker was doing during a span.
type State uint8

// Compute is "run" on the wire and in the page: the word the protocol started with. In Go it is
// Compute, because a run is an execution of a spec (the glossary in package workload).
const (
	Compute State = iota // computing (blue)
	Wait                 // waiting on I/O or on a lock (red)
	Spawn                // starting up: a process and its initializer (grey)
)

var stateNames = [...]string{Compute: "run", Wait: "wait", Spawn: "spawn"}

func (s State) String() string {
	if int(s) < len(stateNames) {
		return stateNames[s]
	}
	return "state(" + strconv.Itoa(int(s)) + ")"
}

// ParseState is the inverse of String.
func ParseState(name string) (State, error) {
	for i, n := range stateNames {
		if n == name {
			return State(i), nil
		}
	}
	return 0, errors.New("state: " + strconv.Quote(name) + " is not one of run, wait, spawn")
}

// NoTask marks a span that belongs to no task, such as a process starting.
const NoTask = -1

// Span is one stretch of one lane's time. A lane is a row of the timeline: a worker (goroutine,
// process), or one of an event loop's connections or slots. Start and End are nanoseconds from
// the start of the run. Its JSON is the compact array the protocol streams:
// [lane, task, "run", start, end] (the protocol's first element is still called worker).
type Span struct {
	Lane  int32
	Task  int32
	State State
	Start int64
	End   int64
}

// AppendJSON appends the span's JSON array to b without allocating.
func (s Span) AppendJSON(b []byte) []byte {
	b = append(b, '[')
	b = strconv.AppendInt(b, int64(s.Lane), 10)
	b = append(b, ',')
	b = strconv.AppendInt(b, int64(s.Task), 10)
	b = append(b, ",\""...)
	b = append(b, s.State.String()...)
	b = append(b, "\","...)
	b = strconv.AppendInt(b, s.Start, 10)
	b = append(b, ',')
	b = strconv.AppendInt(b, s.End, 10)
	return append(b, ']')
}

func (s Span) MarshalJSON() ([]byte, error) { return s.AppendJSON(nil), nil }

var errSpanShape = errors.New("span: want [worker, task, state, start, end]")

// UnmarshalJSON reads the array AppendJSON writes. It is written out with strconv, as the rest
// of the package, so that the browser engine, which links this package, does not link
// encoding/json: a tenth of its wasm.
func (s *Span) UnmarshalJSON(b []byte) error {
	text := strings.TrimSpace(string(b))
	inner, ok := strings.CutPrefix(text, "[")
	if inner, ok = strings.CutSuffix(inner, "]"); !ok {
		return errSpanShape
	}
	parts := strings.Split(inner, ",")
	if len(parts) != 5 {
		return errSpanShape
	}
	var nums [4]int64
	for i, p := range []string{parts[0], parts[1], parts[3], parts[4]} {
		n, err := strconv.ParseInt(strings.TrimSpace(p), 10, 64)
		if err != nil {
			return errors.Join(errSpanShape, err)
		}
		nums[i] = n
	}
	if nums[0] != int64(int32(nums[0])) || nums[1] != int64(int32(nums[1])) {
		return errors.Join(errSpanShape, errors.New("worker or task out of range"))
	}
	name, err := strconv.Unquote(strings.TrimSpace(parts[2]))
	if err != nil {
		return errors.Join(errSpanShape, err)
	}
	st, err := ParseState(name)
	if err != nil {
		return err
	}
	*s = Span{Lane: int32(nums[0]), Task: int32(nums[1]), State: st, Start: nums[2], End: nums[3]}
	return nil
}
