// Package chrometrace writes a run's spans as Chrome Trace Event JSON, which Perfetto and
// chrome://tracing open. It is apart from package trace so that the browser engine, which
// records spans but never exports them, does not link encoding/json. The page writes the same
// shape itself (site/src/share/export.ts, chromeTrace) for any run it shows, engine loaded or not.
package chrometrace

import (
	"bufio"
	"encoding/json"
	"io"
	"strconv"

	"concurrency-playground/internal/trace"
)

// Meta names the trace in a viewer.
type Meta struct {
	Process string         // the process row's name, e.g. "cpu_mp: cpu / process"
	Lane    string         // what a lane is: "worker", "process", "connection"
	Other   map[string]any // free-form, shown as metadata (the spec, the machine)
}

// Write writes spans as Chrome Trace Event JSON (the "JSON object format"): one complete
// ("X") event per span, times in microseconds, a thread per lane, named. It streams, so a
// trace of a million spans does not need a second copy in memory.
func Write(w io.Writer, spans []trace.Span, meta Meta) error {
	bw := bufio.NewWriter(w)
	lane := meta.Lane
	if lane == "" {
		lane = "worker"
	}
	b := make([]byte, 0, 256)
	b = append(b, `{"displayTimeUnit":"ms","traceEvents":[`...)
	b = append(b, `{"ph":"M","pid":1,"tid":0,"name":"process_name","args":{"name":`...)
	b = appendString(b, meta.Process)
	b = append(b, "}}"...)
	seen := map[int32]bool{}
	for _, s := range spans {
		if !seen[s.Lane] {
			seen[s.Lane] = true
			b = append(b, `,{"ph":"M","pid":1,"tid":`...)
			b = strconv.AppendInt(b, int64(s.Lane), 10)
			b = append(b, `,"name":"thread_name","args":{"name":`...)
			b = appendString(b, lane+" "+strconv.Itoa(int(s.Lane)))
			b = append(b, "}}"...)
		}
		b = append(b, `,{"ph":"X","pid":1,"tid":`...)
		b = strconv.AppendInt(b, int64(s.Lane), 10)
		b = append(b, `,"cat":"`...)
		b = append(b, s.State.String()...)
		b = append(b, `","name":"`...)
		if s.Task == trace.NoTask {
			b = append(b, s.State.String()...)
		} else {
			b = append(b, "task "...)
			b = strconv.AppendInt(b, int64(s.Task), 10)
		}
		b = append(b, `","ts":`...)
		b = appendMicros(b, s.Start)
		b = append(b, `,"dur":`...)
		b = appendMicros(b, s.End-s.Start)
		b = append(b, `,"args":{"task":`...)
		b = strconv.AppendInt(b, int64(s.Task), 10)
		b = append(b, "}}"...)
		if len(b) > 32<<10 {
			if _, err := bw.Write(b); err != nil {
				return err
			}
			b = b[:0]
		}
	}
	b = append(b, `],"otherData":`...)
	other, err := json.Marshal(meta.Other)
	if err != nil {
		return err
	}
	b = append(b, other...)
	b = append(b, "}\n"...)
	if _, err := bw.Write(b); err != nil {
		return err
	}
	return bw.Flush()
}

// appendMicros writes nanoseconds as microseconds with three decimals, exactly.
func appendMicros(b []byte, ns int64) []byte {
	if ns < 0 {
		b = append(b, '-')
		ns = -ns
	}
	b = strconv.AppendInt(b, ns/1000, 10)
	frac := ns % 1000
	b = append(b, '.', byte('0'+frac/100), byte('0'+frac/10%10), byte('0'+frac%10))
	return b
}

func appendString(b []byte, s string) []byte {
	q, _ := json.Marshal(s)
	return append(b, q...)
}
