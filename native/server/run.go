package server

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"concurrency-playground/internal/protocol"
	"concurrency-playground/internal/trace"
	"concurrency-playground/internal/workload"
	"concurrency-playground/native/cpython"
	"concurrency-playground/native/runner"
)

// Why a run's context was cancelled, when it was not the run's own failure.
var (
	errCanceled     = errors.New("cancelled by the client")
	errShutdown     = errors.New("the server is shutting down")
	errDisconnected = errors.New("the client disconnected")
)

// activeRun is the run going on one connection.
type activeRun struct {
	id     string
	spec   workload.Spec
	python *cpython.Interpreter // the interpreter a CPython run runs in; nil: a Go run
	rec    *trace.Recorder
	done   atomic.Int64 // tasks finished, for progress
	ctx    context.Context
	cancel context.CancelCauseFunc
	finish func() // frees the connection and the server's run slot; idempotent
}

// startRun answers a run message: busy, invalid, limit, or a run started in the background.
func (c *conn) startRun(m protocol.Run) {
	ar, code, why := c.reserve(m)
	if ar == nil {
		c.send(errorMsg(m.ID, code, why))
		return
	}
	// The start is queued outside the lock: the writer takes the lock to free a finished run.
	if !c.send(outgoing{start: ar}) {
		ar.finish()
		return
	}
	c.runsWG.Go(func() { c.execute(ar) })
}

// reserve takes the connection's and a server-wide run slot for m, or says why not.
func (c *conn) reserve(m protocol.Run) (*activeRun, protocol.Code, string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	select {
	case <-c.leaving:
		return nil, protocol.CodeCanceled, errShutdown.Error()
	default:
	}
	if c.run != nil {
		return nil, protocol.CodeBusy, fmt.Sprintf("run %s is still going; one run at a time per connection: cancel it or wait for its result", c.run.id)
	}
	spec, err := m.Job.Resolve(runtime.NumCPU())
	if err != nil {
		return nil, protocol.CodeInvalid, err.Error()
	}
	var py *cpython.Interpreter
	if m.Job.Python != "" {
		p, err := cpython.Find(c.s.Pythons(), m.Job.Python)
		if err == nil {
			err = spec.CheckPython()
		}
		if err != nil {
			return nil, protocol.CodeInvalid, err.Error()
		}
		py = &p
	}
	select {
	case c.s.runSlots <- struct{}{}:
	default:
		return nil, protocol.CodeLimit, fmt.Sprintf("the server is running %d jobs, its limit (-max-runs); try again when one finishes", cap(c.s.runSlots))
	}
	lanes := lanesOf(spec)
	if !c.s.lanes.take(lanes) {
		<-c.s.runSlots
		return nil, protocol.CodeLimit, fmt.Sprintf("the server's runs hold %d workers, and this one needs %d more than its limit of %d in all; try again when one finishes",
			c.s.lanes.held(), lanes, workload.Limits.Workers)
	}
	ctx, cancel := context.WithCancelCause(context.Background())
	ar := &activeRun{id: m.ID, spec: spec, python: py, rec: trace.NewStreamRecorder(c.s.cfg.StreamLimit), ctx: ctx, cancel: cancel}
	ar.finish = sync.OnceFunc(func() {
		cancel(nil)
		c.mu.Lock()
		if c.run == ar {
			c.run = nil
		}
		c.mu.Unlock()
		c.s.lanes.give(lanes)
		<-c.s.runSlots
	})
	c.run = ar
	c.s.runsTotal.Add(1)
	return ar, "", ""
}

// execute runs the spec and hands its end, result or error, to the writer.
func (c *conn) execute(ar *activeRun) {
	ctx := ar.ctx
	log := c.s.log.With("run", ar.id, "preset", ar.spec.Preset, "experiment", ar.spec.Experiment,
		"variant", ar.spec.Variant, "workers", ar.spec.Workers, "tasks", ar.spec.Tasks)
	log.Info("run started")
	opts := runner.Options{Recorder: ar.rec, FarmURL: c.s.farmURL, Done: &ar.done}
	var res workload.Result
	var err error
	if ar.python != nil {
		log = log.With("python", ar.python.ID)
		res, err = c.s.cfg.runPython(ctx, *ar.python, ar.spec, opts)
	} else {
		res, err = c.s.cfg.run(ctx, ar.spec, opts)
	}
	var msg []byte
	if err != nil {
		code, text := protocol.CodeFailed, err.Error()
		if cause := context.Cause(ctx); ctx.Err() != nil && cause != nil {
			code, text = protocol.CodeCanceled, fmt.Sprintf("run %s stopped: %v", ar.id, cause)
		}
		log.Info("run stopped", "code", code, "why", text)
		msg = protocol.Encode(protocol.NewError(ar.id, code, text))
	} else {
		log.Info("run finished", "duration", time.Duration(res.DurationNS), "checksum", res.Checksum, "spans", res.Spans)
		msg = protocol.Encode(protocol.NewResult(ar.id, res))
	}
	if !c.send(outgoing{data: msg, end: ar}) {
		ar.finish()
	}
}

// cancel answers a cancel message. A cancel for a run that is not going is ignored: the run
// may have just finished, its result already on the way.
func (c *conn) cancel(id string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.run != nil && c.run.id == id {
		c.run.cancel(errCanceled)
	}
}

func (c *conn) cancelRun(cause error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.run != nil {
		c.run.cancel(cause)
	}
}

func (c *conn) current() *activeRun {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.run
}
