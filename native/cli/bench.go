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

	"concurrency-playground/internal/lesson"
	"concurrency-playground/internal/trace"
	"concurrency-playground/internal/workload"
	"concurrency-playground/native/runner"
)

const benchUsage = `Usage: native bench [-repeat 3] [-race-runs 10] [-delay 20ms] [-check]

Runs every preset natively, each as one run of -repeat repeats, as the lesson measured: the
fastest repeat counts, and the speedup is the fastest over the same experiment's fastest
sequential run. Beside it: every repeat's spread (min–median–max), the lesson's own CPython 3.11
figures re-measured on a 2-core machine with the same latency, and the lesson's claims checked
round by round (repeat k of a pool against repeat k of sequential). The race runs -race-runs
times as written, then with a mutex, an atomic add and the emulated interpreter lock.
With -check, a claim that does not hold on this machine makes the exit code 1; a claim that
missed on repeats too far apart to trust, and would hold within their spread, says "noisy:
rerun" and does not fail.

Flags:
`

// lessonDelay is a latency the lesson's I/O figures were measured with (internal/lesson).
const lessonDelay = 20 * time.Millisecond

type benchRow struct {
	name  string // the preset, or the preset and what was changed
	spec  workload.Spec
	res   workload.Result
	spawn time.Duration // process start-up: the median spawn span, for the process variant
}

