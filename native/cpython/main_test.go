package cpython

import (
	"context"
	"os"
	"os/exec"
	"sync"
	"testing"

	"concurrency-playground/native/procpool"
)

func TestMain(m *testing.M) {
	procpool.ServeIfWorker() // Go's process variant, which the checksums are compared with, re-executes this binary
	os.Exit(m.Run())
}

// testPython is the interpreter the tests run: $CPYTHON, else Debian's /usr/bin/python3 (the
// one CI installs, with requests and aiohttp), else python3 on PATH. There is no skipping: a
// machine without CPython fails here, saying what to install.
func testPython(t testing.TB) Interpreter {
	t.Helper()
	pythonOnce.Do(func() {
		path := os.Getenv("CPYTHON")
		if path == "" {
			path = "/usr/bin/python3"
			if _, err := os.Stat(path); err != nil {
				path, _ = exec.LookPath("python3")
			}
		}
		if path == "" {
			pythonErr = errNoPython
			return
		}
		p, err := Probe(context.Background(), path)
		pythonErr = err
		if err == nil {
			python = Name([]Interpreter{p})[0]
		}
	})
	if pythonErr != nil {
		t.Fatalf("no CPython to test with (install python3, python3-requests and python3-aiohttp, or set CPYTHON): %v", pythonErr)
	}
	return python
}

var (
	pythonOnce  sync.Once
	python      Interpreter
	pythonErr   error
	errNoPython = exec.ErrNotFound
)
