package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"os/signal"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"
	"time"

	"concurrency-playground/internal/workload"
	"concurrency-playground/native/cpython"
	"concurrency-playground/native/server"
)

const serveUsage = `Usage: native serve [flags]

Serves the playground page, the site farm and the WebSocket on which the page runs jobs on
this machine's cores. It listens on loopback only and accepts WebSockets only from its own
page and the -allow-origin origins: any web page you visit could otherwise make your browser
start work here.

Flags:
`

// shutdownWait bounds a shutdown: runs are cancelled at once and stop within milliseconds,
// so the grace period (Config.ShutdownGrace, 5 s) only matters for a client that does not
// answer the close; the sockets are then dropped, and what has not ended when shutdownWait is
// up is abandoned to the process's exit.
const shutdownWait = 7 * time.Second

// Serve runs `native serve` with args and returns the exit code: 0 after a shutdown on
// SIGINT or SIGTERM (or after -h, which prints the usage to stdout), 1 if the server could not
// start or failed, 2 for bad flags, with one line on stderr naming the flag. The server itself
// is package server's; this is its command line.
func Serve(args []string, stdout, stderr io.Writer) int {
	cfg, level, err := parseServeFlags(args, stdout)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintln(stderr, "serve:", strings.ReplaceAll(err.Error(), "\n", "; "))
		return 2
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		// The collector's headroom is live memory again (GOGC=100); past this it collects
		// sooner instead. A soft limit: nothing fails over it, the collector only works more.
		debug.SetMemoryLimit(server.MemoryLimit)
	}
	cfg.Logger = slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
	log := cfg.Logger
	// Interpreters given with -python are probed before serving: one that is not a CPython is
	// a bad flag. python3 from PATH is probed once the page is served (SetPythons), so that
	// serving does not wait for an interpreter to start.
	logPythons := func(*slog.Logger) {}
	if len(cfg.pythonPaths) > 0 {
		if cfg.Pythons, logPythons, err = offerPythons(cfg.pythonPaths); err != nil {
			fmt.Fprintln(stderr, "serve:", err)
			return 2
		}
	}
	srv, err := server.Start(cfg.Config)
	if errors.Is(err, syscall.EADDRINUSE) {
		fmt.Fprintf(stderr, "serve: %s is in use by another program; choose another address with -addr, e.g. -addr 127.0.0.1:9000 (or make run ADDR=127.0.0.1:9000)\n", cfg.Addr)
		return 1
	}
	if err != nil {
		log.Error("cannot serve", "err", err)
		return 1
	}
	logPythons(log)
	if cfg.AllowRemote {
		log.Warn("listening beyond loopback (-allow-remote): anyone who can reach this address can run jobs here", "addr", cfg.Addr)
	}
	log.Info("serving the playground", "url", srv.URL(), "allow_origins", strings.Join(cfg.AllowOrigins, " "),
		"max_runs", cfg.MaxRuns, "max_sockets", cfg.MaxSockets)
	if len(cfg.pythonPaths) == 0 {
		go func() {
			ps, logFound, _ := offerPythons(nil) // python3 from PATH never fails the server
			logFound(log)
			srv.SetPythons(ps)
		}()
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if cfg.open {
		// the way that works in every browser: the page from this server, no other origin
		if err := openBrowser(srv.URL() + "/"); err != nil {
			log.Warn("cannot open a browser: open the page yourself", "url", srv.URL()+"/", "err", err)
		}
	}
	select {
	case <-ctx.Done():
	case err := <-srv.Done():
		log.Error("serving stopped", "err", err)
		return 1
	}
	stop() // a second signal kills the process the default way
	log.Info("shutting down: cancelling runs, closing sockets")
	sctx, cancel := context.WithTimeout(context.Background(), shutdownWait)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		log.Warn("shutdown was not clean", "err", err)
		return 1
	}
	log.Info("stopped")
	return 0
}

// parseServeFlags reads serve's flags. -h prints the usage to stdout and returns flag.ErrHelp; any
// other error is one the caller prints as one line: flag's own messages name the flag, and
// ours do too.
// serveConfig is the server's configuration and what serve itself does with its flags before
// the server starts: the -python paths become the interpreters it offers.
type serveConfig struct {
	server.Config
	pythonPaths []string
	open        bool // -open: the page from this server in the default browser, once it serves
}

