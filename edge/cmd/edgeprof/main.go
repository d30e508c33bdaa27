//go:build linux

// Command edgeprof tells where the Worker's time per request goes: it runs the Worker in
// workerd with V8's inspector on loopback, sends it requests, CPU-profiles them through the
// inspector and prints the sampled time by part (instantiating the wasm, Go's start, the
// request's way in and out, the handler, timers, garbage collection…) per request, with
// workerd's CPU time per request beside it. Built from the tree unless -worker names a built
// Worker; its wasm keeps its function names (no -s -w), which the parts are told by.
//
//	go run ./edge/cmd/edgeprof [-n 400] [-c 40] [-path '/farm/prof?delay=0ms&size=1'] [-worker DIR]
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/gorilla/websocket"

	"concurrency-playground/edge"
)

func main() {
	n := flag.Int("n", 400, "requests to profile")
	c := flag.Int("c", 40, "of them at once")
	path := flag.String("path", "/farm/prof?delay=0ms&size=1", "what to GET")
	worker := flag.String("worker", "", "a built Worker's `directory` (default: build one with function names)")
	flag.Parse()
	if err := run(*worker, *path, *n, *c); err != nil {
		fmt.Fprintln(os.Stderr, "edgeprof:", err)
		os.Exit(1)
	}
}

func run(worker, path string, n, c int) error {
	tmp, err := os.MkdirTemp("", "edgeprof-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	if worker == "" {
		worker = filepath.Join(tmp, "worker")
		if err := buildNamed(worker); err != nil {
			return err
		}
	}
	base, inspector, pid, stop, err := start(worker, tmp)
	if err != nil {
		return err
	}
	defer stop()
	client := &http.Client{Transport: &http.Transport{Proxy: nil, MaxIdleConnsPerHost: c}}
	// The Go instance starts on the first request, and V8 optimises the wasm's hot functions
	// over the first few hundred: profile a warm Worker, as a long-lived isolate is.
	if err := requests(client, base+path, 400, 1); err != nil {
		return err
	}
	p, err := attach(inspector)
	if err != nil {
		return err
	}
	defer p.Close()
	for _, m := range []string{"Profiler.enable", "Profiler.setSamplingInterval", "Profiler.start"} {
		if _, err := p.call(m, map[string]any{"interval": 100}); err != nil {
			return err
		}
	}
	cpu0 := cpuTime(pid)
	t0 := time.Now()
	if err := requests(client, base+path, n, c); err != nil {
		return err
	}
	wall, cpu := time.Since(t0), cpuTime(pid)-cpu0
	raw, err := p.call("Profiler.stop", nil)
	if err != nil {
		return err
	}
	ms, total, err := breakdown(raw)
	if err != nil {
		return err
	}
	fmt.Printf("%d × GET %s, %d at once, in workerd: %v in all, %.2f ms of workerd's CPU time per request\n",
		n, path, c, wall.Round(time.Millisecond), float64(cpu)/1e6/float64(n))
	fmt.Println("where a request's time goes (V8's samples every 100 µs, per request and as a share):")
	print(os.Stdout, ms, total, n)
	return nil
}

// buildNamed builds the Worker as make edge does, but with the wasm's function names kept.
func buildNamed(out string) error {
	if err := edge.Build(".", out); err != nil {
		return err
	}
	cmd := exec.Command("go", "build", "-trimpath", "-o", filepath.Join(out, "app.wasm"), "./edge/worker")
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	if b, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("%v: %v\n%s", cmd.Args, err, b)
	}
	return nil
}

// start runs the Worker in workerd on a loopback socket it opened itself, with the inspector
// on another loopback port, and waits until it answers.
func start(worker, tmp string) (base, inspector string, pid int, stop func(), err error) {
	workerd, err := edge.Workerd(".")
	if err != nil {
		return "", "", 0, nil, err
	}
	config, err := edge.WriteConfig(tmp, edge.Config{WorkerDir: worker, AssetsDir: "site/dist", Addr: "127.0.0.1:0"})
	if err != nil {
		return "", "", 0, nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", "", 0, nil, err
	}
	sock, _ := ln.(*net.TCPListener).File()
	ln.Close()
	defer sock.Close()
	base = "http://" + ln.Addr().String()
	if inspector, err = freeAddr(); err != nil {
		return "", "", 0, nil, err
	}
	cmd := exec.Command(workerd, "serve", config, "--socket-fd", "http=3", "--inspector-addr", inspector)
	cmd.ExtraFiles = []*os.File{sock}
	cmd.Stderr = os.Stderr
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		return "", "", 0, nil, err
	}
	stop = func() { syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL); cmd.Wait() }
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if res, err := http.Get(base + "/healthz"); err == nil {
			res.Body.Close()
			return base, inspector, cmd.Process.Pid, stop, nil
		}
		if time.Now().After(deadline) {
			stop()
			return "", "", 0, nil, errors.New("workerd did not answer within 30 s")
		}
	}
}

func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// requests sends n GETs of url, c at a time, and wants each answered 200.
func requests(client *http.Client, url string, n, c int) error {
	var mu sync.Mutex
	var first error
	for i := 0; i < n; i += c {
		var wg sync.WaitGroup
		for range min(c, n-i) {
			wg.Go(func() {
				res, err := client.Get(url)
				if err == nil {
					io.Copy(io.Discard, res.Body)
					res.Body.Close()
					if res.StatusCode != http.StatusOK {
						err = fmt.Errorf("GET %s: %s", url, res.Status)
					}
				}
				mu.Lock()
				first = errors.Join(first, err)
				mu.Unlock()
			})
		}
		wg.Wait()
		if first != nil {
			return first
		}
	}
	return nil
}

// cpuTime is the process's user and system CPU time so far (/proc/PID/stat, in clock ticks of
// 10 ms).
func cpuTime(pid int) time.Duration {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0
	}
	f := strings.Fields(string(b[strings.LastIndexByte(string(b), ')')+2:]))
	utime, _ := strconv.Atoi(f[11])
	stime, _ := strconv.Atoi(f[12])
	return time.Duration(utime+stime) * 10 * time.Millisecond
}

// inspectorConn is a connection to V8's inspector (the Chrome DevTools protocol).
type inspectorConn struct {
	*websocket.Conn
	id int
}

func attach(addr string) (*inspectorConn, error) {
	res, err := http.Get("http://" + addr + "/json/list")
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	var targets []struct {
		ID  string `json:"id"`
		URL string `json:"webSocketDebuggerUrl"`
	}
	if err := json.NewDecoder(res.Body).Decode(&targets); err != nil {
		return nil, err
	}
	for _, t := range targets {
		if t.ID == "edge" {
			conn, _, err := websocket.DefaultDialer.Dial(t.URL, nil)
			return &inspectorConn{Conn: conn}, err
		}
	}
	return nil, fmt.Errorf("workerd's inspector lists no Worker named edge: %v", targets)
}

// call sends one command and returns its result, skipping the events in between.
func (c *inspectorConn) call(method string, params any) (json.RawMessage, error) {
	c.id++
	if err := c.WriteJSON(map[string]any{"id": c.id, "method": method, "params": params}); err != nil {
		return nil, err
	}
	for {
		var m struct {
			ID     int             `json:"id"`
			Result json.RawMessage `json:"result"`
			Error  json.RawMessage `json:"error"`
		}
		if err := c.ReadJSON(&m); err != nil {
			return nil, err
		}
		if m.ID == c.id {
			if m.Error != nil {
				return nil, fmt.Errorf("%s: %s", method, m.Error)
			}
			return m.Result, nil
		}
	}
}
