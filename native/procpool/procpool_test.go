package procpool

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"concurrency-playground/internal/trace"
	"concurrency-playground/internal/workload"
)

// Every experiment gives, on a pool of processes, exactly what running its tasks one after
// another gives; every task is one span on its process's lane, and every process has one
// spawn span.
func TestSameResultsAsSequential(t *testing.T) {
	url, stop := startFarm()
	defer stop()
	for _, s := range []workload.Spec{
		{Repeat: 1, Experiment: workload.CPU, Variant: workload.Process, Workers: 2, Tasks: 20, N: 50_000},
		{Repeat: 1, Experiment: workload.CPU, Variant: workload.Process, Workers: 3, Tasks: 2, N: 1_000}, // idle processes too
		{Repeat: 1, Experiment: workload.IO, Variant: workload.Process, Workers: 3, Tasks: 24,
			Delay: workload.Duration(5 * time.Millisecond), Jitter: workload.Duration(3 * time.Millisecond), Size: 2_500},
		{Repeat: 1, Experiment: workload.Race, Variant: workload.Process, Workers: 2, Tasks: 5_000, Mode: workload.Unsafe},
		{Repeat: 1, Experiment: workload.Race, Variant: workload.Process, Workers: 4, Tasks: 30, Mode: workload.Mutex, Yield: true},
	} {
		name := fmt.Sprintf("%s/%d-tasks-on-%d", s.Experiment, s.Tasks, s.Workers)
		if s.Mode != "" {
			name += "/" + string(s.Mode)
		}
		t.Run(name, func(t *testing.T) {
			want, wantCount := sequentialResults(t, s, url)
			rec := trace.NewRecorder(0)
			done := new(atomic.Int64)
			results := make([]string, s.Tasks)
			out, err := Run(context.Background(), s, Options{Recorder: rec, FarmURL: url, Done: done, Results: results})
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(results, want) {
				t.Fatalf("results differ from the sequential run's:\n got %v\nwant %v", results, want)
			}
			if got, w := workload.Checksum(results), workload.Checksum(want); got != w {
				t.Errorf("checksum %s, sequential %s", got, w)
			}
			if done.Load() != int64(s.Tasks) {
				t.Errorf("done = %d, want %d", done.Load(), s.Tasks)
			}
			if s.Experiment == workload.Race && out.Counted != wantCount {
				t.Errorf("counted %d, want %d: processes share no memory, so no update may be lost", out.Counted, wantCount)
			}
			checkSpans(t, s, rec)
		})
	}
}

func checkSpans(t *testing.T, s workload.Spec, rec *trace.Recorder) {
	t.Helper()
	spawn, tasks := spansByState(rec)
	lanes := map[int32]trace.Span{}
	for _, sp := range spawn {
		if _, dup := lanes[sp.Lane]; dup || sp.Lane < 0 || int(sp.Lane) >= s.Workers || sp.Task != trace.NoTask || sp.End <= sp.Start {
			t.Errorf("bad spawn span %+v (workers 0..%d)", sp, s.Workers-1)
		}
		lanes[sp.Lane] = sp
	}
	if len(lanes) != s.Workers {
		t.Errorf("%d spawn spans, want one per process: %d", len(spawn), s.Workers)
	}
	wantState := trace.Compute
	if s.Waits() {
		wantState = trace.Wait
	}
	seen := make([]bool, s.Tasks)
	for _, sp := range tasks {
		if sp.Task < 0 || int(sp.Task) >= s.Tasks || seen[sp.Task] {
			t.Fatalf("task span %+v: unknown or repeated task", sp)
		}
		seen[sp.Task] = true
		spawned, ok := lanes[sp.Lane]
		if !ok || sp.State != wantState || sp.End < sp.Start || sp.Start < spawned.Start {
			t.Errorf("task span %+v: want state %v on a spawned lane, after its spawn %+v", sp, wantState, spawned)
		}
	}
	if len(tasks) != s.Tasks {
		t.Errorf("%d task spans, want %d", len(tasks), s.Tasks)
	}
}

// A spec the pool cannot run is refused before any process starts.
func TestInvalidSpec(t *testing.T) {
	for _, tc := range []struct {
		spec workload.Spec
		want string
	}{
		{workload.Spec{Repeat: 1, Experiment: workload.CPU, Variant: workload.Process, Workers: 65, Tasks: 1, N: 1},
			"workers: 65 is out of range 1..64 for the process variant"},
		{workload.Spec{Repeat: 1, Experiment: workload.IO, Variant: workload.Process, Workers: 1, Tasks: 1},
			"process: the io experiment needs the site farm's URL (Options.FarmURL)"},
	} {
		if _, err := Run(context.Background(), tc.spec, Options{}); err == nil || err.Error() != tc.want {
			t.Errorf("%+v: err = %v, want %q", tc.spec, err, tc.want)
		}
	}
}

// Without the handshake variable the binary is not a worker (TestMain got this far); with it
// but a hello that does not carry the same token, the process refuses to serve.
func TestWorkerRefusesAStrangersHello(t *testing.T) {
	s := workload.Spec{Repeat: 1, Experiment: workload.CPU, Variant: workload.Process, Workers: 1, Tasks: 1, N: 10}
	for _, tc := range []struct {
		name string
		in   []byte
		want string // in its stderr
	}{
		{"wrong token", encodeLine(hello{Token: "someone-else", Spec: s}), "the hello's token does not match the environment's"},
		{"no hello", nil, "stdin closed before the hello"},
		{"garbage", []byte("GET / HTTP/1.1\n"), "bad hello: invalid character"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cmd := exec.Command(os.Args[0])
			cmd.Env = append(os.Environ(), envWorker+"=the-token")
			cmd.Stdin = bytes.NewReader(tc.in)
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			err := cmd.Run()
			if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 2 {
				t.Fatalf("exit: %v, want exit status 2; stderr %q", err, stderr.String())
			}
			if stdout.Len() != 0 {
				t.Errorf("a refusing worker wrote %q to stdout", stdout.String())
			}
			if !strings.Contains(stderr.String(), tc.want) {
				t.Errorf("stderr %q does not say %q", stderr.String(), tc.want)
			}
		})
	}
}

// A worker's environment no longer holds the handshake variable, so nothing it starts can
// take itself for a worker.
func TestWorkerForgetsTheHandshake(t *testing.T) {
	s := workload.Spec{Repeat: 1, Experiment: workload.CPU, Variant: workload.Process, Workers: 2, Tasks: 4, N: 10}
	results := make([]string, s.Tasks)
	askFault(t, faultRequest{Kind: faultEnviron, Task: 2})
	_, err := Run(context.Background(), s, Options{Results: results})
	if err != nil {
		t.Fatal(err)
	}
	if results[2] != "environ:" {
		t.Errorf("a worker's environment still names %q, want nothing of the handshake", strings.TrimPrefix(results[2], "environ:"))
	}
}
