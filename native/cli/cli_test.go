package cli

import (
	"bytes"
	"concurrency-playground/internal/workload"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"concurrency-playground/native/procpool"
)

func TestMain(m *testing.M) {
	procpool.ServeIfWorker()
	os.Exit(m.Run())
}

func call(cmd func([]string, *bytes.Buffer, *bytes.Buffer) int, args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := cmd(args, &out, &errb)
	return code, out.String(), errb.String()
}

func runCmd(args []string, o, e *bytes.Buffer) int     { return Run(args, o, e) }
func presetsCmd(args []string, o, e *bytes.Buffer) int { return Presets(args, o, e) }
func benchCmd(args []string, o, e *bytes.Buffer) int   { return Bench(args, o, e) }

func TestBadInputExits2WithOneLineNamingTheFlag(t *testing.T) {
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"-preset", "cpu_threading", "-workers", "0"}, "run: -workers: 0 is out of range 1..10000"},
		{[]string{"-preset", "cpu_mp", "-workers", "100"}, "run: -workers: 100 is out of range 1..64 for the process variant"},
		{[]string{"-preset", "io_threading", "-delay", "11s"}, "run: -delay: 11s is out of range 0s..10s"},
		{[]string{"-preset", "io_threading", "-delay", "soon"}, `run: -delay: "soon" is not a duration such as "50ms"; allowed 0s..10s`},
		{[]string{"-preset", "io_threading", "-size", "2000000"}, "run: -size: 2000000 is out of range 0..1048576"},
		{[]string{"-preset", "cpu_threading", "-tasks", "-1"}, "run: -tasks: -1 is out of range 1..100000"},
		{[]string{"-experiment", "cpu", "-n", "0"}, "run: -n: 0 is out of range 1..1000000000\n"},
		{[]string{"-preset", "cpu_mp", "-repeat", "11"}, "run: -repeat: 11 is out of range 1..10\n"},
		{[]string{"-experiment", "gpu"}, `run: -experiment: "gpu" is not one of io, cpu, race`},
		{[]string{"-experiment", "race", "-mode", "yolo"}, `run: -mode: "yolo" is not one of unsafe, mutex, atomic`},
		{[]string{"-preset", "nope"}, `run: -preset: "nope" is not a preset`},
		{[]string{"-workers", "x"}, `run: -workers: "x" is not a whole number; allowed 1..10000`},
		{[]string{"-bogus"}, "flag provided but not defined: -bogus"},
		{[]string{}, "run: -experiment: missing"},
		{[]string{"-preset", "cpu_mp", "extra"}, `run: unexpected argument "extra"`},
	}
	for _, c := range cases {
		code, out, errOut := call(runCmd, c.args...)
		if code != 2 || !strings.Contains(errOut, c.want) || strings.Count(errOut, "\n") != 1 || out != "" {
			t.Errorf("run %v: exit %d, stderr %q, stdout %q; want exit 2 and one line containing %q",
				c.args, code, errOut, out, c.want)
		}
	}
	if code, _, errOut := call(benchCmd, "-repeat", "0"); code != 2 || !strings.Contains(errOut, "-repeat: 0 is out of range") {
		t.Errorf("bench -repeat 0: exit %d, %q", code, errOut)
	}
}

func TestHelpExits0AndListsTheFlags(t *testing.T) {
	code, out, _ := call(runCmd, "-h")
	for _, flag := range []string{"-preset", "-experiment", "-variant", "-workers", "-tasks", "-n", "-delay", "-size", "-mode", "-json", "-trace"} {
		if !strings.Contains(out, "  "+flag) {
			t.Errorf("run -h does not list %s", flag)
		}
	}
	if code != 0 {
		t.Errorf("run -h exits %d", code)
	}
}

// Each flag's help gives one default, the command's own: bench's -delay and -repeat share a
// job field's name, and once printed the field's default beside bench's.
func TestHelpGivesEachFlagOneDefault(t *testing.T) {
	for _, tt := range []struct {
		name string
		cmd  func([]string, *bytes.Buffer, *bytes.Buffer) int
		want []string
	}{
		{"run", runCmd, []string{"(default 3 for cpu, 1 otherwise)"}},
		{"bench", benchCmd, []string{"(default 20ms)", "(default 3)", "(default 10)"}},
	} {
		code, out, _ := call(tt.cmd, "-h")
		if code != 0 {
			t.Errorf("%s -h exits %d", tt.name, code)
		}
		for _, line := range strings.Split(out, "\n") {
			if strings.Count(line, "(default ") > 1 {
				t.Errorf("%s -h: %q gives two defaults", tt.name, line)
			}
		}
		for _, w := range tt.want {
			if !strings.Contains(out, w) {
				t.Errorf("%s -h does not say %q:\n%s", tt.name, w, out)
			}
		}
	}
}

