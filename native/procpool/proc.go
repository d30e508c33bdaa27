package procpool

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"time"
)

const (
	// startTimeout bounds a worker's start-up: exec, the Go runtime and the initializer take
	// milliseconds; a worker silent for this long is hung.
	startTimeout = 10 * time.Second
	// exitGrace is how long a worker may take to exit by itself, after its stdin closed or its
	// stdout ended, before it is killed.
	exitGrace = 2 * time.Second
	// waitDelay bounds the wait for a killed worker's pipes to close (exec.Cmd.WaitDelay).
	waitDelay = time.Second
)

// workerGORACE is the race detector's options for the workers of a race-enabled build (see
// race.go); empty otherwise.
var workerGORACE string

// proc is the parent's end of one worker process.
type proc struct {
	index int
	cmd   *exec.Cmd
	stdin io.WriteCloser
	out   *os.File // the read end of the worker's stdout

	replies chan reply    // the worker's messages; closed when its stdout ends or babbles
	readErr error         // why replies closed (nil: end of file); read after it is closed
	quit    chan struct{} // closed to stop the reader when nobody listens any more
	readEnd chan struct{} // closed when the reader has returned

	exited   chan struct{} // closed when the process has been reaped (see wait)
	waitErr  error         // cmd.Wait's error; read after exited is closed
	waitOnce sync.Once
	stderr   tail

	closeOnce sync.Once
}

// strayFiles marks inherited files close-on-exec once, before the first worker starts.
var strayFiles sync.Once

// startProc starts worker index by re-executing this binary with the pool's token in its
// environment, and sends it its hello. ctx ending kills the process.
func startProc(ctx context.Context, index int, h hello) (*proc, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("process: worker %d: cannot find this program to re-execute: %w", index, err)
	}
	p := &proc{index: index, replies: make(chan reply, 64), quit: make(chan struct{}),
		readEnd: make(chan struct{}), exited: make(chan struct{})}
	// The arguments are ignored by the worker; they name it in ps.
	p.cmd = exec.CommandContext(ctx, exe, "process-worker", strconv.Itoa(index))
	p.cmd.Env = append(os.Environ(), envWorker+"="+h.Token)
	if workerGORACE != "" {
		p.cmd.Env = append(p.cmd.Env, "GORACE="+workerGORACE) // exec keeps the last GORACE
	}
	p.cmd.Cancel = func() error { return p.cmd.Process.Kill() } // SIGKILL: nothing to save
	p.cmd.WaitDelay = waitDelay
	p.cmd.SysProcAttr = sysProcAttr()
	strayFiles.Do(keepStrayFilesHome)
	p.cmd.Stderr = &p.stderr
	if p.stdin, err = p.cmd.StdinPipe(); err != nil {
		return nil, fmt.Errorf("process: worker %d: %w", index, err)
	}
	// Our own pipe rather than StdoutPipe: Cmd.Wait closes StdoutPipe's end when the process
	// exits, which would lose the last lines of a dying worker; this one we close ourselves.
	r, w, err := os.Pipe()
	if err != nil {
		p.stdin.Close()
		return nil, fmt.Errorf("process: worker %d: %w", index, err)
	}
	p.out = r
	p.cmd.Stdout = w
	err = p.cmd.Start()
	w.Close() // the child has its copy; ours would keep the pipe open after it dies
	if err != nil {
		r.Close()
		return nil, fmt.Errorf("process: worker %d could not start: %w", index, err)
	}
	go p.read()
	h.Worker = index
	if err := p.send(h); err != nil {
		return p, p.died(ctx, "during start-up")
	}
	return p, nil
}

func (p *proc) pid() int { return p.cmd.Process.Pid }

// wait starts reaping the worker, once, and returns a channel closed when it is reaped. It
// starts only when the worker is expected to end: cmd.Wait blocks a thread in a system call
// that keeps its P (the Go scheduler's right to run code) until sysmon takes it back, which
// takes up to 10 ms in a process that was busy. With a waiter per worker for the whole run,
// a parent with few cores noticed its workers' messages milliseconds late.
func (p *proc) wait() <-chan struct{} {
	p.waitOnce.Do(func() {
		go func() {
			p.waitErr = p.cmd.Wait()
			close(p.exited)
		}()
	})
	return p.exited
}

