// Package workload is the shared vocabulary of the playground: the lesson's three experiments,
// the variants that run them, a job and its validated spec, the presets (the lesson's scripts),
// the tasks themselves and the result of a run. It imports nothing browser- or OS-specific, so
// the native backend, the browser engine and the edge Worker all use it unchanged.
//
// The words, used the same way in Go, TypeScript and the docs:
//
//   - experiment: what one task does (io, cpu, race).
//   - variant: how the tasks are scheduled (sequential, eventloop, pool, gil, process).
//   - preset: one of the lesson's scripts, an experiment and a variant with their defaults.
//   - job: what a client asks for; spec: the job resolved against its preset and validated.
//   - task: one item of work; worker: what runs tasks (a goroutine, a process, a Web Worker).
//   - lane: one row of the timeline: a worker, an event loop's connection or slot, or a task.
//   - span: a lane's interval, computing ("run" on the wire), waiting or starting (spawn).
//   - run: one execution of a spec; repeat: one of a run's executions, the fastest counts.
package workload

import (
	"errors"
	"strconv"
)

// The browser engine links this package: errors are built with strconv, not fmt, which alone
// would add a tenth to its wasm.

// Experiment names what one task does.
type Experiment string

const (
	IO   Experiment = "io"   // GET one page from the site farm and read the whole body
	CPU  Experiment = "cpu"  // exact sum of i*i for i in range(n)
	Race Experiment = "race" // counter += 1, a hundred times, on a shared counter
)

// Experiments lists every experiment in the order the page and the CLI show them.
var Experiments = []Experiment{IO, CPU, Race}

// Variant names how the tasks of a run are scheduled.
type Variant string

const (
	Sequential Variant = "sequential" // one task after another on one goroutine
	EventLoop  Variant = "eventloop"  // one task per item, cooperatively scheduled
	Pool       Variant = "pool"       // N goroutines pulling tasks from a queue
	GIL        Variant = "gil"        // the pool, with an emulated interpreter lock
	Process    Variant = "process"    // N OS processes of the same binary
)

// Variants lists every variant in the order the page and the CLI show them.
var Variants = []Variant{Sequential, EventLoop, Pool, GIL, Process}

// BrowserVariants are the variants the browser runs: sequential and the event loop on one
// engine's thread, the process pool on Web Workers, an engine each. The others need threads
// that share memory, which a page's wasm does not have.
var BrowserVariants = []Variant{Sequential, EventLoop, Process}

// RaceMode says how the race experiment's increment is protected.
type RaceMode string

const (
	Unsafe RaceMode = "unsafe" // separate read and write: updates get lost
	Mutex  RaceMode = "mutex"  // read and write under a lock
	Atomic RaceMode = "atomic" // one atomic add
)

// RaceModes lists every race mode.
var RaceModes = []RaceMode{Unsafe, Mutex, Atomic}

// ParseExperiment checks name against the known experiments.
func ParseExperiment(name string) (Experiment, error) {
	for _, e := range Experiments {
		if string(e) == name {
			return e, nil
		}
	}
	return "", errors.New("experiment: " + strconv.Quote(name) + " is not one of io, cpu, race")
}

// ParseVariant checks name against the known variants.
func ParseVariant(name string) (Variant, error) {
	for _, v := range Variants {
		if string(v) == name {
			return v, nil
		}
	}
	return "", errors.New("variant: " + strconv.Quote(name) + " is not one of sequential, eventloop, pool, gil, process")
}

// ParseRaceMode checks name against the known race modes.
func ParseRaceMode(name string) (RaceMode, error) {
	for _, m := range RaceModes {
		if string(m) == name {
			return m, nil
		}
	}
	return "", errors.New("mode: " + strconv.Quote(name) + " is not one of unsafe, mutex, atomic")
}
