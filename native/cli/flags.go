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

// jobFlags binds one flag to each field of workload.Fields. A flag sets its field as it is
// parsed, so a flag the user did not give stays nil in the job and the preset's value (or the
// default) applies; a given flag always counts, even 0.
type jobFlags struct{ j workload.Job }

func newJobFlags(fs *flag.FlagSet) *jobFlags {
	f := new(jobFlags)
	for _, field := range workload.Fields {
		set := func(s string) error {
			err := field.Parse(&f.j, s)
			if fe := (*workload.FieldError)(nil); errors.As(err, &fe) {
				return errors.New(fe.Reason) // the flag package names the flag
			}
			return err
		}
		if field.Kind() == workload.KindBool {
			fs.BoolFunc(field.Name, field.Help, set)
		} else {
			fs.Func(field.Name, field.Help, set)
		}
	}
	return f
}

// job is the job the given flags describe.
func (f *jobFlags) job() workload.Job { return f.j }

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
