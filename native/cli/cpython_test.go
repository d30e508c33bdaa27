package cli

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
)

func testPythonPath() string {
	if p := os.Getenv("CPYTHON"); p != "" {
		return p
	}
	return "/usr/bin/python3"
}

// run -python runs the lesson's script in that CPython: where "cpython", its version and GIL,
// Go's checksum, a span per task; and the summary names the interpreter.
func TestRunInCPython(t *testing.T) {
	py := testPythonPath()
	code, out, errOut := call(runCmd, "-preset", "cpu_threading", "-python", py, "-n", "20000", "-tasks", "5", "-repeat", "1", "-json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var r struct {
		Where    string
		Checksum string
		Spans    int
		Python   *struct {
			Version string
			GIL     bool
		}
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	_, goOut, _ := call(runCmd, "-preset", "cpu_threading", "-n", "20000", "-tasks", "5", "-repeat", "1", "-json")
	var g struct{ Checksum string }
	json.Unmarshal([]byte(goOut), &g)
	if r.Where != "cpython" || r.Python == nil || r.Python.Version == "" || r.Checksum != g.Checksum || r.Spans < 5 {
		t.Errorf("got %s; want where cpython, its version, Go's checksum %s, ≥ 5 spans", out, g.Checksum)
	}
	code, out, _ = call(runCmd, "-preset", "cpu_threading", "-python", py, "-n", "20000", "-tasks", "5", "-repeat", "1")
	if code != 0 || !strings.Contains(out, "ran in    CPython 3.") || !strings.Contains(out, "Duration ") {
		t.Errorf("the summary does not name the interpreter:\n%s", out)
	}
}

func TestRunInCPythonRefuses(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-preset", "race_condition", "-mode", "atomic", "-python", testPythonPath()}, "run: -mode: CPython runs the lesson's race as written"},
		{[]string{"-preset", "cpu_mp", "-python", "/nonexistent/python3"}, "run: -python /nonexistent/python3: "},
	} {
		code, out, errOut := call(runCmd, c.args...)
		if code != 2 || !strings.HasPrefix(errOut, c.want) || strings.Count(errOut, "\n") != 1 || out != "" {
			t.Errorf("run %v: exit %d, stderr %q; want exit 2 and one line starting %q", c.args, code, errOut, c.want)
		}
	}
}
