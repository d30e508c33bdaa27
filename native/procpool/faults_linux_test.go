package procpool

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"concurrency-playground/internal/proctest"
	"concurrency-playground/internal/workload"
)

// These tests break workers on purpose and check, in /proc, that nothing is left behind.

// children lists this process's child processes, zombies included, as pid → state.
func children() map[int]byte { return proctest.Children(os.Getpid()) }

// checkNothingLeft fails the test if a worker is still running or is a zombie.
func checkNothingLeft(t *testing.T, workers map[int]int) {
	t.Helper()
	for w, pid := range workers {
		if state, _, ok := proctest.Stat(pid); ok {
			t.Errorf("worker %d (pid %d) is still there, state %c", w, pid, state)
		}
	}
	if kids := children(); len(kids) > 0 {
		t.Errorf("child processes left behind (pid → state): %v", kids)
	}
}

// runInBackground runs the pool on its own goroutine; the result arrives on the channel.
type runResult struct {
	err error
	at  time.Time
}

func runInBackground(ctx context.Context, s workload.Spec, o Options) <-chan runResult {
	c := make(chan runResult, 1)
	go func() {
		_, err := Run(ctx, s, o)
		c <- runResult{err, time.Now()}
	}()
	return c
}

func waitResult(t *testing.T, c <-chan runResult) runResult {
	t.Helper()
	select {
	case r := <-c:
		return r
	case <-time.After(20 * time.Second):
		t.Fatal("the run hung: no result within 20 s")
		return runResult{}
	}
}

