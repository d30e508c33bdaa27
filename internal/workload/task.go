package workload

import (
	"context"
	"errors"
	"strconv"
)

// TaskEnv is what a task needs from the place it runs in.
type TaskEnv struct {
	Fetcher Fetcher  // io: fetches farm pages
	FarmURL string   // io: the farm's origin
	Counter *Counter // race: the counter shared by the run's tasks
	// Yield, if not nil, is called between chunks of a computation: where an interpreter lock
	// may be handed over after its switch interval. An event loop leaves it nil: a coroutine
	// that computes never gives way.
	Yield func()
	// Await, if not nil, is the race's explicit yield between its read and its write, when the
	// spec asks for one: asyncio's `await`, a thread's time.sleep(0).
	Await func()
	// Block, if not nil, wraps every wait (on I/O, on the race's mutex): an interpreter lock is
	// released around it, as CPython releases the GIL in a blocking socket read.
	Block func(wait func() error) error
}

// Do runs task number task of the spec and returns its result as text: the bytes downloaded,
// the exact sum, or the increments made. The same spec gives the same results everywhere.
func (s Spec) Do(ctx context.Context, task int, env *TaskEnv) (string, error) {
	switch s.Experiment {
	case IO:
		return s.download(ctx, task, env)
	case CPU:
		// A sum of 10^8 squares takes a tenth of a second: check for a cancel between chunks.
		sum, complete := SumOfSquares(s.N+int64(task), func() bool {
			if env.Yield != nil {
				env.Yield()
			}
			return ctx.Err() == nil
		})
		if !complete {
			return "", context.Cause(ctx)
		}
		return sum.String(), nil
	case Race:
		var await func()
		if s.Yield {
			await = env.Await
		}
		for range IncrementsPerTask {
			env.Counter.Increment(s.Mode, await, env.Block)
		}
		return strconv.Itoa(IncrementsPerTask), nil
	}
	return "", errors.New("experiment: " + strconv.Quote(string(s.Experiment)) + " is not one of io, cpu, race")
}

func (s Spec) download(ctx context.Context, task int, env *TaskEnv) (string, error) {
	url := s.TaskURL(env.FarmURL, task)
	var n int64
	fetch := func() (err error) {
		n, err = env.Fetcher.Fetch(ctx, url)
		return err
	}
	var err error
	if env.Block != nil {
		err = env.Block(fetch)
	} else {
		err = fetch()
	}
	if err != nil {
		return "", &TaskError{Task: task, Err: err}
	}
	if site, want := s.TaskSite(task); n != int64(want) {
		return "", &TaskError{Task: task, Err: errors.New("site " + site + " sent " + strconv.FormatInt(n, 10) + " bytes, want " + strconv.Itoa(want))}
	}
	return strconv.FormatInt(n, 10), nil
}

// Waits says whether the experiment's tasks spend their time waiting (io) rather than
// computing: a timeline draws such a task red, a computing one blue.
func (s Spec) Waits() bool { return s.Experiment == IO }

// TaskError is a task that failed, with its number.
type TaskError struct {
	Task int
	Err  error
}

func (e *TaskError) Error() string { return "task " + strconv.Itoa(e.Task) + ": " + e.Err.Error() }
func (e *TaskError) Unwrap() error { return e.Err }
