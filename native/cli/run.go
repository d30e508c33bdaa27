package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"runtime"
	"sync/atomic"
	"syscall"
	"time"

	"concurrency-playground/internal/trace"
	"concurrency-playground/internal/trace/chrometrace"
	"concurrency-playground/internal/workload"
	"concurrency-playground/native/cpython"
	"concurrency-playground/native/runner"
)

const runUsage = `Usage:
  native run -preset NAME [-workers N] [-json] [-trace FILE]
  native run -experiment io|cpu|race -variant sequential|eventloop|pool|gil|process [flags]
  native run -preset NAME -python PATH    the lesson's own Python script, in that CPython

Runs one experiment natively and prints what the lesson's script prints, then a summary.
An I/O run starts the site farm on a free loopback port for itself: nothing else needs to run.

Flags:
`

// Run is `native run`.
func Run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	jf := newJobFlags(fs)
	asJSON := fs.Bool("json", false, "print the result as one JSON object")
	traceFile := fs.String("trace", "", "write the run's timeline to `FILE` as Chrome Trace Event JSON (opens in Perfetto)")
	pythonPath := fs.String("python", "", "run the lesson's own Python script for the experiment and variant in the CPython at `PATH`, traced as a Go run is")
	if ok, code := parse(fs, args, stdout, stderr, runUsage, jf); !ok {
		return code
	}
	spec, err := jf.job().Resolve(runtime.NumCPU())
	if err != nil {
		fmt.Fprintf(stderr, "run: %s\n", flagError(err))
		return exitUsage
	}

	var py *cpython.Interpreter
	if *pythonPath != "" {
		if err := spec.CheckPython(); err != nil {
			fmt.Fprintf(stderr, "run: %s\n", flagError(err))
			return exitUsage
		}
		p, err := cpython.Probe(context.Background(), *pythonPath)
		if err != nil {
			fmt.Fprintf(stderr, "run: -%v\n", err)
			return exitUsage
		}
		py = &cpython.Name([]cpython.Interpreter{p})[0]
	}

	// The trace file is opened before the run, so a path that cannot be written is refused
	// at once rather than after a run of minutes; it is written once the run has finished.
	var traceOut *traceFileOut
	if *traceFile != "" {
		if traceOut, err = openTrace(*traceFile); err != nil {
			fmt.Fprintf(stderr, "run: -trace: %v\n", err)
			return exitUsage
		}
		defer traceOut.discard()
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	// The farm starts before the run's clock, so the wall time is the run's alone.
	var farmURL string
	if spec.Experiment == workload.IO {
		url, stopFarm, err := runner.StartFarm()
		if err != nil {
			fmt.Fprintf(stderr, "run: %v\n", err)
			return 1
		}
		defer stopFarm()
		farmURL = url
	}
	rec := trace.NewRecorder(0)
	done := new(atomic.Int64)
	stopProgress := showProgress(stderr, done, spec.TotalTasks())
	opts := runner.Options{Recorder: rec, FarmURL: farmURL, Done: done}
	var res workload.Result
	if py != nil {
		res, err = cpython.Run(ctx, *py, spec, opts)
	} else {
		res, err = runner.Run(ctx, spec, opts)
	}
	stopProgress()
	if err != nil {
		if ctx.Err() != nil {
			fmt.Fprintln(stderr, "run: interrupted")
			return 130
		}
		fmt.Fprintf(stderr, "run: %v\n", oneLine(err))
		return 1
	}
	if traceOut != nil {
		if err := traceOut.write(rec.Spans(), res); err != nil {
			fmt.Fprintf(stderr, "run: -trace: %v\n", err)
			return 1
		}
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		if err := enc.Encode(res); err != nil {
			fmt.Fprintf(stderr, "run: %v\n", err)
			return 1
		}
		return 0
	}
	printLesson(stdout, res)
	printSummary(stdout, res, *traceFile)
	return 0
}

