//go:build unix

package cli

import (
	"bytes"
	"net/http"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// serve -open opens the page the server serves, once it serves it, in the default browser (a
// stand-in here: no browser starts in a test); without -open nothing is opened.
func TestServeOpenOpensTheServedPage(t *testing.T) {
	if cfg, _, err := parseServeFlags(nil, nil); err != nil || cfg.open {
		t.Fatalf("serve without -open: Open %v, %v; want false", cfg.open, err)
	}
	opened := make(chan string, 1)
	openBrowser = func(url string) error { opened <- url; return nil }
	t.Cleanup(func() { openBrowser = startBrowser })

	var stdout bytes.Buffer
	stderr := &lockedWriter{}
	exited := make(chan int, 1)
	go func() { exited <- Serve([]string{"-addr", "127.0.0.1:0", "-open"}, &stdout, stderr) }()
	var url string
	select {
	case url = <-opened:
	case code := <-exited:
		t.Fatalf("serve exited %d before opening anything:\n%s", code, stderr.String())
	case <-time.After(30 * time.Second):
		t.Fatal("serve -open opened nothing")
	}
	if !strings.HasPrefix(url, "http://127.0.0.1:") || !strings.HasSuffix(url, "/") {
		t.Errorf("opened %q, want the server's page http://127.0.0.1:PORT/", url)
	}
	res, err := http.Get(url + "healthz")
	if err != nil || res.StatusCode != http.StatusOK {
		t.Errorf("the opened address does not serve: %v %v", res, err)
	} else {
		res.Body.Close()
	}
	// serve stops on SIGINT, which its signal handler (set before the page is opened) catches.
	syscall.Kill(syscall.Getpid(), syscall.SIGINT)
	if code := <-exited; code != 0 {
		t.Errorf("serve exited %d after SIGINT:\n%s", code, stderr.String())
	}
}

// lockedWriter is a log buffer that serve's goroutines and the test share.
type lockedWriter struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (w *lockedWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.Write(p)
}

func (w *lockedWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}
