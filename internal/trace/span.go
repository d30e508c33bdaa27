// Package trace records what each worker of a run did and when, as spans, cheaply enough to
// leave on for every run, hands them out in batches while the run goes on, and exports them as
// Chrome Trace Event JSON, which Perfetto and chrome://tracing open.
package trace

import (
	"encoding/json"
	"errors"
	"strconv"
)

// State is what a worker was doing during a span.
type State uint8

const (
	Run   State = iota // computing (blue)
	Wait               // waiting on I/O or on a lock (red)
	Spawn              // starting up: a process and its initializer (grey)
)

var stateNames = [...]string{Run: "run", Wait: "wait", Spawn: "spawn"}

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

// Span is one stretch of one worker's time. Start and End are nanoseconds from the start of
// the run. Its JSON is the compact array the protocol streams: [worker, task, "run", start, end].
type Span struct {
	Worker int32
	Task   int32
	State  State
	Start  int64
	End    int64
}

// AppendJSON appends the span's JSON array to b without allocating.
func (s Span) AppendJSON(b []byte) []byte {
	b = append(b, '[')
	b = strconv.AppendInt(b, int64(s.Worker), 10)
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

func (s *Span) UnmarshalJSON(b []byte) error {
	var raw []json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return errors.Join(errSpanShape, err)
	}
	if len(raw) != 5 {
		return errSpanShape
	}
	var name string
	errs := []error{
		json.Unmarshal(raw[0], &s.Worker), json.Unmarshal(raw[1], &s.Task),
		json.Unmarshal(raw[2], &name), json.Unmarshal(raw[3], &s.Start), json.Unmarshal(raw[4], &s.End),
	}
	for _, err := range errs {
		if err != nil {
			return errors.Join(errSpanShape, err)
		}
	}
	st, err := ParseState(name)
	s.State = st
	return err
}