func TestRunJSONHasTheDesignedFields(t *testing.T) {
	code, out, errOut := call(runCmd, "-preset", "cpu_mp", "-workers", "2", "-n", "100000", "-json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var r map[string]any
	if err := json.Unmarshal([]byte(out), &r); err != nil || strings.Count(out, "\n") != 1 {
		t.Fatalf("want one JSON object on one line, got %q: %v", out, err)
	}
	for _, f := range []string{"preset", "experiment", "variant", "where", "workers", "tasks", "duration_ns", "results", "checksum"} {
		if _, ok := r[f]; !ok {
			t.Errorf("-json output lacks %q: %s", f, out)
		}
	}
	if r["preset"] != "cpu_mp" || r["variant"] != "process" || r["where"] != "native" || r["workers"] != float64(2) || len(r["results"].([]any)) != 20 {
		t.Errorf("unexpected values: %s", out)
	}
}

func TestRunPrintsWhatTheLessonsScriptsPrint(t *testing.T) {
	_, out, errOut := call(runCmd, "-preset", "io_threading", "-delay", "1ms", "-tasks", "10")
	if !strings.HasPrefix(out, "Downloaded 10 in ") || !strings.Contains(out, " seconds\n") || !strings.Contains(out, "checksum") {
		t.Errorf("io output: %q %q", out, errOut)
	}
	_, out, _ = call(runCmd, "-preset", "cpu_non_concurrent", "-n", "1000")
	if !strings.HasPrefix(out, "Duration ") {
		t.Errorf("cpu output: %q", out)
	}
	_, out, _ = call(runCmd, "-preset", "race_condition", "-mode", "atomic")
	if !strings.HasPrefix(out, "Counter should be 500000, got 500000\n") {
		t.Errorf("race output: %q", out)
	}
	// A race is intermittent: the summary says in how many repeats it lost.
	_, out, _ = call(runCmd, "-preset", "race_condition", "-mode", "atomic", "-tasks", "50", "-repeat", "2")
	if !strings.Contains(out, "lost in 0 of 2 runs, in each: [0 0]") {
		t.Errorf("race output with repeats: %q", out)
	}
}

// -repeat runs the spec N times: the JSON keeps every duration and the fastest as duration_ns;
// the text prints the lesson's line for each repeat, then the fastest and the median.
func TestRunRepeatKeepsTheFastest(t *testing.T) {
	code, out, errOut := call(runCmd, "-preset", "cpu_mp", "-n", "20000", "-repeat", "4", "-json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var res workload.Result
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	if len(res.Repeats) != 4 || res.DurationNS != slices.Min(res.Repeats) || res.Spec.Repeat != 4 {
		t.Errorf("repeats %v, duration_ns %d, spec.repeat %d: want 4 repeats and the fastest", res.Repeats, res.DurationNS, res.Spec.Repeat)
	}
	_, out, _ = call(runCmd, "-preset", "cpu_threading", "-n", "20000")
	if strings.Count(out, "Duration ") != workload.DefaultCPURepeat || !strings.Contains(out, "Fastest ") || !strings.Contains(out, ", median ") {
		t.Errorf("cpu run text, want %d Duration lines and the fastest and median:\n%s", workload.DefaultCPURepeat, out)
	}
	_, out, _ = call(runCmd, "-preset", "io_threading", "-tasks", "4", "-delay", "1ms")
	if strings.Count(out, "Downloaded ") != 1 || strings.Contains(out, "Fastest") {
		t.Errorf("io run text, want one run by default:\n%s", out)
	}
}

func TestRunWritesAChromeTrace(t *testing.T) {
	file := filepath.Join(t.TempDir(), "trace.json")
	code, out, errOut := call(runCmd, "-preset", "cpu_threading", "-n", "10000", "-trace", file)
	if code != 0 || !strings.Contains(out, "written to "+file) {
		t.Fatalf("exit %d: %s %s", code, out, errOut)
	}
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		TraceEvents []struct{ Ph string } `json:"traceEvents"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	spans := 0
	for _, e := range doc.TraceEvents {
		if e.Ph == "X" {
			spans++
		}
	}
	if spans != 20*workload.DefaultCPURepeat {
		t.Errorf("trace has %d spans, want 20 tasks × %d repeats", spans, workload.DefaultCPURepeat)
	}
	if code, _, errOut := call(runCmd, "-preset", "cpu_threading", "-n", "10", "-trace", filepath.Join(file, "no", "dir")); code != 2 || !strings.Contains(errOut, "-trace") {
		t.Errorf("unwritable trace: exit %d, %q", code, errOut)
	}
}

// A trace that opens but refuses writes is found before the run, not after it: /dev/full
// refuses every write, and /proc/version every write even from root. The run is long enough
// (cpu_mp at the default n) that a run before the refusal would show in its output.
func TestRunRefusesAnUnwritableTraceBeforeTheRun(t *testing.T) {
	for _, path := range []string{"/dev/full", "/proc/version"} {
		if _, err := os.Stat(path); err != nil {
			t.Fatalf("%s: %v (this test needs Linux)", path, err)
		}
		code, out, errOut := call(runCmd, "-preset", "cpu_mp", "-trace", path)
		if code != 2 || out != "" || !strings.HasPrefix(errOut, "run: -trace: ") || strings.Count(errOut, "\n") != 1 {
			t.Errorf("run -trace %s: exit %d, stdout %q, stderr %q; want exit 2 before the run, one line naming -trace", path, code, out, errOut)
		}
	}
	// An existing file keeps its content when the trace is refused for another reason.
	file := filepath.Join(t.TempDir(), "old.json")
	os.WriteFile(file, []byte("old"), 0o666)
	if code, _, _ := call(runCmd, "-preset", "cpu_mp", "-workers", "0", "-trace", file); code != 2 {
		t.Errorf("-workers 0: exit %d, want 2", code)
	}
	if b, _ := os.ReadFile(file); string(b) != "old" {
		t.Errorf("a refused run changed the existing trace file to %q", b)
	}
}

func TestPresetsListsEveryPreset(t *testing.T) {
	code, out, _ := call(presetsCmd)
	for _, p := range []string{"io_non_concurrent", "io_threading", "io_asyncio", "io_mp", "cpu_non_concurrent", "cpu_threading", "cpu_gil", "cpu_mp", "race_condition"} {
		if !strings.Contains(out, p+" ") {
			t.Errorf("presets does not list %s", p)
		}
	}
	if code != 0 {
		t.Errorf("exit %d", code)
	}
}
