package cpython

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"time"

	"concurrency-playground/internal/runloop"
	"concurrency-playground/internal/workload"
	"concurrency-playground/native/runner"
	"concurrency-playground/site"
)

// Where is a CPython run's "where".
const Where = workload.WhereCPython

// Run runs spec s in interpreter py: the script the page shows for its experiment and variant,
// with the spec's sizes, workers and farm URLs as data, s.Repeat times in one interpreter. Its
// result is a run's like any other, with where "cpython" and the interpreter's version and GIL.
func Run(ctx context.Context, py Interpreter, s workload.Spec, o runner.Options) (workload.Result, error) {
	if err := s.Check(); err != nil {
		return workload.Result{}, err
	}
	if err := s.CheckPython(); err != nil {
		return workload.Result{}, err
	}
	o, stop, err := o.Ready(s)
	if err != nil {
		return workload.Result{}, err
	}
	defer stop()
	dir, err := writeScripts()
	if err != nil {
		return workload.Result{}, err
	}
	defer os.RemoveAll(dir)

	parent := ctx
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	cmd := exec.CommandContext(ctx, py.Path, "-B", "_runner.py")
	cmd.Dir = dir
	cmd.Stdin = bytes.NewReader(jobLine(s, o.FarmURL))
	stderr := &tail{max: 4 << 10}
	cmd.Stderr = stderr
	cmd.WaitDelay = 2 * time.Second
	detach(cmd)
	out, err := cmd.StdoutPipe()
	if err != nil {
		return workload.Result{}, err
	}
	if err := cmd.Start(); err != nil {
		return workload.Result{}, fmt.Errorf("python: %w", err)
	}
	st := newStream(s, o, out)
	res, runErr := runloop.Repeat(s.Repeat, st.repeat)
	if runErr != nil {
		cancel() // kill the interpreter and its workers: the run is over
	}
	go io.Copy(io.Discard, out) // whatever is left, so the interpreter is not blocked writing
	waitErr := cmd.Wait()
	killGroup(cmd) // a worker process the interpreter left behind
	switch {
	case parent.Err() != nil && runErr != nil && !errors.Is(runErr, errScript):
		return workload.Result{}, context.Cause(parent) // cancelled: what the interpreter said as it died is not the news
	case runErr != nil && errors.Is(runErr, errEnded) && waitErr != nil && stderr.last() != "":
		return workload.Result{}, fmt.Errorf("python: %s", stderr.last())
	case runErr != nil:
		return workload.Result{}, runErr
	case waitErr != nil:
		return workload.Result{}, fmt.Errorf("python: %v: %s", waitErr, stderr.last())
	}
	res.Python = new(py.Python())
	res.Spans, res.SpansDropped, res.SpansCoarsened = o.Recorder.Len(), o.Recorder.Dropped(), o.Recorder.Coarsened()
	return res, nil
}

// writeScripts copies the embedded scripts and their runner into a new private directory.
func writeScripts() (string, error) {
	dir, err := os.MkdirTemp("", "playground-python-")
	if err != nil {
		return "", err
	}
	err = fs.WalkDir(site.Python(), ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(site.Python(), path)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dir, path), b, 0o600)
	})
	if err != nil {
		os.RemoveAll(dir)
		return "", err
	}
	return dir, nil
}

// jobLine is what the runner reads on stdin: the script and the spec's numbers, as data.
func jobLine(s workload.Spec, farmURL string) []byte {
	job := map[string]any{
		"script": workload.PythonScript(s.Experiment, s.Variant), "experiment": s.Experiment,
		"repeat": s.Repeat, "workers": s.Workers,
	}
	switch s.Experiment {
	case workload.CPU:
		sizes := make([]int64, s.Tasks)
		for i := range sizes {
			sizes[i] = s.N + int64(i)
		}
		job["sizes"] = sizes
	case workload.IO:
		urls := make([]string, s.Tasks)
		for i := range urls {
			urls[i] = s.TaskURL(farmURL, i)
		}
		job["urls"] = urls
	case workload.Race:
		job["tasks"] = s.Tasks
	}
	b, _ := json.Marshal(job) // plain data: cannot fail
	return append(b, '\n')
}

// tail keeps the last bytes written to it: the interpreter's error output, bounded.
type tail struct {
	mu  sync.Mutex
	max int
	b   []byte
}

func (t *tail) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.b = append(t.b, p...)
	if len(t.b) > t.max {
		t.b = append([]byte(nil), t.b[len(t.b)-t.max:]...)
	}
	return len(p), nil
}

func (t *tail) last() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return lastLine(string(t.b))
}

// newStream reads the runner's records from r.
func newStream(s workload.Spec, o runner.Options, r io.Reader) *stream {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	return &stream{spec: s, rec: o.Recorder, done: o.Done, sc: sc, farmURL: o.FarmURL}
}

// Used so callers can tell why a stream stopped.
var (
	errEnded  = errors.New("python: the interpreter stopped before the run ended")
	errScript = errors.New("python")
)

// scriptError is the error the script or the runner reported: said as it said it.
func scriptError(msg string) error { return fmt.Errorf("%w: %s", errScript, msg) }

func timeNS(ns int64) time.Duration { return time.Duration(ns) }
