// Package cli is the native binary's `run`, `presets` and `bench` commands: flags in, the
// lesson's printout (or JSON) out. Running is package runner's; this package only talks.
package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"concurrency-playground/internal/workload"
)

// exitUsage is the exit code of a bad flag or an out-of-range value.
const exitUsage = 2

// jobFlags binds the flags that describe a job. A flag the user did not give stays nil in the
// job, so the preset's value (or the default) applies; a given flag always counts, even 0.
type jobFlags struct {
	fs                                *flag.FlagSet
	preset, experiment, variant, mode string
	workers, tasks, size, repeat      int
	n                                 int64
	delay, jitter                     workload.Duration
	yield                             bool
}

func newJobFlags(fs *flag.FlagSet) *jobFlags {
	f := &jobFlags{fs: fs}
	fs.StringVar(&f.preset, "preset", "", "a preset: one of the lesson's scripts (see `native presets`)")
	fs.StringVar(&f.experiment, "experiment", "", "io, cpu or race")
	fs.StringVar(&f.variant, "variant", "", "sequential, eventloop, pool, gil or process")
	fs.IntVar(&f.workers, "workers", 0, "goroutines or processes (default: the preset's, 5 for pools, one per core for processes)")
	fs.IntVar(&f.tasks, "tasks", 0, "number of tasks (default 160 io, 20 cpu, 5000 race)")
	fs.Int64Var(&f.n, "n", 0, fmt.Sprintf("cpu: task x sums the squares below n+x (default %d; the lesson's n is %d)", workload.DefaultN, workload.LessonN))
	fs.Var(durationFlag{&f.delay}, "delay", "io: the farm's latency per request (default 50ms)")
	fs.Var(durationFlag{&f.jitter}, "jitter", "io: up to this much extra latency, fixed per task (default 0s)")
	fs.IntVar(&f.size, "size", 0, "io: bytes of site A; site B sends size/25 (default 25000)")
	fs.StringVar(&f.mode, "mode", "", "race: unsafe, mutex or atomic (default unsafe)")
	fs.BoolVar(&f.yield, "yield", false, "race: yield between the read and the write of the increment")
	fs.IntVar(&f.repeat, "repeat", 0, fmt.Sprintf("run it this many times, 1..%d; the fastest counts (default %d for cpu, 1 otherwise)", workload.Limits.Repeat, workload.DefaultCPURepeat))
	return f
}

// job is the job the given flags describe.
func (f *jobFlags) job() workload.Job {
	j := workload.Job{Preset: f.preset}
	f.fs.Visit(func(fl *flag.Flag) {
		switch fl.Name {
		case "experiment":
			e := workload.Experiment(f.experiment)
			j.Experiment = &e
		case "variant":
			v := workload.Variant(f.variant)
			j.Variant = &v
		case "workers":
			j.Workers = &f.workers
		case "tasks":
			j.Tasks = &f.tasks
		case "n":
			j.N = &f.n
		case "delay":
			j.Delay = &f.delay
		case "jitter":
			j.Jitter = &f.jitter
		case "size":
			j.Size = &f.size
		case "mode":
			m := workload.RaceMode(f.mode)
			j.Mode = &m
		case "yield":
			j.Yield = &f.yield
		case "repeat":
			j.Repeat = &f.repeat
		}
	})
	return j
}

type durationFlag struct{ d *workload.Duration }

func (f durationFlag) String() string {
	if f.d == nil {
		return ""
	}
	return f.d.String()
}

func (f durationFlag) Set(s string) error {
	return f.d.UnmarshalJSON([]byte(`"` + s + `"`))
}

// parse parses args; on a bad flag it prints one line naming it and returns false. -h prints
// the usage and also returns false, with code 0.
func parse(fs *flag.FlagSet, args []string, stdout, stderr io.Writer, usage string) (ok bool, code int) {
	fs.SetOutput(io.Discard)
	err := fs.Parse(args)
	if errors.Is(err, flag.ErrHelp) {
		fs.SetOutput(stdout)
		fmt.Fprint(stdout, usage)
		fs.PrintDefaults()
		return false, 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", fs.Name(), oneLine(err))
		return false, exitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "%s: unexpected argument %q; flags start with -\n", fs.Name(), fs.Arg(0))
		return false, exitUsage
	}
	return true, 0
}

// flagError turns "workers: 0 is out of range" into "-workers: 0 is out of range", since on the
// command line the field is a flag.
func flagError(err error) string {
	msg := oneLine(err)
	if i := strings.Index(msg, ":"); i > 0 && !strings.Contains(msg[:i], " ") {
		return "-" + msg
	}
	return msg
}

func oneLine(err error) string { return strings.ReplaceAll(err.Error(), "\n", "; ") }