// Bench is `native bench`.
func Bench(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	repeat := fs.Int("repeat", workload.DefaultCPURepeat, "repeats of each preset; the fastest counts")
	raceRuns := fs.Int("race-runs", workload.Limits.Repeat, "runs of each race row")
	delay := fs.Duration("delay", lessonDelay, "the farm's latency for the I/O presets")
	check := fs.Bool("check", false, "exit 1 when one of the lesson's claims does not hold")
	if ok, code := parse(fs, args, stdout, stderr, benchUsage, nil); !ok {
		return code
	}
	for _, f := range []struct {
		name string
		v    int
	}{{"repeat", *repeat}, {"race-runs", *raceRuns}} {
		if f.v < 1 || f.v > workload.Limits.Repeat {
			fmt.Fprintf(stderr, "bench: -%s: %d is out of range 1..%d\n", f.name, f.v, workload.Limits.Repeat)
			return exitUsage
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	farmURL, stopFarm, err := runner.StartFarm()
	if err != nil {
		fmt.Fprintf(stderr, "bench: %v\n", err)
		return 1
	}
	defer stopFarm()

	var rows []benchRow
	for _, job := range benchJobs(*repeat, *raceRuns, workload.Duration(*delay)) {
		spec, err := job.Resolve(runtime.NumCPU())
		if err != nil {
			fmt.Fprintf(stderr, "bench: %s: %v\n", job.Preset, err)
			return 1
		}
		name := benchName(job)
		fmt.Fprintf(stderr, "bench: %s ×%d\n", name, spec.Repeat)
		row, err := benchRun(ctx, name, spec, farmURL)
		if err != nil {
			fmt.Fprintf(stderr, "bench: %s: %v\n", name, err)
			return 1
		}
		rows = append(rows, row)
	}
	printBench(stdout, rows, *delay)
	failed, noisy := printClaims(stdout, rows)
	if noisy > 0 {
		fmt.Fprintf(stderr, "bench: %d of the lesson's claims were judged on repeats too far apart to trust; rerun on calm cores\n", noisy)
	}
	if *check && failed > 0 {
		fmt.Fprintf(stderr, "bench: %d of the lesson's claims did not hold on this machine\n", failed)
		return 1
	}
	return 0
}

// benchJobs are every preset, then the race with each protection.
func benchJobs(repeat, raceRuns int, delay workload.Duration) []workload.Job {
	var jobs []workload.Job
	for _, p := range workload.Presets {
		job := workload.Job{Preset: p.Name, Repeat: &repeat}
		switch p.Spec.Experiment {
		case workload.IO:
			job.Delay = &delay
		case workload.Race:
			job.Repeat = &raceRuns
		}
		jobs = append(jobs, job)
	}
	gil := workload.GIL
	for _, m := range []workload.RaceMode{workload.Mutex, workload.Atomic} {
		jobs = append(jobs, workload.Job{Preset: "race_condition", Mode: &m, Repeat: &raceRuns})
	}
	return append(jobs, workload.Job{Preset: "race_condition", Variant: &gil, Repeat: &raceRuns})
}

func benchName(j workload.Job) string {
	switch {
	case j.Mode != nil:
		return j.Preset + " -mode " + string(*j.Mode)
	case j.Variant != nil:
		return j.Preset + " -variant " + string(*j.Variant)
	}
	return j.Preset
}

func benchRun(ctx context.Context, name string, spec workload.Spec, farmURL string) (benchRow, error) {
	rec := trace.NewRecorder(0)
	res, err := runner.Run(ctx, spec, runner.Options{Recorder: rec, FarmURL: farmURL})
	if err != nil {
		return benchRow{}, err
	}
	row := benchRow{name: name, spec: spec, res: res}
	var spawns []int64
	for _, s := range rec.Spans() {
		if s.State == trace.Spawn {
			spawns = append(spawns, s.End-s.Start)
		}
	}
	if len(spawns) > 0 && spec.Variant == workload.Process { // the race pool's spawns are its threads' start
		slices.Sort(spawns)
		row.spawn = time.Duration(spawns[len(spawns)/2])
	}
	return row, nil
}

func printBench(w io.Writer, rows []benchRow, delay time.Duration) {
	m := runner.Machine()
	fmt.Fprintf(w, "Concurrency Playground bench: %d cores, GOMAXPROCS %d, %s; I/O latency %v; the fastest of each run's repeats\n\n",
		m.Cores, m.GOMAXPROCS, m.GoVersion, delay)
	sequential := sequentialRows(rows)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "PRESET\tVARIANT\tWORKERS\tFASTEST\tMIN–MEDIAN–MAX\tSPEEDUP\tCPYTHON 3.11\t")
	for _, r := range rows {
		if r.spec.Experiment == workload.Race {
			continue
		}
		speedup := "-"
		if seq, ok := sequential[r.spec.Experiment]; ok {
			speedup = fmt.Sprintf("%.2f×", float64(seq.res.DurationNS)/float64(r.res.DurationNS))
		}
		cpython := "-"
		if py, ok := lesson.CPythonSeconds(r.name, delay); ok {
			cpython = fmt.Sprintf("%.2f s", py)
		}
		fastest, median, slowest := r.res.Spread()
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s–%s–%s\t%s\t%s\t\n", r.name, r.spec.Variant, r.spec.Workers,
			seconds(fastest), seconds(fastest), seconds(median), seconds(slowest), speedup, cpython)
	}
	tw.Flush()
	fmt.Fprintln(w)
	for _, r := range rows {
		if r.spawn > 0 {
			fmt.Fprintf(w, "%s: a worker process starts in %v (median spawn span; CPython's Pool(2) takes ~27 ms)\n",
				r.name, r.spawn.Round(10*time.Microsecond))
		}
		if r.spec.Experiment == workload.IO && r.spec.Variant == workload.Pool {
			bound := r.spec.ExpectedSequentialIO() / time.Duration(r.spec.Workers)
			fmt.Fprintf(w, "%s: %v against a bound of %v (tasks ÷ workers × latency): %+.1f %%\n",
				r.name, r.res.Duration().Round(time.Millisecond), bound, 100*(r.res.Duration().Seconds()/bound.Seconds()-1))
		}
		if r.res.Race != nil {
			fmt.Fprintf(w, "%s: %s, %d goroutines: updates lost in each run %v of %d\n", r.name, r.spec.Variant,
				r.spec.Workers, r.res.Race.LostRepeats, r.res.Race.Expected)
		}
	}
	fmt.Fprintf(w, "\nThe CPU rows' n is %d where the lesson's is %d (CPython's figures are for the lesson's n).\n",
		workload.DefaultN, workload.LessonN)
}

// sequentialRows finds each experiment's sequential preset, the baseline of its speedups.
func sequentialRows(rows []benchRow) map[workload.Experiment]benchRow {
	seq := map[workload.Experiment]benchRow{}
	for _, r := range rows {
		if r.spec.Variant == workload.Sequential {
			seq[r.spec.Experiment] = r
		}
	}
	return seq
}

// claim is one of the lesson's claims, as this machine measured it.
type claim struct {
	what string
	ok   bool
	got  string
	// noisy: the claim missed, but the repeats it was judged on spread too wide to trust
	// (workload.WideSpread) and within that spread it would have held. Not a failure: a rerun
	// on calm cores decides. A miss that no reading of the spread rescues still fails.
	noisy bool
}

