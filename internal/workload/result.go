package workload

import (
	"hash/fnv"
	"strconv"
	"time"
)

// Machine says where a run ran.
type Machine struct {
	Where      string `json:"where"` // "native", "browser" or "edge"
	OS         string `json:"os"`
	Arch       string `json:"arch"`
	Cores      int    `json:"cores"`
	GOMAXPROCS int    `json:"gomaxprocs"`
	GoVersion  string `json:"go_version"`
	Agent      string `json:"agent,omitempty"` // the browser's user agent
}

// Result is one finished run: the same object whether it ran natively or in the browser, and
// what `run -json` prints.
type Result struct {
	Preset       string       `json:"preset,omitempty"`
	Experiment   Experiment   `json:"experiment"`
	Variant      Variant      `json:"variant"`
	Where        string       `json:"where"`
	Workers      int          `json:"workers"`
	Tasks        int          `json:"tasks"`
	DurationNS   int64        `json:"duration_ns"`
	Results      []string     `json:"results"`
	Checksum     string       `json:"checksum"`
	Race         *RaceOutcome `json:"race,omitempty"`
	Spec         Spec         `json:"spec"`
	Machine      Machine      `json:"machine"`
	Spans        int          `json:"spans"`
	SpansDropped int          `json:"spans_dropped,omitempty"` // not recorded or not streamed
}

// NewResult assembles a result and its checksum.
func NewResult(s Spec, m Machine, d time.Duration, results []string) Result {
	return Result{
		Preset: s.Preset, Experiment: s.Experiment, Variant: s.Variant, Where: m.Where,
		Workers: s.Workers, Tasks: s.Tasks, DurationNS: d.Nanoseconds(),
		Results: results, Checksum: Checksum(results), Spec: s, Machine: m,
	}
}

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
