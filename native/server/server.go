// Package server is `native serve`: the playground's HTTP routes and its WebSocket, on which
// a page runs jobs on this machine's cores and watches their spans arrive as they happen.
package server

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"

	"concurrency-playground/internal/api"
	"concurrency-playground/internal/info"
	"concurrency-playground/internal/protocol"
	"concurrency-playground/internal/workload"
	"concurrency-playground/native/cpython"
	"concurrency-playground/native/runner"
	"concurrency-playground/site"
)

// Config is how a server is set up; the zero value of each field means its default.
type Config struct {
	Addr         string   // where to listen: "127.0.0.1:8080"; port 0 picks a free one
	AllowOrigins []string // origins besides our own whose pages may open the WebSocket
	AllowRemote  bool     // listen on a non-loopback address and accept IP-literal Hosts
	MaxRuns      int      // runs at once, server-wide (DefaultMaxRuns)
	MaxSockets   int      // open WebSockets (DefaultMaxSockets)
	Logger       *slog.Logger
	Dist         fs.FS // the page's files; nil: site.Dist()
	Built        bool  // Dist holds a built page (index.html); only read when Dist is set

	// Socket timing; tests shorten these.
	WriteWait      time.Duration // a write that takes longer drops the connection (10 s)
	PongWait       time.Duration // silence that long drops the connection (60 s)
	SpanInterval   time.Duration // how often span batches are sent during a run (30 ms)
	ProgressPeriod time.Duration // how often progress is sent during a run (100 ms)

	// StreamLimit bounds the spans a run holds for a client that reads more slowly than the
	// run records them; more are coarsened (trace.NewStreamRecorder). 0: trace.StreamLimit.
	StreamLimit int

	// Pythons are the CPython interpreters the server offers (serve -python, or python3 on
	// PATH), each probed and named (cpython.Name); a job picks one by its id.
	Pythons []cpython.Interpreter

	// ShutdownGrace is how long Shutdown lets runs and sockets end on their own before it
	// drops the sockets (5 s).
	ShutdownGrace time.Duration

	run       func(context.Context, workload.Spec, runner.Options) (workload.Result, error)                      // runner.Run; tests replace it
	runPython func(context.Context, cpython.Interpreter, workload.Spec, runner.Options) (workload.Result, error) // cpython.Run
	connState func(net.Conn, http.ConnState)                                                                     // tests watch HTTP connections
	// handling, if set by a test, is called as a request reaches the routes: a connection's
	// StateActive comes before that, and net/http drops a request that has not reached its
	// handler when Shutdown begins.
	handling func(*http.Request)
}

// Defaults. A run may use every core and thousands of goroutines: a handful at once is plenty
// on a laptop. A socket costs two goroutines and a few KiB.
const (
	DefaultAddr       = "127.0.0.1:8080"
	DefaultMaxRuns    = 4
	DefaultMaxSockets = 1024
)

// nativeVariants are the variants this server runs: all of them, the event loop as one
// goroutine per task (Go's runtime is itself an event loop over the OS's readiness API).
var nativeVariants = []workload.Variant{workload.Sequential, workload.EventLoop, workload.Pool, workload.GIL, workload.Process}

// Server is a running `native serve`.
type Server struct {
	cfg      Config
	log      *slog.Logger
	ln       net.Listener
	http     *http.Server
	guard    *guard
	static   *static
	upgrader websocket.Upgrader
	farmURL  string // where this server's own farm answers, for the I/O tasks
	machine  workload.Machine
	hello    atomic.Pointer[[]byte]                // the first message on every socket
	pythons  atomic.Pointer[[]cpython.Interpreter] // the interpreters offered (SetPythons)
	served   chan error

	runSlots  chan struct{} // one token per run going, MaxRuns of them
	lanes     lanes         // the workers of every run going, at most one largest job's
	sockets   atomic.Int64
	runsTotal atomic.Int64 // runs started since the server started, for tests and logs

	mu      sync.Mutex
	conns   map[*conn]struct{}
	closing bool
	connWG  sync.WaitGroup
}