// read turns the worker's stdout into replies. A line that is not a reply ends it: whatever
// follows cannot be trusted.
func (p *proc) read() {
	defer close(p.readEnd)
	defer close(p.replies)
	lines := bufio.NewScanner(p.out)
	lines.Buffer(make([]byte, 4096), maxLine)
	for lines.Scan() {
		var m reply
		if err := decodeLine(lines.Bytes(), &m); err != nil {
			p.readErr = fmt.Errorf("%q: %v", clip(lines.Text(), 80), err)
			return
		}
		select {
		case p.replies <- m:
		case <-p.quit:
			return
		}
	}
	p.readErr = lines.Err()
}

func (p *proc) send(v any) error {
	_, err := p.stdin.Write(encodeLine(v))
	return err
}

// ready waits for the worker's ready message and checks the token it echoes.
func (p *proc) ready(ctx context.Context, token string) error {
	m, err := p.await(ctx, startTimeout, "during start-up")
	if err != nil {
		return err
	}
	if m.Token != token {
		return p.fail("failed the handshake: its ready message did not echo the pool's token")
	}
	return nil
}

// await waits for the worker's next message for at most timeout. doing says what the worker
// was doing, for the error: "while running task 7".
func (p *proc) await(ctx context.Context, timeout time.Duration, doing string) (reply, error) {
	t := time.NewTimer(timeout)
	defer t.Stop()
	select {
	case m, ok := <-p.replies:
		if !ok {
			return reply{}, p.died(ctx, doing)
		}
		return m, nil
	case <-t.C:
		return reply{}, p.fail(fmt.Sprintf("hung: no answer within %v %s; killed it", timeout, doing))
	case <-ctx.Done():
		return reply{}, context.Cause(ctx)
	}
}

// died explains why the worker's stdout ended: it sent garbage, or it exited.
func (p *proc) died(ctx context.Context, doing string) error {
	if ctx.Err() != nil {
		return context.Cause(ctx) // the run was stopped and killed the worker: not its fault
	}
	select {
	case <-p.readEnd: // readErr is set once the reader has returned
	case <-time.After(exitGrace): // a failed write to a worker that still talks: odd, but bounded
		return p.fail("stopped reading its stdin " + doing + "; killed it")
	}
	if p.readErr != nil {
		return p.fail(fmt.Sprintf("sent garbage %s: %v", doing, p.readErr))
	}
	select {
	case <-p.wait():
	case <-time.After(exitGrace):
		return p.fail("closed its stdout " + doing + " but did not exit; killed it")
	}
	return p.fail(fmt.Sprintf("died: %s %s", exitStatus(p.waitErr), doing))
}

// fail kills and reaps the worker and returns an error naming it, with the tail of its
// stderr.
func (p *proc) fail(what string) error {
	p.close()
	return p.errorf(what)
}

// errorf is an error about the worker, which has been reaped, so its stderr is complete.
func (p *proc) errorf(what string) error {
	msg := fmt.Sprintf("process: worker %d (pid %d) %s", p.index, p.pid(), what)
	if s := p.stderr.String(); s != "" {
		msg += fmt.Sprintf("; its stderr ended with %q", s)
	}
	return errors.New(msg)
}

// finish ends a worker that did its share: its stdin closes, it exits by itself, and it must
// exit cleanly.
func (p *proc) finish() error {
	p.stdin.Close()
	select {
	case <-p.wait():
	case <-time.After(exitGrace):
		return p.fail(fmt.Sprintf("did not exit within %v of its stdin closing; killed it", exitGrace))
	}
	p.close()
	if p.waitErr != nil {
		return p.errorf("exited badly after its tasks: " + exitStatus(p.waitErr))
	}
	return nil
}

// close kills the worker if it still runs, reaps it and stops the reader. It is safe to call
// more than once and returns only when nothing of the worker is left.
func (p *proc) close() {
	p.closeOnce.Do(func() {
		p.stdin.Close()
		select {
		case <-p.exited:
		default:
			p.cmd.Process.Kill()
			<-p.wait() // WaitDelay bounds this even if a grandchild holds the pipes
		}
		close(p.quit)
		p.out.Close() // unblocks the reader if the pipe is still open
		<-p.readEnd
	})
}

// exitStatus says how a process ended: "signal: killed", "exit status 3".
func exitStatus(err error) string {
	if err == nil {
		return "exit status 0"
	}
	return err.Error()
}

// tail keeps the last bytes written to it: a worker's stderr, for error messages.
type tail struct {
	mu  sync.Mutex
	buf []byte
}

const tailSize = 1024

func (t *tail) Write(b []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf = append(t.buf, b...)
	if len(t.buf) > tailSize {
		t.buf = append(t.buf[:0], t.buf[len(t.buf)-tailSize:]...)
	}
	return len(b), nil
}

func (t *tail) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return string(bytes.TrimSpace(t.buf))
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
