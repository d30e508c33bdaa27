//go:build linux

package main

import (
	"context"
	"errors"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// `make edge-dev` stopped with SIGTERM, as a process manager or `kill` stops it, leaves nothing
// on the port: the signal reaches workerd, so the next `make edge-dev` can bind. It runs the
// Worker make test-edge built (EDGE_WORKER_DIR), telling make not to rebuild it or the page.
func TestMakeEdgeDevStoppedWithSIGTERMFreesThePort(t *testing.T) {
	worker := os.Getenv("EDGE_WORKER_DIR")
	if worker == "" {
		t.Skip("EDGE_WORKER_DIR is not set: make test-edge runs this with the Worker it built")
	}
	root, err := filepath.Abs("../../..")
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_, port, _ := net.SplitHostPort(addr)
	ln.Close()

	cmd := exec.Command("make", "-C", root, "-o", "edge", "-o", "site", "edge-dev", "EDGE_PORT="+port, "EDGE_DIR="+worker)
	cmd.Env = append(os.Environ(), "MAKEFLAGS=", "MAKELEVEL=")
	// Its own process group, so that whatever it leaves behind is killed when the test ends;
	// the SIGTERM under test goes to make alone.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) })

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	for { // until workerd answers
		req, _ := http.NewRequestWithContext(ctx, "GET", "http://"+addr+"/healthz", nil)
		if res, err := http.DefaultClient.Do(req); err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				break
			}
		}
		select { // workerd starts in a fraction of a second; make may first build bin/edge
		case <-ctx.Done():
			t.Fatalf("make edge-dev did not serve /healthz on %s", addr)
		case <-time.After(20 * time.Millisecond):
		}
	}
	http.DefaultClient.CloseIdleConnections()
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	// workerd ends on the signal; once it has, the port is free to bind.
	ctx, cancel = context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for {
		ln, err := net.Listen("tcp", addr)
		if err == nil {
			ln.Close()
			return
		}
		if !errors.Is(err, syscall.EADDRINUSE) {
			t.Fatal(err)
		}
		select {
		case <-ctx.Done():
			t.Fatalf("%s is still taken after make edge-dev ended on SIGTERM: workerd outlived it", addr)
		case <-time.After(20 * time.Millisecond):
		}
	}
}
