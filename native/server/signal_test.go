//go:build unix

package server

import (
	"bufio"
	"errors"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"concurrency-playground/internal/protocol"
)

// The real binary, killed politely in the middle of a process-pool run: it cancels the run,
// tells the client, closes the socket with 1001, reaps its workers and exits 0.
func TestSIGTERMDuringARunExitsCleanlyWithoutOrphans(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "native")
	goTool, err := exec.LookPath("go")
	if err != nil {
		goTool = filepath.Join(runtime.GOROOT(), "bin", "go")
	}
	args := append(append([]string{"build"}, raceFlags...), "-o", bin, "concurrency-playground/native")
	if out, err := exec.Command(goTool, args...).CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	cmd := exec.Command(bin, "serve", "-addr", "127.0.0.1:0")
	// GORACE: a race build would sleep 1 s on exit. PATH: no python3 for serve to probe, whose
	// probe would be one more child while the workers are counted.
	cmd.Env = append(cmd.Environ(), "GORACE=atexit_sleep_ms=0", "PATH="+t.TempDir())
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill() // if the test fails half-way
	lines := make(chan string, 100)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	var log []string
	url := ""
	for url == "" {
		select {
		case line, ok := <-lines:
			if !ok {
				t.Fatalf("serve exited:\n%s", strings.Join(log, "\n"))
			}
			log = append(log, line)
			if m := regexp.MustCompile(`url=(http://127\.0\.0\.1:\d+)`).FindStringSubmatch(line); m != nil {
				url = m[1]
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("serve did not say where it listens:\n%s", strings.Join(log, "\n"))
		}
	}
	ws, _, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(url, "http")+"/ws", map[string][]string{"Origin": {url}})
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	c := &client{t: t, ws: ws}
	c.next() // hello
	c.run("r", `{"experiment":"io","variant":"process","workers":2,"tasks":20,"delay":"1s","size":100}`)
	c.spawned(2)
	workers := children(cmd.Process.Pid)
	if len(workers) != 2 {
		t.Fatalf("worker processes %v, want 2", workers)
	}

	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if m, _, _ := c.until(protocol.TypeError); m.Code != protocol.CodeCanceled || !strings.Contains(m.Message, "shutting down") {
		t.Errorf("the run at SIGTERM: %+v, want canceled", m)
	}
	ws.SetReadDeadline(time.Now().Add(5 * time.Second))
	_, _, err = ws.ReadMessage()
	var ce *websocket.CloseError
	if !errors.As(err, &ce) || ce.Code != websocket.CloseGoingAway {
		t.Errorf("at SIGTERM: %v, want close 1001", err)
	}
	exited := make(chan error, 1)
	go func() {
		for line := range lines {
			log = append(log, line)
		}
		exited <- cmd.Wait()
	}()
	select {
	case err := <-exited:
		if err != nil {
			t.Errorf("serve exited with %v, want status 0", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("serve still running 5 s after SIGTERM")
	}
	if alive := slices.DeleteFunc(workers, func(p int) bool { return !alive(p) }); len(alive) > 0 {
		t.Errorf("worker processes %v outlived the server", alive)
	}
	if all := strings.Join(log, "\n"); !strings.Contains(all, "msg=stopped") || strings.Contains(all, "level=ERROR") {
		t.Errorf("the log of a clean shutdown:\n%s", all)
	}
}
