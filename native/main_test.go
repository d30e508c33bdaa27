package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// bin is the native binary, built once for these tests: they run it as a user would.
var bin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "native-cli-test")
	if err != nil {
		panic(err)
	}
	bin = filepath.Join(dir, "native")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		os.RemoveAll(dir)
		panic("go build: " + err.Error() + "\n" + string(out))
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// native runs the binary and returns its exit code, stdout and stderr.
func native(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	cmd := exec.Command(bin, args...)
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	if ee := (*exec.ExitError)(nil); errors.As(err, &ee) {
		return ee.ExitCode(), out.String(), errb.String()
	} else if err != nil {
		t.Fatalf("native %v: %v", args, err)
	}
	return 0, out.String(), errb.String()
}

func TestHelpFlagsListTheCommands(t *testing.T) {
	for _, h := range []string{"help", "-h", "-help", "--help"} {
		code, out, errOut := native(t, h)
		if code != 0 || errOut != "" {
			t.Errorf("native %s: exit %d, stderr %q; want exit 0 and nothing on stderr", h, code, errOut)
		}
		for _, cmd := range []string{"native [serve]", "native run", "native presets", "native bench"} {
			if !strings.Contains(out, cmd) {
				t.Errorf("native %s does not list %q; it printed:\n%s", h, cmd, out)
			}
		}
	}
}

// Each flag's line names its argument and quotes its default once: the flag package neither
// adds a second default nor takes a word of the help for the argument's name.
func TestRunHelpQuotesEachDefaultOnceAndNamesNoArgumentFromTheHelp(t *testing.T) {
	code, out, _ := native(t, "run", "-h")
	if code != 0 {
		t.Fatalf("run -h: exit %d", code)
	}
	for line := range strings.SplitSeq(out, "\n") {
		if strings.Count(line, "(default") > 1 {
			t.Errorf("run -h quotes a default twice: %q", line)
		}
	}
	if m := regexp.MustCompile(`(?m)^  -preset (\S+)`).FindStringSubmatch(out); m == nil || m[1] != "NAME" {
		t.Errorf("run -h: want the line \"  -preset NAME\"; got %q in:\n%s", m, out)
	}
}

func TestFlagsThatDoNotBelongToTheExperimentAreRefused(t *testing.T) {
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"-experiment", "cpu", "-mode", "yolo", "-delay", "1h"}, "run: -delay: the cpu experiment has no delay (it is io's)"},
		{[]string{"-experiment", "cpu", "-mode", "yolo"}, "run: -mode: the cpu experiment has no mode (it is race's)"},
		{[]string{"-experiment", "cpu", "-delay", "1h"}, "run: -delay: the cpu experiment has no delay (it is io's)"},
		{[]string{"-experiment", "race", "-delay", "-5ms", "-size", "-5"}, "run: -delay: the race experiment has no delay (it is io's)"},
		{[]string{"-preset", "io_threading", "-n", "5"}, "run: -n: the io experiment has no n (it is cpu's)"},
		{[]string{"-preset", "cpu_mp", "-yield"}, "run: -yield: the cpu experiment has no yield (it is race's)"},
	}
	for _, c := range cases {
		code, out, errOut := native(t, append([]string{"run"}, c.args...)...)
		if code != 2 || !strings.HasPrefix(errOut, c.want) || strings.Count(errOut, "\n") != 1 || out != "" {
			t.Errorf("run %v: exit %d, stderr %q, stdout %q; want exit 2 and one line starting %q", c.args, code, errOut, out, c.want)
		}
	}
}

func TestAnUnwritableTraceIsRefusedBeforeTheRun(t *testing.T) {
	path := filepath.Join(t.TempDir(), "no-such-dir", "trace.json")
	// A run of a minute: refused at once, or this test times out.
	code, out, errOut := native(t, "run", "-experiment", "io", "-variant", "sequential", "-tasks", "1200", "-delay", "50ms", "-trace", path)
	if code != 2 || !strings.HasPrefix(errOut, "run: -trace: ") || !strings.Contains(errOut, "no-such-dir") || out != "" {
		t.Errorf("run -trace %s: exit %d, stderr %q, stdout %q; want exit 2 and one line naming -trace and the path", path, code, errOut, out)
	}
	if strings.Contains(errOut, "Downloaded") || strings.Contains(out, "Downloaded") {
		t.Errorf("the run went ahead: %q", out)
	}
}

func TestAWritableTraceIsWrittenAndNotLeftBehindWhenTheRunFails(t *testing.T) {
	path := filepath.Join(t.TempDir(), "trace.json")
	if code, _, errOut := native(t, "run", "-preset", "cpu_threading", "-n", "1000", "-trace", path); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if b, err := os.ReadFile(path); err != nil || !bytes.Contains(b, []byte("traceEvents")) {
		t.Errorf("trace file: %v, %.80q", err, b)
	}
}

func TestVagueErrorsNameTheFlagAndTheAllowedForm(t *testing.T) {
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"run", "-preset", "cpu_threading", "-tasks", "99999999999999999999"}, "run: -tasks: 99999999999999999999 is out of range 1..100000\n"},
		{[]string{"run", "-preset", "cpu_threading", "-workers", "abc"}, `run: -workers: "abc" is not a whole number; allowed 1..10000 (1..64 for process)` + "\n"},
		{[]string{"run", "-preset", "io_threading", "-delay", "soon"}, `run: -delay: "soon" is not a duration such as "50ms"; allowed 0s..10s` + "\n"},
		{[]string{"run", "-preset", "race_condition", "-yield=maybe"}, `run: -yield: "maybe" is not true or false` + "\n"},
		{[]string{"serve", "-log-level", "loud"}, `serve: -log-level: "loud" is not one of debug, info, warn, error` + "\n"},
	}
	for _, c := range cases {
		code, out, errOut := native(t, c.args...)
		if code != 2 || errOut != c.want || out != "" {
			t.Errorf("native %v: exit %d, stderr %q, stdout %q; want exit 2 and stderr %q", c.args, code, errOut, out, c.want)
		}
	}
}

// version, -version and --version print one line with the version and the commit, the values
// a release build sets with -X when the go command wrote no VCS stamp.
func TestVersionPrintsTheVersionAndCommitTheBuildSet(t *testing.T) {
	stamped := filepath.Join(t.TempDir(), "native")
	build := exec.Command("go", "build", "-o", stamped, "-ldflags",
		"-X main.version=v9.8.7 -X main.commit=0123456789abcdef0123456789abcdef01234567", ".")
	build.Env = append(os.Environ(), "CGO_ENABLED=0", "GOFLAGS=-buildvcs=false")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	for _, arg := range []string{"version", "-version", "--version"} {
		out, err := exec.Command(stamped, arg).Output()
		want := regexp.MustCompile(`^concurrency-playground v9\.8\.7 \(commit 0123456789abcdef0123456789abcdef01234567, go1\.\d+`)
		if err != nil || !want.Match(out) || strings.Count(string(out), "\n") != 1 {
			t.Errorf("native %s: %q, %v; want one line matching %s", arg, out, err, want)
		}
	}
	// Unstamped (a plain go build): it says so rather than inventing a version.
	if code, out, _ := native(t, "version"); code != 0 || !strings.Contains(out, "(commit unknown,") {
		t.Errorf("unstamped native version: exit %d, %q", code, out)
	}
}
