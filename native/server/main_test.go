package server

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"concurrency-playground/internal/proctest"
	"concurrency-playground/internal/protocol"
	"concurrency-playground/internal/trace"
	"concurrency-playground/internal/workload"
	"concurrency-playground/native/procpool"
)

func TestMain(m *testing.M) {
	procpool.ServeIfWorker() // the process variant re-executes this test binary as its workers
	raiseFileLimit()
	os.Exit(m.Run())
}

// start serves a test server on a free loopback port until the test ends.
func start(t testing.TB, cfg Config) *Server {
	t.Helper()
	cfg.Addr = "127.0.0.1:0"
	s, err := Start(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := s.Shutdown(ctx); err != nil {
			t.Errorf("shutdown: %v", err)
		}
	})
	return s
}

func hostPort(s *Server) string { return strings.TrimPrefix(s.URL(), "http://") }

// client is a test's end of a WebSocket.
type client struct {
	t  testing.TB
	ws *websocket.Conn
}

// msg is any server message, decoded.
type msg struct {
	Type     protocol.Type   `json:"type"`
	ID       string          `json:"id"`
	Code     protocol.Code   `json:"code"`
	Message  string          `json:"message"`
	Protocol int             `json:"protocol"`
	Info     *protocol.Info  `json:"info"`
	Spans    []trace.Span    `json:"spans"`
	Done     int             `json:"done"`
	Total    int             `json:"total"`
	Result   workload.Result `json:"result"`
}

// dialRaw opens a WebSocket with the given Origin ("" sends none) and returns the response
// even when the upgrade is refused.
func dialRaw(s *Server, origin string) (*websocket.Conn, *http.Response, error) {
	h := http.Header{}
	if origin != "" {
		h.Set("Origin", origin)
	}
	d := websocket.Dialer{HandshakeTimeout: 5 * time.Second}
	return d.Dial("ws://"+hostPort(s)+"/ws", h)
}

// dial opens a WebSocket from the server's own page and reads its hello.
func dial(t testing.TB, s *Server) *client {
	t.Helper()
	ws, resp, err := dialRaw(s, s.URL())
	if err != nil {
		status := 0
		if resp != nil {
			status = resp.StatusCode
		}
		t.Fatalf("dial: %v (status %d)", err, status)
	}
	c := &client{t: t, ws: ws}
	t.Cleanup(func() { ws.Close() })
	if m := c.next(); m.Type != protocol.TypeHello || m.Protocol != protocol.Protocol || m.Info == nil {
		t.Fatalf("first message %+v, want hello with protocol %d and info", m, protocol.Protocol)
	}
	return c
}

func (c *client) sendText(s string) {
	c.t.Helper()
	if err := c.ws.WriteMessage(websocket.TextMessage, []byte(s)); err != nil {
		c.t.Fatalf("send: %v", err)
	}
}

func (c *client) run(id, job string) {
	c.t.Helper()
	c.sendText(`{"type":"run","id":"` + id + `","job":` + job + `}`)
}

// next reads one message, failing the test after 10 s.
func (c *client) next() msg {
	c.t.Helper()
	c.ws.SetReadDeadline(time.Now().Add(10 * time.Second))
	kind, data, err := c.ws.ReadMessage()
	if err != nil {
		c.t.Fatalf("read: %v", err)
	}
	if kind != websocket.TextMessage {
		c.t.Fatalf("server sent a frame of kind %d, want text", kind)
	}
	return decodeMsg(c.t, data)
}

func decodeMsg(t testing.TB, data []byte) msg {
	t.Helper()
	var m msg
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatalf("server sent %.200s: %v", data, err)
	}
	return m
}

// until reads messages up to the first of type typ and returns it with the spans and progress
// seen on the way.
func (c *client) until(typ protocol.Type) (last msg, spans []trace.Span, progress []msg) {
	c.t.Helper()
	return c.read(string(typ), func(t protocol.Type) bool { return t == typ })
}

// end reads a run's messages to its end: its result or its error.
func (c *client) end() (last msg, spans []trace.Span, progress []msg) {
	c.t.Helper()
	return c.read("the run's end", func(t protocol.Type) bool { return t == protocol.TypeResult || t == protocol.TypeError })
}

// read collects spans and progress until a message for which stop is true; any other message
// fails the test.
func (c *client) read(what string, stop func(protocol.Type) bool) (last msg, spans []trace.Span, progress []msg) {
	c.t.Helper()
	for {
		m := c.next()
		switch {
		case stop(m.Type):
			return m, spans, progress
		case m.Type == protocol.TypeSpans:
			spans = append(spans, m.Spans...)
		case m.Type == protocol.TypeProgress:
			progress = append(progress, m)
		default:
			c.t.Fatalf("got %+v while waiting for %s", m, what)
		}
	}
}

// eventually polls cond every 10 ms until it holds or the time is up.
func eventually(t testing.TB, within time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("after %v: %s", within, what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// children lists pid's child processes that have not exited.
func children(pid int) []int {
	var out []int
	for child, state := range proctest.Children(pid) {
		if state != 'Z' {
			out = append(out, child)
		}
	}
	return out
}

// alive says whether pid is a process that has not exited (a zombie has).
func alive(pid int) bool { return proctest.Alive(pid) }

// goroutinesBackTo waits until the goroutine count is at most base.
func goroutinesBackTo(t testing.TB, base int, within time.Duration) {
	t.Helper()
	deadline := time.Now().Add(within)
	for runtime.NumGoroutine() > base {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<16)
			t.Fatalf("%d goroutines, want at most %d as before:\n%s", runtime.NumGoroutine(), base, buf[:runtime.Stack(buf, true)])
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// kill ends pid at once (SIGKILL on Unix, TerminateProcess on Windows).
func kill(pid int) error {
	p, err := os.FindProcess(pid)
	if err != nil {
		return err
	}
	return p.Kill()
}