// A worker killed with SIGKILL in the middle of a download fails the run with an error that
// names it, its pid and its task; the other worker is killed and every process reaped.
func TestWorkerKilledFailsTheRun(t *testing.T) {
	url, busy, stop := startBusyFarm(2)
	defer stop()
	pids := watchPids(t)
	s := workload.Spec{Repeat: 1, Experiment: workload.IO, Variant: workload.Process, Workers: 2, Tasks: 10,
		Delay: workload.Duration(200 * time.Millisecond), Size: 1000}
	c := runInBackground(context.Background(), s, Options{FarmURL: url})
	pids.waitReady(t, 2)
	waitBusy(t, busy) // worker 1 is in the middle of a task, not between two
	victim := pids.get(1)
	if err := syscall.Kill(victim, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	killed := time.Now()
	r := waitResult(t, c)
	want := regexp.MustCompile(fmt.Sprintf(`^process: worker 1 \(pid %d\) died: signal: killed while running task \d+$`, victim))
	if r.err == nil || !want.MatchString(r.err.Error()) {
		t.Fatalf("err = %v, want it to match %s", r.err, want)
	}
	t.Logf("failed %v after the kill: %v", r.at.Sub(killed), r.err)
	checkNothingLeft(t, pids.all())
}

// Ctrl-C signals the whole process group: workers leave it to their parent, which cancels.
func TestWorkersIgnoreInterrupt(t *testing.T) {
	url, stop := startFarm()
	defer stop()
	pids := watchPids(t)
	s := workload.Spec{Repeat: 1, Experiment: workload.IO, Variant: workload.Process, Workers: 2, Tasks: 6,
		Delay: workload.Duration(50 * time.Millisecond), Size: 1000}
	c := runInBackground(context.Background(), s, Options{FarmURL: url})
	pids.waitReady(t, 2)
	for _, pid := range pids.all() {
		if err := syscall.Kill(pid, syscall.SIGINT); err != nil {
			t.Fatal(err)
		}
	}
	if r := waitResult(t, c); r.err != nil {
		t.Fatalf("a worker died of SIGINT: %v", r.err)
	}
	checkNothingLeft(t, pids.all())
}

// A worker that hangs, babbles, exits or fails the handshake fails the run: the error names
// the worker and its pid and says what happened, and nothing is left running.
func TestFaultyWorkerFailsTheRun(t *testing.T) {
	// Only the hang needs a short watchdog. It applies to every task, so it is long enough for
	// a loaded machine to answer the others: a slow answer must not be taken for the hang.
	for _, tc := range []struct {
		fault   faultRequest
		timeout time.Duration // Options.TaskTimeout; 0: the default
		want    string        // after "process: worker W (pid P) "
	}{
		{faultRequest{Kind: faultHang, Task: 3}, time.Second, `hung: no answer within 1s while running task 3; killed it`},
		{faultRequest{Kind: faultGarbage, Task: 3}, 0, `sent garbage while running task 3: "this is not a reply": invalid character .*`},
		{faultRequest{Kind: faultExit, Task: 3}, 0, `died: exit status 3 while running task 3; its stderr ended with "test fault: exiting with status 3 on purpose"`},
		{faultRequest{Kind: faultToken}, 0, `failed the handshake: its ready message did not echo the pool's token`},
	} {
		t.Run(tc.fault.Kind, func(t *testing.T) {
			pids := watchPids(t)
			s := workload.Spec{Repeat: 1, Experiment: workload.CPU, Variant: workload.Process, Workers: 2, Tasks: 8, N: 1000}
			askFault(t, tc.fault)
			start := time.Now()
			r := waitResult(t, runInBackground(context.Background(), s,
				Options{TaskTimeout: tc.timeout}))
			want := regexp.MustCompile(`^process: worker (\d) \(pid (\d+)\) ` + tc.want + `$`)
			m := want.FindStringSubmatch(fmt.Sprint(r.err))
			if m == nil {
				t.Fatalf("err = %v, want it to match %s", r.err, want)
			}
			if w, _ := strconv.Atoi(m[1]); tc.fault.Kind != faultToken && strconv.Itoa(pids.get(w)) != m[2] {
				t.Errorf("the error names pid %s, but worker %d was pid %d", m[2], w, pids.get(w))
			}
			t.Logf("failed after %v: %v", r.at.Sub(start), r.err)
			checkNothingLeft(t, pids.all())
		})
	}
}

// A task that fails in its worker fails the run with the worker's error.
func TestTaskErrorFailsTheRun(t *testing.T) {
	url, stop := startFarm()
	stop() // nothing listens there any more: every download fails
	pids := watchPids(t)
	s := workload.Spec{Repeat: 1, Experiment: workload.IO, Variant: workload.Process, Workers: 2, Tasks: 4, Size: 100}
	r := waitResult(t, runInBackground(context.Background(), s, Options{FarmURL: url}))
	want := regexp.MustCompile(`^process: worker \d \(pid \d+\) failed: task \d: Get "` + regexp.QuoteMeta(url) + `/farm/.*connection refused$`)
	if r.err == nil || !want.MatchString(r.err.Error()) {
		t.Fatalf("err = %v, want it to match %s", r.err, want)
	}
	checkNothingLeft(t, pids.all())
}

// Cancelling the run's context stops it at once, with context.Canceled, and reaps every
// worker, whether they are busy or still starting.
func TestCancelStopsTheRun(t *testing.T) {
	url, busy, stop := startBusyFarm(2)
	defer stop()
	s := workload.Spec{Repeat: 1, Experiment: workload.IO, Variant: workload.Process, Workers: 2, Tasks: 4,
		Delay: workload.Duration(10 * time.Second), Size: 1000}

	t.Run("mid-run", func(t *testing.T) {
		pids := watchPids(t)
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		c := runInBackground(ctx, s, Options{FarmURL: url})
		pids.waitReady(t, 2)
		waitBusy(t, busy) // both are waiting for their first page
		cancelled := time.Now()
		cancel()
		r := waitResult(t, c)
		if !errors.Is(r.err, context.Canceled) {
			t.Fatalf("err = %v, want context.Canceled", r.err)
		}
		// It takes ~100 ms, and over a second on a loaded machine: a bound in wall time is not
		// certain. What is: a run that ignored the cancel would wait for its pages, which take
		// 10 s and had only just been asked for.
		if d, page := r.at.Sub(cancelled), time.Duration(s.Delay); d > page/2 {
			t.Errorf("Run returned %v after the cancel, want well under the %v a page takes", d, page)
		} else {
			t.Logf("Run returned %v after the cancel", d)
		}
		checkNothingLeft(t, pids.all())
	})

	t.Run("during start-up", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		c := runInBackground(ctx, s, Options{FarmURL: url})
		cancel()
		if r := waitResult(t, c); !errors.Is(r.err, context.Canceled) {
			t.Fatalf("err = %v, want context.Canceled", r.err)
		}
		checkNothingLeft(t, nil)
	})
}

