// Package cpython runs the lesson's own Python scripts (site/python, embedded in the binary)
// in a real CPython interpreter on this machine, and turns what their tracer records into the
// spans, results, checksum, repeats and progress of any run. The interpreter's path comes only
// from the command line (`-python PATH`, or python3 on PATH); a client names it by its id.
package cpython

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os/exec"
	"strconv"
	"strings"
	"time"

	"concurrency-playground/internal/workload"
)

// Interpreter is one CPython this backend offers. Path is never sent to a client.
type Interpreter struct {
	ID           string
	Path         string
	Version      string // "3.11.2"
	GIL          bool   // the lock is on (sys._is_gil_enabled(), true before 3.13)
	FreeThreaded bool   // a free-threaded build (3.13t, 3.14t), whatever its GIL says now
}

// Python is the interpreter as a result names it.
func (p Interpreter) Python() workload.Python { return workload.Python{Version: p.Version, GIL: p.GIL} }

// probeCode asks the interpreter what it is. It runs with -I: nothing of the environment
// changes the answer.
const probeCode = `import json, platform, sys, sysconfig
print(json.dumps({"impl": platform.python_implementation(), "version": platform.python_version(),
  "gil": sys._is_gil_enabled() if hasattr(sys, "_is_gil_enabled") else True,
  "free_threaded": bool(sysconfig.get_config_var("Py_GIL_DISABLED"))}))`

// probeWait bounds a probe: an interpreter that does not answer its version in that time is
// not one to offer.
const probeWait = 10 * time.Second

// Probe asks the interpreter at path for its version and GIL state. It must be CPython 3.8 or
// later (the scripts need nothing newer).
func Probe(ctx context.Context, path string) (Interpreter, error) {
	ctx, cancel := context.WithTimeout(ctx, probeWait)
	defer cancel()
	out, err := exec.CommandContext(ctx, path, "-I", "-c", probeCode).Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) && len(ee.Stderr) > 0 {
			return Interpreter{}, fmt.Errorf("python %s: %s", path, lastLine(string(ee.Stderr)))
		}
		return Interpreter{}, fmt.Errorf("python %s: %w", path, err)
	}
	var got struct {
		Impl, Version string
		GIL           bool
		FreeThreaded  bool `json:"free_threaded"`
	}
	if err := json.Unmarshal(out, &got); err != nil {
		return Interpreter{}, fmt.Errorf("python %s: did not answer as CPython 3 does", path)
	}
	if got.Impl != "CPython" {
		return Interpreter{}, fmt.Errorf("python %s: %s is not CPython; the lesson measures CPython", path, got.Impl)
	}
	if !atLeast(got.Version, 3, 8) {
		return Interpreter{}, fmt.Errorf("python %s: version %s; the scripts need 3.8 or later", path, got.Version)
	}
	return Interpreter{Path: path, Version: got.Version, GIL: got.GIL, FreeThreaded: got.FreeThreaded}, nil
}

// Name gives each interpreter its id, "cpython-3.11.2" ("…t" for a free-threaded build), with
// "-2", "-3" … after a repeated one, in the order they were given.
func Name(ps []Interpreter) []Interpreter {
	seen := map[string]int{}
	for i := range ps {
		id := "cpython-" + ps[i].Version
		if ps[i].FreeThreaded {
			id += "t"
		}
		seen[id]++
		if n := seen[id]; n > 1 {
			id += "-" + strconv.Itoa(n)
		}
		ps[i].ID = id
	}
	return ps
}

// Find is the interpreter with id, or an error listing those offered.
func Find(ps []Interpreter, id string) (Interpreter, error) {
	var ids []string
	for _, p := range ps {
		if p.ID == id {
			return p, nil
		}
		ids = append(ids, p.ID)
	}
	if len(ids) == 0 {
		return Interpreter{}, fmt.Errorf("python: %q is not offered: this backend offers no CPython (start it with -python PATH)", id)
	}
	return Interpreter{}, fmt.Errorf("python: %q is not offered; offered: %s", id, strings.Join(ids, ", "))
}

func atLeast(version string, major, minor int) bool {
	parts := strings.SplitN(version, ".", 3)
	if len(parts) < 2 {
		return false
	}
	ma, err1 := strconv.Atoi(parts[0])
	mi, err2 := strconv.Atoi(strings.TrimRightFunc(parts[1], func(r rune) bool { return r < '0' || r > '9' }))
	return err1 == nil && err2 == nil && (ma > major || ma == major && mi >= minor)
}

// lastLine is the last non-empty line of a program's error output: a traceback's last line
// is the error itself.
func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.TrimSpace(lines[len(lines)-1])
}
