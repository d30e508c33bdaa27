// Package cli is the native binary's commands, `serve`, `run`, `presets` and `bench`: flags in,
// the lesson's printout (or JSON) out. Running is package runner's and serving package
// server's; this package only talks.
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
type jobFlags struct {
	j   workload.Job
	bad error // the last value a field refused: said as our errors say it, see parse
}

func newJobFlags(fs *flag.FlagSet) *jobFlags {
	f := new(jobFlags)
	for _, field := range workload.Fields {
		set := func(s string) error {
			f.bad = field.Parse(&f.j, s)
			return f.bad
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
// the usage and also returns false, with code 0. jf, when the command has job flags, gives a
// field's own error ("-workers: "abc" is not a whole number; allowed 1..10000") in place of the
// flag package's, which quotes the value twice and knows no bound.
func parse(fs *flag.FlagSet, args []string, stdout, stderr io.Writer, usage string, jf *jobFlags) (ok bool, code int) {
	fs.SetOutput(io.Discard)
	err := fs.Parse(args)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(stdout, usage)
		printDefaults(stdout, fs, jf)
		return false, 0
	}
	if err != nil {
		if jf != nil && jf.bad != nil {
			err = jf.bad
		}
		fmt.Fprintf(stderr, "%s: %s\n", fs.Name(), flagError(err))
		return false, exitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "%s: unexpected argument %q; flags start with -\n", fs.Name(), fs.Arg(0))
		return false, exitUsage
	}
	return true, 0
}

// printDefaults is flag.PrintDefaults with the job fields' argument names from their table:
// the flag package would call each argument "value", or take a backquoted word of the help.
// Only a command with job flags (jf) takes them from the table: bench's -delay and -repeat
// share a field's name but are its own, with its own defaults.
func printDefaults(w io.Writer, fs *flag.FlagSet, jf *jobFlags) {
	fs.VisitAll(func(f *flag.Flag) {
		arg, help := flag.UnquoteUsage(f)
		if field, ok := workload.FieldNamed(f.Name); ok && jf != nil {
			arg, help = field.Arg, field.Help
		}
		line := "  -" + f.Name
		if arg != "" {
			line += " " + arg
		}
		fmt.Fprintf(w, "%s\n    \t%s", line, strings.ReplaceAll(help, "\n", "\n    \t"))
		if def := f.DefValue; def != "" && def != "false" && def != "0" {
			fmt.Fprintf(w, " (default %s)", def)
		}
		fmt.Fprintln(w)
	})
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
