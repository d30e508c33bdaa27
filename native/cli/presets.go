package cli

import (
	"flag"
	"fmt"
	"io"
	"text/tabwriter"

	"concurrency-playground/internal/workload"
)

const presetsUsage = `Usage: native presets

Lists the presets: the lesson's scripts, each as an experiment, a variant and a worker count.
Run one with 'native run -preset NAME'.
`

// Presets is `native presets`.
func Presets(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("presets", flag.ContinueOnError)
	if ok, code := parse(fs, args, stdout, stderr, presetsUsage, nil); !ok {
		return code
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "PRESET\tEXPERIMENT\tVARIANT\tWORKERS\tWORK\tTHE LESSON'S SCRIPT")
	for _, p := range workload.Presets {
		workers := fmt.Sprint(p.Spec.Workers)
		switch {
		case p.Spec.Workers == 0 && p.Spec.Variant == workload.EventLoop:
			workers = "per task"
		case p.Spec.Workers == 0:
			workers = "per core"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", p.Name, p.Spec.Experiment, p.Spec.Variant, workers, presetWork(p.Spec), p.Script)
	}
	tw.Flush()
	fmt.Fprintf(stdout, "\n%s The lesson's exact work is -n %d.\n", workload.DefaultNReason, workload.LessonN)
	return 0
}

// presetWork is a preset's work in a few words.
func presetWork(s workload.Spec) string {
	switch s.Experiment {
	case workload.IO:
		return fmt.Sprintf("%d downloads, %v each", s.Tasks, s.Delay)
	case workload.CPU:
		return fmt.Sprintf("%d sums, n = %s + x, best of %d", s.Tasks, millions(s.N), workload.DefaultCPURepeat)
	default:
		return fmt.Sprintf("%d × %d increments", s.Tasks, workload.IncrementsPerTask)
	}
}

// millions writes 100000000 as "100M", the way the work is talked about.
func millions(n int64) string {
	if n%1_000_000 == 0 {
		return fmt.Sprintf("%dM", n/1_000_000)
	}
	return fmt.Sprint(n)
}