func parseServeFlags(args []string, stdout io.Writer) (serveConfig, slog.Level, error) {
	cfg := serveConfig{}
	var level slog.Level
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(io.Discard) // flag would print its error and the usage: we print one line
	fs.Usage = func() {}
	fs.StringVar(&cfg.Addr, "addr", server.DefaultAddr, "listen on this `host:port` (a loopback address unless -allow-remote)")
	fs.Func("allow-origin", "also accept WebSockets from pages of this `origin`, e.g. https://playground.example (repeatable)", func(s string) error {
		o, err := server.ParseOrigin(s)
		if err != nil { // flag's message names the flag already
			return errors.New(strings.TrimPrefix(err.Error(), "allow-origin: "))
		}
		cfg.AllowOrigins = append(cfg.AllowOrigins, o)
		return nil
	})
	fs.Func("python", "offer the CPython at `PATH` to the page, which runs the lesson's own scripts in it (repeatable; default: python3 on PATH, when there is one)", func(s string) error {
		if s == "" {
			return errors.New("want the path of a CPython interpreter")
		}
		cfg.pythonPaths = append(cfg.pythonPaths, s)
		return nil
	})
	fs.BoolVar(&cfg.open, "open", false, "open the playground in the default browser once it is served")
	fs.BoolVar(&cfg.AllowRemote, "allow-remote", false, "allow a non-loopback -addr, and Host headers that are IP literals (never names: DNS rebinding)")
	cfg.MaxRuns, cfg.MaxSockets = server.DefaultMaxRuns, server.DefaultMaxSockets
	fs.Var(intFlag{&cfg.MaxRuns, maxRunsBound}, "max-runs", "at most `n` runs at once, server-wide; more are refused with error code limit")
	fs.Var(intFlag{&cfg.MaxSockets, maxSocketsBound}, "max-sockets", "at most `n` open WebSockets; more are refused with 503")
	level = slog.LevelInfo
	var badLevel error // said here, naming the flag and the allowed words, not in slog's terms
	fs.Func("log-level", "log `level`: debug, info, warn or error (default info)", func(s string) error {
		if level.UnmarshalText([]byte(s)) != nil {
			badLevel = fmt.Errorf("-log-level: %q is not one of debug, info, warn, error", s)
			return badLevel
		}
		return nil
	})
	err := fs.Parse(args)
	if badLevel != nil {
		return cfg, level, badLevel
	}
	if errors.Is(err, flag.ErrHelp) {
		fs.SetOutput(stdout)
		fmt.Fprint(stdout, serveUsage)
		fs.PrintDefaults()
		return cfg, level, err
	}
	if err != nil {
		return cfg, level, runFlagHint(err)
	}
	if fs.NArg() > 0 {
		return cfg, level, fmt.Errorf("unexpected argument %q; serve takes only flags (see -h)", fs.Arg(0))
	}
	if cfg.MaxRuns < 1 || cfg.MaxRuns > maxRunsBound {
		return cfg, level, fmt.Errorf("-max-runs: %d is out of range 1..%d", cfg.MaxRuns, maxRunsBound)
	}
	if cfg.MaxSockets < 1 || cfg.MaxSockets > maxSocketsBound {
		return cfg, level, fmt.Errorf("-max-sockets: %d is out of range 1..%d", cfg.MaxSockets, maxSocketsBound)
	}
	if err := server.CheckLoopback(cfg.Addr, cfg.AllowRemote); err != nil {
		return cfg, level, errors.New("-" + err.Error()) // "addr: …" names the flag
	}
	return cfg, level, nil
}

// runFlagHint turns "flag provided but not defined: -preset" into a pointer to run, when the
// flag is one of run's: serve is the default command, so `native -preset cpu_mp` (without
// "run") reaches serve's flags.
func runFlagHint(err error) error {
	name, ok := strings.CutPrefix(err.Error(), "flag provided but not defined: -")
	if !ok {
		return err
	}
	name = strings.TrimPrefix(name, "-")
	if _, isField := workload.FieldNamed(name); !isField && name != "json" && name != "trace" {
		return err
	}
	return fmt.Errorf("-%s is a flag of run, not of serve (the default command): native run -%s …", name, name)
}

// offerPythons probes the interpreters given with -python, or else python3 on PATH. A given
// one that is not a CPython 3 is an error; a missing python3 only means none is offered. It
// returns what serve should log once it listens (so a taken port stays a one-line error).
func offerPythons(paths []string) ([]cpython.Interpreter, func(*slog.Logger), error) {
	ctx := context.Background()
	if len(paths) == 0 {
		path, err := exec.LookPath("python3")
		if err == nil {
			p, perr := cpython.Probe(ctx, path)
			if perr == nil {
				ps := cpython.Name([]cpython.Interpreter{p})
				return ps, func(log *slog.Logger) {
					log.Info("offering CPython (python3 on PATH)", "id", ps[0].ID, "gil", ps[0].GIL)
				}, nil
			}
			err = perr
		}
		return nil, func(log *slog.Logger) {
			if path != "" {
				log.Warn("python3 on PATH is not offered", "err", err)
			}
			log.Info("no CPython offered: start with -python PATH to run the lesson's own scripts beside Go")
		}, nil
	}
	var ps []cpython.Interpreter
	for _, path := range paths {
		p, err := cpython.Probe(ctx, path)
		if err != nil {
			return nil, nil, fmt.Errorf("-%v", err)
		}
		ps = append(ps, p)
	}
	ps = cpython.Name(ps)
	return ps, func(log *slog.Logger) {
		for _, p := range ps {
			log.Info("offering CPython", "id", p.ID, "gil", p.GIL)
		}
	}, nil
}

// The bounds of -max-runs and -max-sockets.
const (
	maxRunsBound    = 1024
	maxSocketsBound = 100_000
)

// intFlag is an int flag whose parse error says what is allowed (flag's own says "parse
// error"); the range itself is checked after parsing.
type intFlag struct {
	p   *int
	max int
}

func (f intFlag) String() string {
	if f.p == nil {
		return ""
	}
	return strconv.Itoa(*f.p)
}

func (f intFlag) Set(s string) error {
	n, err := strconv.Atoi(s)
	if err != nil {
		return fmt.Errorf("want a whole number in 1..%d", f.max)
	}
	*f.p = n
	return nil
}
