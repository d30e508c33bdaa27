package procpool

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"time"

	"concurrency-playground/internal/workload"
	"concurrency-playground/native/httpfetch"
)

// ServeIfWorker turns this process into a pool worker when its parent started it as one, and
// then exits; otherwise it returns at once. Call it first thing in main (and in TestMain of a
// test binary that runs the process variant), before anything else reads stdin or writes
// stdout.
func ServeIfWorker() {
	token := os.Getenv(envWorker)
	if token == "" {
		return
	}
	// Nothing this worker might start should believe it is a worker too.
	os.Unsetenv(envWorker)
	// Ctrl-C in a terminal signals the whole process group. The parent decides what it means
	// (it cancels the run, which kills the workers), so a worker does not die of it first and
	// turn a cancel into a "worker died" error.
	signal.Ignore(os.Interrupt)
	// stdout carries the protocol: anything else printed by mistake goes to stderr instead.
	proto := os.Stdout
	os.Stdout = os.Stderr
	os.Exit(serveWorker(token, os.Stdin, proto, os.Stderr))
}

// serveWorker runs the worker's side of the protocol and returns its exit status: 0 when its
// stdin closes (the parent's way of ending the pool, or the parent's death), 2 when the
// parent does not speak the protocol.
func serveWorker(token string, in io.Reader, out io.Writer, diag io.Writer) int {
	name := fmt.Sprintf("process worker (pid %d)", os.Getpid())
	fail := func(format string, args ...any) int {
		fmt.Fprintf(diag, "%s: %s\n", name, fmt.Sprintf(format, args...))
		return 2
	}
	lines := bufio.NewScanner(in)
	lines.Buffer(make([]byte, 4096), maxLine)
	if !lines.Scan() {
		if err := lines.Err(); err != nil {
			return fail("reading the hello: %v", err)
		}
		return fail("stdin closed before the hello")
	}
	var h hello
	if err := decodeLine(lines.Bytes(), &h); err != nil {
		return fail("bad hello: %v", err)
	}
	if h.Token != token {
		return fail("the hello's token does not match the environment's: not started by a pool")
	}
	name = fmt.Sprintf("process worker %d (pid %d)", h.Worker, os.Getpid())
	if err := h.Spec.Validate(); err != nil {
		return fail("bad spec: %v", err)
	}

	// The initializer: what the whole process keeps for every task it runs, like the lesson's
	// set_global_session. One goroutine runs the tasks, so there is nothing to yield to.
	env := &workload.TaskEnv{FarmURL: h.FarmURL, Counter: new(workload.Counter)}
	if h.Spec.Experiment == workload.IO {
		c := httpfetch.New(1)
		defer c.Close()
		env.Fetcher = c
	}

	w := bufio.NewWriter(out)
	send := func(r reply) {
		if testHookReply != nil {
			testHookReply(&h, &r, w)
		}
		w.Write(encodeLine(r))
	}
	send(reply{Token: token, PID: os.Getpid()})
	if err := w.Flush(); err != nil {
		return fail("writing ready: %v", err)
	}

	// Batches are read on their own goroutine so that stdin closing cancels a task in flight:
	// an orphaned worker stops downloading at once, on every OS.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	batches := make(chan batch)
	go func() {
		defer cancel()
		defer close(batches)
		for lines.Scan() {
			var b batch
			if err := decodeLine(lines.Bytes(), &b); err != nil || b.From < 0 || b.To > h.Spec.Tasks || b.From >= b.To {
				os.Exit(fail("bad batch %q (tasks are 0..%d): %v", lines.Bytes(), h.Spec.Tasks-1, err))
			}
			batches <- b
		}
	}()
	for b := range batches {
		for task := b.From; task < b.To; task++ {
			start := time.Now()
			res, err := h.Spec.Do(ctx, task, env)
			r := reply{Task: task, Result: res, Start: start.UnixNano(), End: time.Now().UnixNano()}
			if err != nil {
				r.Error = err.Error()
			}
			if h.Spec.Experiment == workload.Race {
				r.Counted = env.Counter.Value()
			}
			send(r)
		}
		if err := w.Flush(); err != nil {
			return fail("writing replies: %v", err)
		}
	}
	return 0
}