// printLesson prints what the lesson's scripts print, once per repeat, and then, for more
// than one, the fastest (the lesson quotes the fastest of three) and the median.
func printLesson(w io.Writer, r workload.Result) {
	for i, ns := range r.Repeats {
		secs := time.Duration(ns).Seconds()
		switch r.Experiment {
		case workload.IO:
			fmt.Fprintf(w, "Downloaded %d in %.2f seconds\n", r.Tasks, secs)
		case workload.CPU:
			fmt.Fprintf(w, "Duration %.2f seconds\n", secs)
		case workload.Race:
			counted := r.Race.Counted
			if i < len(r.Race.LostRepeats) {
				counted = r.Race.Expected - r.Race.LostRepeats[i]
			}
			fmt.Fprintf(w, "Counter should be %d, got %d\n", r.Race.Expected, counted)
			fmt.Fprintf(w, "Duration %.2f seconds\n", secs)
		}
	}
	if len(r.Repeats) > 1 {
		fastest, median, _ := r.Spread()
		fmt.Fprintf(w, "Fastest %.2f seconds, median %.2f seconds, of %d runs\n", fastest.Seconds(), median.Seconds(), len(r.Repeats))
	}
}

func printSummary(w io.Writer, r workload.Result, traceFile string) {
	name := r.Preset
	if name == "" {
		name = "custom"
	}
	m := r.Machine
	fmt.Fprintf(w, "\n%s: %s / %s, %d %s, %d tasks, %s\n", name, r.Experiment, r.Variant,
		r.Workers, plural(r.Workers, "worker"), r.Tasks, describeSpec(r.Spec))
	if p := r.Python; p != nil {
		fmt.Fprintf(w, "  ran in    CPython %s (GIL %s), %d cores, %s/%s\n", p.Version, onOff(p.GIL), m.Cores, m.OS, m.Arch)
	} else {
		fmt.Fprintf(w, "  ran on    %s, %d cores, GOMAXPROCS %d, %s %s/%s\n", m.Where, m.Cores, m.GOMAXPROCS, m.GoVersion, m.OS, m.Arch)
	}
	fmt.Fprintf(w, "  wall time %v", r.Duration().Round(10*time.Microsecond))
	if n := len(r.Repeats); n > 1 {
		fastest, median, slowest := r.Spread()
		fmt.Fprintf(w, ", the fastest of %d (min–median–max %v–%v–%v)", n,
			fastest.Round(10*time.Microsecond), median.Round(10*time.Microsecond), slowest.Round(10*time.Microsecond))
		if spread := float64(slowest-fastest) / float64(fastest); spread > workload.WideSpread {
			fmt.Fprintf(w, "\n  spread    %.0f %%: too wide to trust; something else was using the cores", 100*spread)
		}
	}
	fmt.Fprintln(w)
	switch r.Experiment {
	case workload.IO:
		if lb := r.Spec.ExpectedSequentialIO(); r.Variant == workload.Sequential {
			fmt.Fprintf(w, "  bound     %v of latency, one request after another\n", lb.Round(time.Millisecond))
		}
	case workload.CPU:
		fmt.Fprintf(w, "  work      %s\n", cpuWork(r.Spec))
	case workload.Race:
		fmt.Fprintf(w, "  lost      %s\n", raceLost(r))
	}
	fmt.Fprintf(w, "  checksum  %s over %d results\n", r.Checksum, len(r.Results))
	fmt.Fprintf(w, "  timeline  %d spans", r.Spans)
	if traceFile != "" {
		fmt.Fprintf(w, ", written to %s (open it in Perfetto)", traceFile)
	}
	fmt.Fprintln(w)
}

// cpuWork says what a CPU run computed and how it compares with the lesson's work.
func cpuWork(s workload.Spec) string {
	d := fmt.Sprintf("%d exact sums of i*i for i < n+x, n = %d", s.Tasks, s.N)
	if s.N == workload.LessonN {
		return d + ": the lesson's own work"
	}
	return d + fmt.Sprintf(" (the lesson's n is %d; -n %d runs it)", workload.LessonN, workload.LessonN)
}

// raceLost says how many updates the race lost, in every repeat, and why processes lose none.
func raceLost(r workload.Result) string {
	out := fmt.Sprintf("%d of %d updates (%s", r.Race.Lost, r.Race.Expected, r.Spec.Mode)
	if r.Spec.Yield {
		out += ", yielding between read and write"
	}
	out += ")"
	if n := len(r.Race.LostRepeats); n > 1 {
		out += fmt.Sprintf("; lost in %d of %d runs, in each: %v", lostIn(r.Race.LostRepeats), n, r.Race.LostRepeats)
	}
	if r.Race.Parent != nil {
		out += fmt.Sprintf("\n            each process counted on its own counter %v; the parent's counter is still %d: processes share nothing, so nothing is lost, and nothing is counted together", r.Race.Processes, *r.Race.Parent)
	}
	return out
}