// printClaims checks the lesson's claims against the rows and returns how many failed and how
// many missed on noise alone. They are the ones a learner should see on a machine of two
// cores or more; on one core the pools cannot be faster, and the race as written cannot show,
// so those are not claimed there.
func printClaims(w io.Writer, rows []benchRow) (failed, noisy int) {
	cores := runtime.GOMAXPROCS(0)
	var claims []claim
	seq, hasSeq := sequentialRows(rows)[workload.CPU]
	for _, r := range rows {
		switch {
		case r.spec.Experiment == workload.CPU && hasSeq && r.spec.Variant != workload.Sequential && cores >= 2:
			claims = append(claims, speedupClaims(r, seq, cores)...)
		case r.res.Race != nil:
			claims = append(claims, raceClaim(r, cores)...)
		}
	}
	fmt.Fprintln(w, "\nThe lesson's claims on this machine:")
	for _, c := range claims {
		mark := "ok  "
		switch {
		case !c.ok && c.noisy:
			mark, noisy = "noisy: rerun", noisy+1
		case !c.ok:
			mark, failed = "FAIL", failed+1
		}
		fmt.Fprintf(w, "  %s %s: %s\n", mark, c.what, c.got)
	}
	return failed, noisy
}

// wide says whether a row's repeats spread too far to trust its fastest.
func wide(r benchRow) bool {
	fastest, _, slowest := r.res.Spread()
	return float64(slowest-fastest) > workload.WideSpread*float64(fastest)
}

// speedupRange is the speedup of r over seq fastest against fastest, and the most the repeats
// allow: sequential's slowest over r's fastest, and sequential's fastest over r's slowest.
func speedupRange(r, seq benchRow) (fastest, low, high float64) {
	rf, _, rs := r.res.Spread()
	sf, _, ss := seq.res.Spread()
	return float64(sf) / float64(rf), float64(sf) / float64(rs), float64(ss) / float64(rf)
}

// speedupClaims are a CPU variant's: the pools as fast as the cores allow, fastest against
// fastest, and faster than sequential in every round; the interpreter lock no faster at all.
func speedupClaims(r, seq benchRow, cores int) []claim {
	speedup, low, high := speedupRange(r, seq)
	noisy := wide(r) || wide(seq)
	if r.spec.Variant == workload.GIL {
		return []claim{{r.name + " is no faster than sequential (0.9–1.1×)", speedup >= 0.9 && speedup <= 1.1,
			fmt.Sprintf("%.2f×", speedup), noisy && high >= 0.9 && low <= 1.1}}
	}
	parallel := min(cores, r.spec.Workers)
	want := 0.925 * float64(parallel) // 1.85× on 2 cores
	if r.spec.Variant == workload.Process {
		want = 0.9 * float64(parallel) // 1.8×: a process pays for its start-up
	}
	rounds, won := min(len(r.res.Repeats), len(seq.res.Repeats)), 0
	for k := range rounds {
		if r.res.Repeats[k] < seq.res.Repeats[k] {
			won++
		}
	}
	return []claim{
		{fmt.Sprintf("%s ≥ %.2f× sequential", r.name, want), speedup >= want, fmt.Sprintf("%.2f×", speedup), noisy && high >= want},
		{r.name + " beats sequential in every round", won == rounds, fmt.Sprintf("%d of %d rounds", won, rounds), noisy && won > 0},
	}
}

// raceClaim is a race row's: as written on real cores, updates are lost in every run; a mutex,
// an atomic add or the interpreter lock (with no switch between read and write) lose none.
func raceClaim(r benchRow, cores int) []claim {
	lostRuns := 0
	for _, l := range r.res.Race.LostRepeats {
		if l > 0 {
			lostRuns++
		}
	}
	runs := len(r.res.Race.LostRepeats)
	got := fmt.Sprintf("lost updates in %d of %d runs", lostRuns, runs)
	if r.spec.Mode == workload.Unsafe && r.spec.Variant == workload.Pool {
		if cores < 2 {
			return nil
		}
		return []claim{{r.name + " loses updates in every run", lostRuns == runs, got, false}}
	}
	return []claim{{r.name + " loses none", lostRuns == 0, got, false}}
}

func seconds(d time.Duration) string {
	if d < time.Second {
		return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond))
	}
	return fmt.Sprintf("%.2f s", d.Seconds())
}