// Start listens on cfg.Addr and serves in the background until Shutdown.
func Start(cfg Config) (*Server, error) {
	if cfg.Addr == "" {
		cfg.Addr = DefaultAddr
	}
	def(&cfg.MaxRuns, DefaultMaxRuns)
	def(&cfg.MaxSockets, DefaultMaxSockets)
	def(&cfg.WriteWait, 10*time.Second)
	def(&cfg.PongWait, 60*time.Second)
	def(&cfg.SpanInterval, 30*time.Millisecond)
	def(&cfg.ProgressPeriod, 100*time.Millisecond)
	def(&cfg.ShutdownGrace, 5*time.Second)
	if cfg.run == nil {
		cfg.run = runner.Run
	}
	if cfg.runPython == nil {
		cfg.runPython = cpython.Run
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Dist == nil {
		cfg.Dist, cfg.Built = site.Dist(), site.Built()
	}
	if err := CheckLoopback(cfg.Addr, cfg.AllowRemote); err != nil {
		return nil, err
	}
	st, err := newStatic(cfg.Dist, cfg.Built)
	if err != nil {
		return nil, fmt.Errorf("site: %w", err)
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return nil, err
	}
	ap := netip.MustParseAddrPort(ln.Addr().String())
	port := strconv.Itoa(int(ap.Port()))
	farmHost := ap.Addr()
	if farmHost.IsUnspecified() { // listening everywhere: reach our own farm over loopback
		farmHost = netip.MustParseAddr("127.0.0.1")
	}
	machine := runner.Machine()
	s := &Server{
		cfg: cfg, log: cfg.Logger, ln: ln, static: st,
		guard:    newGuard(port, cfg.AllowOrigins, cfg.AllowRemote),
		farmURL:  "http://" + netip.AddrPortFrom(farmHost.Unmap(), ap.Port()).String(),
		machine:  machine,
		served:   make(chan error, 1),
		runSlots: make(chan struct{}, cfg.MaxRuns),
		conns:    map[*conn]struct{}{},
	}
	s.SetPythons(cfg.Pythons)
	s.upgrader = websocket.Upgrader{
		HandshakeTimeout:  10 * time.Second,
		ReadBufferSize:    1024,
		WriteBufferSize:   4096,
		WriteBufferPool:   new(sync.Pool), // idle sockets hold no write buffer
		CheckOrigin:       s.guard.originAllowed,
		EnableCompression: false, // the read limit must count the bytes that arrive
	}
	handler := s.guard.checkHost(s.routes(machine), s.refused)
	if cfg.handling != nil {
		routes := handler
		handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			cfg.handling(r)
			routes.ServeHTTP(w, r)
		})
	}
	s.http = &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second, // no route takes a body; a WebSocket clears it
		IdleTimeout:       60 * time.Second,
		MaxHeaderBytes:    16 << 10,
		ErrorLog:          slog.NewLogLogger(cfg.Logger.Handler(), slog.LevelDebug),
		ConnState:         cfg.connState,
	}
	// Plain requests (the farm's, whose delays reach 10 s) see their context cancelled at
	// Shutdown, so a shutdown does not wait for a page's browser-side I/O run to finish.
	base, stopRequests := context.WithCancel(context.Background())
	s.http.BaseContext = func(net.Listener) context.Context { return base }
	s.http.RegisterOnShutdown(stopRequests)
	go func() { s.served <- s.http.Serve(ln) }()
	return s, nil
}

func def[T comparable](dst *T, v T) {
	var zero T
	if *dst == zero {
		*dst = v
	}
}

// CheckLoopback refuses to listen where other machines can connect, unless asked to: the
// server runs work on request, and its Host check then needs IP literals to be useful.
func CheckLoopback(addr string, allowRemote bool) error {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("addr: %q is not host:port such as 127.0.0.1:8080", addr)
	}
	if p, err := strconv.Atoi(port); err != nil || p < 0 || p > 65535 {
		return fmt.Errorf("addr: port %q is not a number in range 0..65535 (0 picks a free port)", port)
	}
	if allowRemote || host == "localhost" {
		return nil
	}
	if ip, err := netip.ParseAddr(host); err == nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("addr: %q is not a loopback address; the playground runs work on request, so it listens on 127.0.0.1 or [::1] unless -allow-remote is given", addr)
}

func (s *Server) routes(m workload.Machine) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", s.static.servePage)
	mux.HandleFunc("GET /embed", s.static.serveEmbed)
	mux.HandleFunc("/", s.static.serveFile) // any method: the farm takes OPTIONS too
	// The API the edge serves too; the Host guard around all of it has checked r.Host, which
	// /oembed's iframe points at. A page of an allowed origin (the hosted playground) may
	// read /api/info.
	api.Register(mux, api.Config{Machine: m, Variants: nativeVariants, Pythons: func() []info.Python { return offered(s.Pythons()) }, AllowOrigin: s.guard.originAllowed})
	mux.HandleFunc("GET /ws", s.serveWS)
	return mux
}

// SetPythons sets the interpreters the server offers from now on: serve probes python3 on PATH
// while it already serves, so that a slow interpreter never delays the page.
func (s *Server) SetPythons(ps []cpython.Interpreter) {
	s.pythons.Store(&ps)
	hello := protocol.Encode(protocol.NewHello(serverInfo(s.machine, ps)))
	s.hello.Store(&hello)
}

