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
	if ok, code := parse(fs, args, stdout, stderr, presetsUsage); !ok {
		return code
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "PRESET\tEXPERIMENT\tVARIANT\tWORKERS\tTHE LESSON'S SCRIPT")
	for _, p := range workload.Presets {
		workers := fmt.Sprint(p.Spec.Workers)
		switch {
		case p.Spec.Workers == 0 && p.Spec.Variant == workload.EventLoop:
			workers = "per task"
		case p.Spec.Workers == 0:
			workers = "per core"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", p.Name, p.Spec.Experiment, p.Spec.Variant, workers, p.Script)
	}
	tw.Flush()
	return 0
}
