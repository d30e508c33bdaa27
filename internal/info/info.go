// Package info is what a playground server says about itself: GET /api/info and the `info`
// of the WebSocket's hello. It is a package of its own, apart from package protocol, because
// the browser engine needs this and nothing else of the protocol, and the engine's size is
// the page's load time: this package must not import fmt, reflect or encoding/json (the
// protocol's decoder needs all three), a test holds it to that.
package info

import "concurrency-playground/internal/workload"

// Version is the playground's release; Protocol the WebSocket protocol's version, raised only
// when a message changes incompatibly (fields are added, never renamed).
const (
	Version  = "0.1.0"
	Protocol = 1
)

// Info is GET /api/info and the `info` of the WebSocket's hello: what this server is, what it
// can run, and the bounds it enforces. The page's type of it is generated (site/src/gen/protocol.gen.ts).
type Info struct {
	Version    string             `json:"version"`
	Protocol   int                `json:"protocol"`
	Where      workload.Where     `json:"where"`
	GoVersion  string             `json:"go_version"`
	OS         string             `json:"os"`
	Arch       string             `json:"arch"`
	Cores      int                `json:"cores"`
	GOMAXPROCS int                `json:"gomaxprocs"`
	Variants   []workload.Variant `json:"variants"` // the variants this server runs
	Presets    []string           `json:"presets"`
	Limits     Limits             `json:"limits"`
	// Pythons are the CPython interpreters this server offers, by id: never by path.
	Pythons []Python `json:"pythons,omitempty"`
}

// Python is one CPython interpreter a server offers: a job names it by ID.
type Python struct {
	ID      string `json:"id"`
	Version string `json:"version"`
	GIL     bool   `json:"gil"`
}

// Limits are workload.Limits as the page needs them.
type Limits struct {
	Workers        int               `json:"workers"`
	ProcessWorkers int               `json:"process_workers"`
	Tasks          int               `json:"tasks"`
	N              int64             `json:"n"`
	Work           int64             `json:"work"`
	Delay          workload.Duration `json:"delay"`
	Jitter         workload.Duration `json:"jitter"`
	Size           int               `json:"size"`
	Repeat         int               `json:"repeat"`
}

// New describes a server on machine m that runs variants.
func New(m workload.Machine, variants []workload.Variant) Info {
	names := make([]string, len(workload.Presets))
	for i, p := range workload.Presets {
		names[i] = p.Name
	}
	l := workload.Limits
	return Info{
		Version: Version, Protocol: Protocol, Where: m.Where, GoVersion: m.GoVersion,
		OS: m.OS, Arch: m.Arch, Cores: m.Cores, GOMAXPROCS: m.GOMAXPROCS,
		Variants: variants, Presets: names,
		Limits: Limits{
			Workers: l.Workers, ProcessWorkers: l.ProcessWorkers, Tasks: l.Tasks, N: l.N, Work: l.Work,
			Delay: workload.Duration(l.Delay), Jitter: workload.Duration(l.Jitter), Size: l.Size,
			Repeat: l.Repeat,
		},
	}
}