// Pythons are the interpreters the server offers now.
func (s *Server) Pythons() []cpython.Interpreter { return *s.pythons.Load() }

// serverInfo is /api/info and the hello's info: the machine, the variants, the interpreters.
func serverInfo(m workload.Machine, pythons []cpython.Interpreter) info.Info {
	doc := info.New(m, nativeVariants)
	doc.Pythons = offered(pythons)
	return doc
}

// offered is the interpreters as a client sees them: by id, never by path.
func offered(pythons []cpython.Interpreter) []info.Python {
	var out []info.Python
	for _, p := range pythons {
		out = append(out, info.Python{ID: p.ID, Version: p.Version, GIL: p.GIL})
	}
	return out
}

func (s *Server) refused(r *http.Request, why string) {
	s.log.Warn("refused", "why", why, "path", clip(r.URL.Path), "host", clip(r.Host),
		"origin", clip(r.Header.Get("Origin")), "remote", r.RemoteAddr)
}

// URL is the server's address as a page would use it: "http://127.0.0.1:8080".
func (s *Server) URL() string { return s.farmURL }

// Done yields the error that stopped serving: http.ErrServerClosed after Shutdown.
func (s *Server) Done() <-chan error { return s.served }

// Stats are counts for logs and tests.
type Stats struct {
	Sockets   int   // open WebSockets
	Runs      int   // runs going
	RunsTotal int64 // runs started since the start
}

func (s *Server) Stats() Stats {
	return Stats{Sockets: int(s.sockets.Load()), Runs: len(s.runSlots), RunsTotal: s.runsTotal.Load()}
}

// Shutdown stops the server: no new connections, every run cancelled (its client told so),
// every plain request's context cancelled, every socket closed with a close frame. It waits
// for all of it for the grace period (Config.ShutdownGrace) or until ctx ends, whichever comes
// first; then it drops the remaining connections and waits for them until ctx ends. A run that
// has not returned by then is abandoned: Shutdown logs it and returns an error naming it, so
// a run that ignores its cancellation cannot hold the process forever.
func (s *Server) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	s.closing = true
	for c := range s.conns {
		c.goAway()
	}
	s.mu.Unlock()
	grace, cancel := context.WithTimeout(ctx, s.cfg.ShutdownGrace)
	defer cancel()
	err := s.http.Shutdown(grace) // closes the listener; hijacked sockets are ours to close
	if err != nil {
		err = fmt.Errorf("shutdown: HTTP requests still going: %w", err)
	}
	done := make(chan struct{})
	go func() { s.connWG.Wait(); close(done) }()
	select {
	case <-done:
		return err
	case <-grace.Done():
	}
	// Both may be ready at once, and select picks at random: what finished did not need
	// dropping. The sockets still tracked are the truth (done closes a moment after the last
	// one goes).
	s.http.Close() // plain requests whose handlers ignored their cancelled context
	s.mu.Lock()
	dropped := len(s.conns)
	for c := range s.conns {
		c.drop()
	}
	s.mu.Unlock()
	if dropped > 0 {
		when := fmt.Sprintf("after the grace period of %v", s.cfg.ShutdownGrace)
		if ctx.Err() != nil {
			when = "when the shutdown's time ran out"
		}
		err = errors.Join(err, fmt.Errorf("shutdown: %d sockets dropped %s: %w", dropped, when, grace.Err()))
	}
	select {
	case <-done:
		return err
	case <-ctx.Done():
	}
	return errors.Join(err, s.abandon())
}

// abandon logs the runs still going after Shutdown's time is up and returns an error naming
// them. Their goroutines are left to the process's exit.
func (s *Server) abandon() error {
	s.mu.Lock()
	var runs []string
	sockets := len(s.conns)
	if sockets == 0 { // the last one went as the time ran out
		s.mu.Unlock()
		return nil
	}
	for c := range s.conns {
		if ar := c.current(); ar != nil {
			runs = append(runs, ar.id)
			s.log.Error("shutdown: run abandoned: it did not stop when cancelled", "run", ar.id,
				"experiment", ar.spec.Experiment, "variant", ar.spec.Variant, "workers", ar.spec.Workers)
		}
	}
	s.mu.Unlock()
	if len(runs) == 0 {
		return fmt.Errorf("shutdown: gave up on %d sockets still closing", sockets)
	}
	slices.Sort(runs)
	return fmt.Errorf("shutdown: gave up on %d sockets still closing; runs abandoned, which did not stop when cancelled: %s",
		sockets, strings.Join(runs, ", "))
}
