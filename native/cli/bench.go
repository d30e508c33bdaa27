package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"slices"
	"text/tabwriter"
	"time"

	"concurrency-playground/internal/trace"
	"concurrency-playground/internal/workload"
	"concurrency-playground/native/runner"
)

const benchUsage = `Usage: native bench [-repeat 3] [-delay 20ms]

Runs every preset natively, -repeat times each, and prints the median duration, the speedup over
the same experiment's sequential preset, and the lesson's own CPython 3.11 figures, re-measured
on a 2-core machine with the same latency (scripts pointed at a local server).

Flags:
`

// lessonSeconds are the lesson's Python scripts on a 2-core machine, median of 3, for a 20 ms
// site latency (the I/O rows) and for the CPU sums: measured once, outside this program, and
// quoted as a reference; nothing here re-runs Python.
var lessonSeconds = map[string]float64{
	"io_non_concurrent": 3.51, "io_threading": 0.71, "io_asyncio": 0.08, "io_mp": 1.80,
	"cpu_non_concurrent": 2.86, "cpu_threading": 2.86, "cpu_gil": 2.86, "cpu_mp": 1.56,
}

// lessonDelay is the latency the I/O figures above were measured with.
const lessonDelay = 20 * time.Millisecond

type benchRow struct {
	preset workload.Preset
	spec   workload.Spec
	median time.Duration
	spawn  time.Duration // process start-up: the median spawn span, for the process variant
	lost   int64
}

// Bench is `native bench`.
func Bench(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	repeat := fs.Int("repeat", 3, "runs of each preset; the median counts")
	delay := fs.Duration("delay", lessonDelay, "the farm's latency for the I/O presets")
	if ok, code := parse(fs, args, stdout, stderr, benchUsage); !ok {
		return code
	}
	if *repeat < 1 || *repeat > 100 {
		fmt.Fprintf(stderr, "bench: -repeat: %d is out of range 1..100\n", *repeat)
		return exitUsage
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	farmURL, stopFarm, err := runner.StartFarm()
	if err != nil {
		fmt.Fprintf(stderr, "bench: %v\n", err)
		return 1
	}
	defer stopFarm()

	d := workload.Duration(*delay)
	var rows []benchRow
	for _, p := range workload.Presets {
		job := workload.Job{Preset: p.Name}
		if p.Spec.Experiment == workload.IO {
			job.Delay = &d
		}
		spec, err := job.Resolve(runtime.NumCPU())
		if err != nil {
			fmt.Fprintf(stderr, "bench: %s: %v\n", p.Name, err)
			return 1
		}
		fmt.Fprintf(stderr, "bench: %s ×%d\n", p.Name, *repeat)
		row, err := benchPreset(ctx, p, spec, farmURL, *repeat)
		if err != nil {
			fmt.Fprintf(stderr, "bench: %s: %v\n", p.Name, err)
			return 1
		}
		rows = append(rows, row)
	}
	printBench(stdout, rows, *delay, *repeat)
	return 0
}

func benchPreset(ctx context.Context, p workload.Preset, spec workload.Spec, farmURL string, repeat int) (benchRow, error) {
	row := benchRow{preset: p, spec: spec}
	var durations, spawns []time.Duration
	for range repeat {
		rec := trace.NewRecorder(0)
		res, err := runner.Run(ctx, spec, runner.Options{Recorder: rec, FarmURL: farmURL})
		if err != nil {
			return row, err
		}
		durations = append(durations, res.Duration())
		for _, s := range rec.Spans() {
			if s.State == trace.Spawn {
				spawns = append(spawns, time.Duration(s.End-s.Start))
			}
		}
		if res.Race != nil {
			row.lost = max(row.lost, res.Race.Lost)
		}
	}
	row.median = median(durations)
	if len(spawns) > 0 {
		row.spawn = median(spawns)
	}
	return row, nil
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

func printBench(w io.Writer, rows []benchRow, delay time.Duration, repeat int) {
	m := runner.Machine()
	fmt.Fprintf(w, "Concurrency Playground bench: %d cores, GOMAXPROCS %d, %s; I/O latency %v; median of %d runs\n\n",
		m.Cores, m.GOMAXPROCS, m.GoVersion, delay, repeat)
	sequential := map[workload.Experiment]time.Duration{}
	for _, r := range rows {
		if r.spec.Variant == workload.Sequential {
			sequential[r.spec.Experiment] = r.median
		}
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "PRESET\tVARIANT\tWORKERS\tDURATION\tSPEEDUP\tCPYTHON 3.11\tGO FASTER BY\t")
	for _, r := range rows {
		speedup := "-"
		if seq, ok := sequential[r.spec.Experiment]; ok {
			speedup = fmt.Sprintf("%.2f×", seq.Seconds()/r.median.Seconds())
		}
		lesson, versus := "-", "-"
		if py, ok := lessonSeconds[r.preset.Name]; ok && (r.spec.Experiment != workload.IO || delay == lessonDelay) {
			lesson = fmt.Sprintf("%.2f s", py)
			versus = fmt.Sprintf("%.1f×", py/r.median.Seconds())
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\t%s\t%s\t\n", r.preset.Name, r.spec.Variant, r.spec.Workers,
			seconds(r.median), speedup, lesson, versus)
	}
	tw.Flush()

	fmt.Fprintln(w)
	for _, r := range rows {
		if r.spawn > 0 {
			fmt.Fprintf(w, "%s: a worker process starts in %v (median spawn span; CPython's Pool(2) takes ~27 ms)\n",
				r.preset.Name, r.spawn.Round(10*time.Microsecond))
		}
		switch {
		case r.spec.Experiment == workload.IO && r.spec.Variant == workload.Pool:
			bound := r.spec.ExpectedSequentialIO() / time.Duration(r.spec.Workers)
			fmt.Fprintf(w, "%s: %v against a bound of %v (tasks ÷ workers × latency): %+.1f %%\n",
				r.preset.Name, r.median.Round(time.Millisecond), bound, 100*(r.median.Seconds()/bound.Seconds()-1))
		case r.spec.Experiment == workload.Race:
			fmt.Fprintf(w, "%s: up to %d of %d updates lost (%s increments on %d goroutines)\n",
				r.preset.Name, r.lost, int64(r.spec.Tasks)*workload.IncrementsPerTask, r.spec.Mode, r.spec.Workers)
		}
	}
}

func seconds(d time.Duration) string {
	if d < time.Second {
		return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond))
	}
	return fmt.Sprintf("%.2f s", d.Seconds())
}