// A parent killed with SIGKILL runs no clean-up, yet its workers die within 2 s: Pdeathsig,
// and stdin reaching EOF. The parent is a copy of this test binary (runLongParent). This test
// makes itself a child subreaper so that the orphaned workers become its children: it can
// then reap them and see them gone, whether or not this machine's init reaps orphans.
func TestParentKilledLeavesNoWorker(t *testing.T) {
	const prSetChildSubreaper = 36
	if _, _, e := syscall.RawSyscall(syscall.SYS_PRCTL, prSetChildSubreaper, 1, 0); e != 0 {
		t.Fatalf("prctl(PR_SET_CHILD_SUBREAPER): %v", e)
	}
	defer syscall.RawSyscall(syscall.SYS_PRCTL, prSetChildSubreaper, 0, 0)

	parent := exec.Command(os.Args[0])
	parent.Env = append(os.Environ(), envTestParent+"=1")
	var stderr strings.Builder
	parent.Stderr = &stderr
	out, err := parent.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := parent.Start(); err != nil {
		t.Fatal(err)
	}
	defer parent.Process.Kill()

	workers := map[int]int{}
	lines := make(chan string, 16)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	// "ready W PID" for each worker, then "busy": both are waiting for their first page.
	for busy := false; !busy; {
		select {
		case line, ok := <-lines:
			var w, pid int
			if _, err := fmt.Sscanf(line, "ready %d %d", &w, &pid); err == nil {
				workers[w] = pid
				continue
			}
			if !ok || line != "busy" || len(workers) != 2 {
				t.Fatalf("the parent said %q after %d ready workers; stderr: %s", line, len(workers), stderr.String())
			}
			busy = true
		case <-time.After(20 * time.Second):
			t.Fatalf("the parent's workers were not downloading within 20 s; stderr: %s", stderr.String())
		}
	}

	if err := parent.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	killed := time.Now()
	parent.Wait()
	go func() {
		for range lines { // drain: the scanner ends when the parent's stdout closes
		}
	}()

	for w, pid := range workers {
		for {
			var ws syscall.WaitStatus
			got, err := syscall.Wait4(pid, &ws, syscall.WNOHANG, nil)
			if err != nil {
				t.Fatalf("wait4(worker %d, pid %d): %v (was it not re-parented to this subreaper?)", w, pid, err)
			}
			if got == pid {
				// SIGKILL is Pdeathsig; without it stdin's EOF would end the worker instead
				// (exit status 0, or SIGPIPE as it answers a parent that is gone).
				how := fmt.Sprintf("exit status %d", ws.ExitStatus())
				if ws.Signaled() {
					how = "signal: " + ws.Signal().String()
				}
				t.Logf("worker %d (pid %d) ended %v after its parent was killed: %s", w, pid, time.Since(killed), how)
				break
			}
			if time.Since(killed) > 2*time.Second {
				state, _, _ := proctest.Stat(pid)
				syscall.Kill(pid, syscall.SIGKILL)
				t.Fatalf("worker %d (pid %d) still there 2 s after its parent was killed, state %c", w, pid, state)
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	checkNothingLeft(t, workers)
}

// A file the server inherited (a shell's redirection, a socket of the program that started
// it) is not handed on to the workers: they hold only the pool's pipes. The parent is this
// test binary (runFilesParent), given a stray file as its descriptor 3 without close-on-exec.
func TestWorkersInheritNoStrayFiles(t *testing.T) {
	stray, err := os.Create(filepath.Join(t.TempDir(), "stray"))
	if err != nil {
		t.Fatal(err)
	}
	defer stray.Close()
	parent := exec.Command(os.Args[0])
	parent.Env = append(os.Environ(), envTestFilesParent+"=1")
	parent.ExtraFiles = []*os.File{stray}
	out, err := parent.Output()
	if err != nil || !strings.HasSuffix(string(out), "done\n") {
		t.Fatalf("the parent: %v; it printed:\n%s", err, out)
	}
	held := 0
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if strings.HasSuffix(line, stray.Name()) {
			t.Errorf("worker holds the parent's stray file: %s", line)
		}
		held++
	}
	if held < 4 { // two workers, each with at least stdin, stdout and stderr, and "done"
		t.Errorf("the workers' files were not listed:\n%s", out)
	}
}
