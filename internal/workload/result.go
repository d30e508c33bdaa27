package workload

import (
	"hash/fnv"
	"runtime"
	"slices"
	"strconv"
	"time"
)

// Where names the target a run ran on.
type Where string

const (
	WhereNative  Where = "native"  // the native backend, or the CLI
	WhereBrowser Where = "browser" // the browser engine, in a Web Worker
	WhereEdge    Where = "edge"    // the Cloudflare Worker
	WhereCPython Where = "cpython" // the lesson's own script, in a real CPython the backend runs
)

// Wheres lists every target.
var Wheres = []Where{WhereNative, WhereBrowser, WhereEdge, WhereCPython}

// Machine says where a run ran.
type Machine struct {
	Where      Where  `json:"where"`
	OS         string `json:"os"`
	Arch       string `json:"arch"`
	Cores      int    `json:"cores"`
	GOMAXPROCS int    `json:"gomaxprocs"`
	GoVersion  string `json:"go_version"`
	Agent      string `json:"agent,omitempty"` // the browser's user agent
}

// ThisMachine is the machine this Go program runs on, as its runtime sees it: where names the
// target, which may know more and fill it in (the browser's
// cores and user agent).
func ThisMachine(where Where) Machine {
	return Machine{Where: where, OS: runtime.GOOS, Arch: runtime.GOARCH, Cores: runtime.NumCPU(),
		GOMAXPROCS: runtime.GOMAXPROCS(0), GoVersion: runtime.Version()}
}

// Result is one finished run: the same object whether it ran natively or in the browser, and
// what `run -json` prints.
type Result struct {
	Preset       string       `json:"preset,omitempty"`
	Experiment   Experiment   `json:"experiment"`
	Variant      Variant      `json:"variant"`
	Where        Where        `json:"where"`
	Workers      int          `json:"workers"`
	Tasks        int          `json:"tasks"`
	DurationNS   int64        `json:"duration_ns"` // the fastest repeat
	Repeats      []int64      `json:"repeats"`     // every repeat's duration, in the order they ran
	Results      []string     `json:"results"`
	Checksum     string       `json:"checksum"`
	Race         *RaceOutcome `json:"race,omitempty"`
	Spec         Spec         `json:"spec"`
	Machine      Machine      `json:"machine"`
	Python       *Python      `json:"python,omitempty"` // where "cpython": the interpreter
	Spans        int          `json:"spans"`
	SpansDropped int          `json:"spans_dropped,omitempty"` // not recorded or not streamed
	// Spans merged into their lane's neighbour because the client read more slowly than the
	// run recorded (the server bounds what waits for it): the timeline it got is coarser.
	SpansCoarsened int `json:"spans_coarsened,omitempty"`
}

// NewResult assembles a result and its checksum.
func NewResult(s Spec, m Machine, d time.Duration, results []string) Result {
	return Result{
		Preset: s.Preset, Experiment: s.Experiment, Variant: s.Variant, Where: m.Where,
		Workers: s.Workers, Tasks: s.Tasks, DurationNS: d.Nanoseconds(), Repeats: []int64{d.Nanoseconds()},
		Results: results, Checksum: Checksum(results), Spec: s, Machine: m,
	}
}

// Fastest assembles the result of a run from its repeats, in the order they ran: the fastest
// repeat's, with every repeat's duration (and, for the race, its lost updates) beside it. The
// lesson quotes the fastest of three runs: the slower ones measure the machine's other work.
// Every repeat of one spec gives the same results, so any repeat's are the run's.
func Fastest(repeats []Result) Result {
	best := 0
	durations := make([]int64, len(repeats))
	var lost []int64
	for i, r := range repeats {
		durations[i] = r.DurationNS
		if r.DurationNS < repeats[best].DurationNS {
			best = i
		}
		if r.Race != nil {
			lost = append(lost, r.Race.Lost)
		}
	}
	res := repeats[best]
	res.Repeats = durations
	if res.Race != nil {
		race := *res.Race
		race.LostRepeats = lost
		res.Race = &race
	}
	return res
}

// Spread is the fastest, the median and the slowest of the run's repeats.
func (r Result) Spread() (fastest, median, slowest time.Duration) {
	if len(r.Repeats) == 0 {
		return r.Duration(), r.Duration(), r.Duration()
	}
	s := slices.Clone(r.Repeats)
	slices.Sort(s)
	return time.Duration(s[0]), time.Duration(s[len(s)/2]), time.Duration(s[len(s)-1])
}

// WideSpread is how far the slowest repeat may be from the fastest, as a share of the fastest,
// before the figure is not to be trusted: the machine was busy with something else.
const WideSpread = 0.15

// Checksum identifies a list of task results: every variant of one spec must give the same.
// It is FNV-1a (64 bits) over each result followed by a newline, as 16 hex digits: it only has
// to tell result lists apart, and crypto/sha256 would add a tenth to the browser's wasm.
func Checksum(results []string) string {
	h := fnv.New64a()
	for _, r := range results {
		h.Write([]byte(r))
		h.Write([]byte{'\n'})
	}
	s := strconv.FormatUint(h.Sum64(), 16)
	return "0000000000000000"[len(s):] + s
}

// Duration is the run's wall time.
func (r Result) Duration() time.Duration { return time.Duration(r.DurationNS) }
