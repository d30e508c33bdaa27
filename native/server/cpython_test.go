package server

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"concurrency-playground/internal/protocol"
	"concurrency-playground/native/cpython"
)

// offeredPython is Debian's CPython (or $CPYTHON), probed and named as serve does: the tests
// fail, not skip, on a machine without it (CI installs it).
func offeredPython(t *testing.T) []cpython.Interpreter {
	t.Helper()
	path := os.Getenv("CPYTHON")
	if path == "" {
		path = "/usr/bin/python3"
	}
	p, err := cpython.Probe(context.Background(), path)
	if err != nil {
		t.Fatalf("no CPython to test with (install python3, or set CPYTHON): %v", err)
	}
	return cpython.Name([]cpython.Interpreter{p})
}

// The hello and /api/info list the interpreters by id, never by path; a job that names one
// runs the lesson's script in it, streamed as a Go run is, with Go's checksum.
func TestACPythonRunOverTheSocket(t *testing.T) {
	pythons := offeredPython(t)
	s := start(t, Config{Pythons: pythons})
	resp, err := http.Get(s.URL() + "/api/info")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(body), `"pythons":[{"id":"`+pythons[0].ID+`"`) || strings.Contains(string(body), pythons[0].Path) {
		t.Errorf("/api/info = %s; want the interpreter by id, not by path", body)
	}
	c := dial(t, s)
	job := `{"experiment":"cpu","variant":"process","workers":2,"tasks":6,"n":50000,"repeat":2}`
	c.run("r1", strings.TrimSuffix(job, "}")+`,"python":"`+pythons[0].ID+`"}`)
	last, spans, progress := c.end()
	if last.Type != protocol.TypeResult {
		t.Fatalf("ended with %+v, want a result", last)
	}
	res := last.Result
	if res.Where != cpython.Where || res.Python == nil || res.Python.Version != pythons[0].Version {
		t.Errorf("where %q, python %+v", res.Where, res.Python)
	}
	if want := expectedChecksum(t, job); res.Checksum != want {
		t.Errorf("checksum %s, want Go's %s", res.Checksum, want)
	}
	if len(spans) != res.Spans || len(spans) < 2*6 || len(res.Repeats) != 2 {
		t.Errorf("%d spans streamed, result says %d, %d repeats; want every task's span of both repeats", len(spans), res.Spans, len(res.Repeats))
	}
	if n := len(progress); n == 0 || progress[n-1].Done != 12 || progress[n-1].Total != 12 {
		t.Errorf("progress %+v, want it to end at 12 of 12", progress)
	}
}

// What names no offered interpreter, or asks CPython for what the lesson's script does not do,
// is refused as invalid, naming the field.
func TestCPythonJobsRefused(t *testing.T) {
	pythons := offeredPython(t)
	for _, tt := range []struct {
		cfg       Config
		job, want string
	}{
		{Config{Pythons: pythons}, `{"preset":"cpu_mp","python":"cpython-2.7"}`, `python: "cpython-2.7" is not offered; offered: ` + pythons[0].ID},
		{Config{}, `{"preset":"cpu_mp","python":"cpython-3.11.2"}`, "offers no CPython (start it with -python PATH)"},
		{Config{Pythons: pythons}, `{"preset":"race_condition","mode":"mutex","python":"` + pythons[0].ID + `"}`, "mode: CPython runs the lesson's race as written"},
		{Config{Pythons: pythons}, `{"preset":"cpu_mp","python":"/usr/bin/python3"}`, "python: want an interpreter's id"},
	} {
		c := dial(t, start(t, tt.cfg))
		c.run("r", tt.job)
		m := c.next()
		if m.Type != protocol.TypeError || m.Code != protocol.CodeInvalid || !strings.Contains(m.Message, tt.want) {
			t.Errorf("%s: got %+v, want invalid saying %q", tt.job, m, tt.want)
		}
	}
}

// A disconnect kills the interpreter and every worker process it started: none outlives the
// run, checked in /proc.
func TestDisconnectEndsTheInterpreterAndItsWorkers(t *testing.T) {
	pythons := offeredPython(t)
	s := start(t, Config{Pythons: pythons})
	before := children(syscall.Getpid())
	c := dial(t, s)
	c.run("r", `{"experiment":"io","variant":"process","workers":2,"tasks":8,"delay":"10s","size":100,"python":"`+pythons[0].ID+`"}`)
	c.spawned(2) // both workers started, and now wait 10 s for their first page
	var procs []int
	for _, pid := range without(children(syscall.Getpid()), before) {
		procs = append(procs, pid)
		procs = append(procs, children(pid)...)
	}
	if len(procs) < 3 {
		t.Fatalf("processes %v, want the interpreter and its 2 workers", procs)
	}
	c.ws.NetConn().Close()
	eventually(t, 5*time.Second, fmt.Sprintf("processes %v still alive", procs), func() bool {
		return !slices.ContainsFunc(procs, alive)
	})
	eventually(t, 2*time.Second, "the run still going", func() bool { return s.Stats().Runs == 0 })
}

// serve probes python3 from PATH while it already serves: the interpreters set then are in the
// next hello and /api/info, and a job may name them.
func TestPythonsSetWhileServing(t *testing.T) {
	pythons := offeredPython(t)
	s := start(t, Config{})
	if got := dial(t, s); got == nil {
		t.Fatal("no socket")
	}
	s.SetPythons(pythons)
	ws, _, err := dialRaw(s, s.URL())
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	c := &client{t: t, ws: ws}
	if m := c.next(); m.Info == nil || len(m.Info.Pythons) != 1 || m.Info.Pythons[0].ID != pythons[0].ID {
		t.Fatalf("hello after SetPythons: %+v, want %s offered", m.Info, pythons[0].ID)
	}
	c.run("r", `{"experiment":"race","variant":"sequential","tasks":3,"python":"`+pythons[0].ID+`"}`)
	if last, _, _ := c.end(); last.Type != protocol.TypeResult || last.Result.Where != cpython.Where {
		t.Errorf("a job naming it: %+v", last)
	}
}