// lostIn is how many of a race's repeats lost an update: a race is intermittent.
func lostIn(lost []int64) int {
	n := 0
	for _, l := range lost {
		if l > 0 {
			n++
		}
	}
	return n
}

func describeSpec(s workload.Spec) string {
	switch s.Experiment {
	case workload.IO:
		d := fmt.Sprintf("delay %v, size %d", s.Delay, s.Size)
		if s.Jitter > 0 {
			d += fmt.Sprintf(", jitter %v", s.Jitter)
		}
		return d
	case workload.CPU:
		return fmt.Sprintf("n from %d", s.N)
	default:
		d := fmt.Sprintf("mode %s", s.Mode)
		if s.Yield {
			d += ", yielding between read and write"
		}
		return d
	}
}

func onOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}

func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}

// traceFileOut is the -trace file, open from before the run until its timeline is written.
type traceFileOut struct {
	f       *os.File
	created bool // the file did not exist: a run that fails leaves nothing behind
	regular bool // a file, not a device: emptied before it is written
	written bool
}

// openTrace opens path for writing without truncating it yet, so a run that fails leaves an
// existing file as it was. An empty file (or a new one) is also written to once: opening
// succeeds on /dev/full and, for root, on /proc/version, and only a write says they refuse.
func openTrace(path string) (*traceFileOut, error) {
	_, statErr := os.Stat(path)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE, 0o666)
	if err != nil {
		return nil, err
	}
	t := &traceFileOut{f: f, created: errors.Is(statErr, fs.ErrNotExist)}
	if err := t.probe(); err != nil {
		t.discard()
		return nil, err
	}
	return t, nil
}

// probe writes one byte to an empty file and takes it back: a file with content was written
// before, and is left as it is until the run ends.
func (t *traceFileOut) probe() error {
	st, err := t.f.Stat()
	if err != nil {
		return err
	}
	if t.regular = st.Mode().IsRegular(); st.Size() > 0 {
		return nil
	}
	if _, err := t.f.Write([]byte("{")); err != nil {
		return fmt.Errorf("%s cannot be written: %w", t.f.Name(), err)
	}
	return t.rewind()
}

// rewind empties a regular file and writes from its start again; a device has neither.
func (t *traceFileOut) rewind() error {
	if !t.regular {
		return nil
	}
	if err := t.f.Truncate(0); err != nil {
		return err
	}
	_, err := t.f.Seek(0, io.SeekStart)
	return err
}

// discard closes the file if the timeline was not written, and removes it if the run made it.
func (t *traceFileOut) discard() {
	if t.written {
		return
	}
	t.f.Close()
	if t.created {
		os.Remove(t.f.Name())
	}
}

func (t *traceFileOut) write(spans []trace.Span, r workload.Result) error {
	t.written = true
	f := t.f
	if err := t.rewind(); err != nil {
		f.Close()
		return err
	}
	lane := "worker"
	switch r.Variant {
	case workload.Process:
		lane = "process"
	case workload.EventLoop:
		lane = "slot"
	}
	name := fmt.Sprintf("%s / %s (%s)", r.Experiment, r.Variant, r.Where)
	if r.Preset != "" {
		name = r.Preset + ": " + name
	}
	err := chrometrace.Write(f, spans, chrometrace.Meta{Process: name, Lane: lane,
		Other: map[string]any{"spec": r.Spec, "machine": r.Machine, "duration_ns": r.DurationNS, "checksum": r.Checksum}})
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// showProgress prints a progress line about once a second while a long run goes on, when
// stderr is a terminal; it returns a function that stops it and clears the line.
func showProgress(stderr io.Writer, done *atomic.Int64, total int) (stop func()) {
	f, ok := stderr.(*os.File)
	if !ok {
		return func() {}
	}
	if st, err := f.Stat(); err != nil || st.Mode()&os.ModeCharDevice == 0 {
		return func() {}
	}
	quit := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		start := time.Now()
		t := time.NewTicker(time.Second)
		defer t.Stop()
		printed := false
		for {
			select {
			case <-quit:
				if printed {
					fmt.Fprint(f, "\r\033[K")
				}
				return
			case <-t.C:
				fmt.Fprintf(f, "\r\033[K%d/%d tasks, %.0f s", done.Load(), total, time.Since(start).Seconds())
				printed = true
			}
		}
	}()
	return func() { close(quit); <-finished }
}
