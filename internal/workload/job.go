package workload

import (
	"errors"
	"strconv"
	"time"
)

// Job is what a user asks for: a preset, an experiment and variant, or both (the preset gives
// the defaults, the other fields override them). A nil field is "not given". The JSON names
// are the CLI's flag names, so `-delay 50ms` and `"delay":"50ms"` mean the same thing.
type Job struct {
	Preset     string      `json:"preset,omitempty"`
	Experiment *Experiment `json:"experiment,omitempty"`
	Variant    *Variant    `json:"variant,omitempty"`
	Workers    *int        `json:"workers,omitempty"`
	Tasks      *int        `json:"tasks,omitempty"`
	N          *int64      `json:"n,omitempty"`
	Delay      *Duration   `json:"delay,omitempty"`
	Jitter     *Duration   `json:"jitter,omitempty"`
	Size       *int        `json:"size,omitempty"`
	Mode       *RaceMode   `json:"mode,omitempty"`
	Yield      *bool       `json:"yield,omitempty"`
	Repeat     *int        `json:"repeat,omitempty"`
}

// Spec is a job resolved against its preset and the defaults, and validated: every field is
// set and within Limits. Only a Spec is ever run.
type Spec struct {
	Preset     string     `json:"preset,omitempty"`
	Experiment Experiment `json:"experiment"`
	Variant    Variant    `json:"variant"`
	Workers    int        `json:"workers"`
	Tasks      int        `json:"tasks"`
	N          int64      `json:"n,omitempty"`      // cpu: task x sums the squares below N+x
	Delay      Duration   `json:"delay,omitempty"`  // io: the farm's latency per request
	Jitter     Duration   `json:"jitter,omitempty"` // io: up to this much extra, fixed per task
	Size       int        `json:"size,omitempty"`   // io: bytes of site A; site B is Size/25
	Mode       RaceMode   `json:"mode,omitempty"`   // race: how the increment is protected
	Yield      bool       `json:"yield,omitempty"`  // race: yield between the read and the write
	Repeat     int        `json:"repeat"`           // runs of the spec; the result is the fastest

	// checked is the spec as Validate last passed it, so that Check, which every runner calls,
	// validates a spec once however many hands it passes through, and again if it changed.
	checked *Spec
}

// Limits bound every parameter, so no request can ask for an unbounded amount of work. The
// race_condition preset needs 5,000 workers (the lesson's ThreadPoolExecutor(max_workers=5000)),
// hence the goroutine bound; OS processes are far dearer, hence their own.
var Limits = struct {
	Workers, ProcessWorkers, Tasks int
	N, Work                        int64
	Delay, Jitter, SequentialWait  time.Duration
	Size, Repeat                   int
	Bytes                          int64
}{
	Workers:        10_000,
	ProcessWorkers: 64,
	Tasks:          100_000,
	N:              1_000_000_000,
	Work:           20_000_000_000, // tasks × n × repeat: about ten seconds of native sequential work
	Delay:          10 * time.Second,
	Jitter:         10 * time.Second,
	SequentialWait: 15 * time.Minute, // tasks × (delay + jitter) × repeat
	Size:           1 << 20,
	Repeat:         10,
	// tasks × size × repeat: the bytes an I/O run downloads. Each is read and dropped, yet a
	// run that moves them all holds a core and a run slot for as long: 1 GiB is a few seconds
	// on loopback (without it the largest job in bounds moved about 100 GiB per repeat).
	Bytes: 1 << 30,
}

// BrowserProcessWorkers bounds the browser's process pool: a Web Worker each, every one a thread
// and an instance of the engine with a wasm memory of its own (3 MiB when it is ready, measured
// in Chromium by make bench-e2e, plus the thread's and V8's own share). Workers beyond the cores
// only queue, and 16 covers the cores of common laptops and desktops while keeping a page's pool
// within tens of MB, whatever navigator.hardwareConcurrency says.
const BrowserProcessWorkers = 16

// Defaults of the lesson, used where neither the job nor its preset says otherwise.
const (
	DefaultIOTasks    = 160 // two sites × 80
	DefaultCPUTasks   = 20
	DefaultRaceTasks  = 5_000
	DefaultN          = 100_000_000 // the CPU presets' n: see DefaultNReason
	LessonN           = 5_000_000   // the lesson's own n
	DefaultDelay      = Duration(50 * time.Millisecond)
	DefaultSize       = 25_000
	IncrementsPerTask = 100
	DefaultCPURepeat  = 3 // the lesson quotes the fastest of three runs
)

// DefaultNReason says why the CPU presets' n is not the lesson's: it is shown wherever the
// presets are listed.
const DefaultNReason = "The CPU presets sum 20 times as many squares as the lesson (n = 100,000,000 + x, not 5,000,000 + x): " +
	"Go does the lesson's work about a hundred times faster than CPython (25–32 ms on a 2-core machine, natively and in a browser, " +
	"against 2.86 s), and at that size a worker process's start-up and the machine's noise would be most of the run, " +
	"where in the lesson they were about 1 %."

// Resolve merges the job with its preset and the defaults and validates the outcome. cores is
// what "one worker per core" means where the spec will run. Errors name the field and the
// allowed range: "workers: 0 is out of range 1..10000".
func (j Job) Resolve(cores int) (Spec, error) {
	var s Spec
	if j.Preset != "" {
		p, ok := PresetByName(j.Preset)
		if !ok {
			return Spec{}, errors.New("preset: " + strconv.Quote(j.Preset) + " is not a preset (see `presets`)")
		}
		s = p.Spec
		s.Preset = p.Name
	}
	if j.Experiment != nil {
		if _, err := ParseExperiment(string(*j.Experiment)); err != nil {
			return Spec{}, err
		}
		if j.Preset != "" && *j.Experiment != s.Experiment {
			return Spec{}, errors.New("experiment: " + strconv.Quote(string(*j.Experiment)) + " contradicts preset " + j.Preset + " (" + string(s.Experiment) + ")")
		}
		s.Experiment = *j.Experiment
	}
	if s.Experiment == "" {
		return Spec{}, errors.New("experiment: missing; give a preset or an experiment (io, cpu, race)")
	}
	if err := j.checkFieldsBelong(s.Experiment); err != nil {
		return Spec{}, err
	}
	if j.Variant != nil {
		if _, err := ParseVariant(string(*j.Variant)); err != nil {
			return Spec{}, err
		}
		if j.Preset != "" && *j.Variant != s.Variant {
			s.Workers = 0 // the preset's worker count was for its own variant
		}
		s.Variant = *j.Variant
	}
	if s.Variant == "" {
		s.Variant = Sequential
	}
	s.fillDefaults()
	set(&s.Workers, j.Workers)
	set(&s.Tasks, j.Tasks)
	set(&s.N, j.N)
	set(&s.Delay, j.Delay)
	set(&s.Jitter, j.Jitter)
	set(&s.Size, j.Size)
	set(&s.Mode, j.Mode)
	set(&s.Yield, j.Yield)
	set(&s.Repeat, j.Repeat)
	if s.Workers == 0 && j.Workers == nil {
		s.Workers = s.defaultWorkers(cores)
	}
	if err := s.Validate(); err != nil {
		return Spec{}, err
	}
	return s, nil
}

// checkFieldsBelong refuses a field the experiment does not use, even at its zero, rather than
// run without it: "-experiment cpu -delay 1h" is a mistake the user should hear about, and a
// spec that echoed the delay back would say the run had one. Every client sends only its
// experiment's fields (the page's jobFor included), so nothing that works is refused.
func (j *Job) checkFieldsBelong(e Experiment) error {
	for _, f := range Fields {
		if f.For != "" && f.For != e && f.Given(j) {
			return errors.New(f.Name + ": the " + string(e) + " experiment has no " + f.Name + " (it is " + string(f.For) + "'s)")
		}
	}
	return nil
}

// TotalTasks is every task of every repeat: what progress counts to.
func (s Spec) TotalTasks() int { return s.Tasks * s.Repeat }

func set[T any](dst *T, v *T) {
	if v != nil {
		*dst = *v
	}
}

// fillDefaults sets what the experiment needs and the preset did not give; it clears what the
// experiment does not use, so two specs that run the same way compare equal.
func (s *Spec) fillDefaults() {
	switch s.Experiment {
	case IO:
		def(&s.Tasks, DefaultIOTasks)
		def(&s.Repeat, 1)
		if s.Preset == "" {
			s.Delay, s.Size = DefaultDelay, DefaultSize
		}
		s.N, s.Mode, s.Yield = 0, "", false
	case CPU:
		def(&s.Tasks, DefaultCPUTasks)
		def(&s.N, DefaultN)
		def(&s.Repeat, DefaultCPURepeat)
		s.Delay, s.Jitter, s.Size, s.Mode, s.Yield = 0, 0, 0, "", false
	case Race:
		def(&s.Tasks, DefaultRaceTasks)
		def(&s.Mode, Unsafe)
		def(&s.Repeat, 1)
		s.N, s.Delay, s.Jitter, s.Size = 0, 0, 0, 0
	}
}

func def[T comparable](dst *T, v T) {
	var zero T
	if *dst == zero {
		*dst = v
	}
}

// defaultWorkers is the worker count when nobody chose one: one for sequential, one task per
// worker for the event loop (asyncio.gather starts them all), one per core for processes, and
// the lesson's five threads for the pools.
func (s *Spec) defaultWorkers(cores int) int {
	switch s.Variant {
	case Sequential:
		return 1
	case EventLoop:
		return min(s.Tasks, Limits.Workers)
	case Process:
		return max(1, min(cores, Limits.ProcessWorkers))
	default:
		return 5
	}
}

// Check validates the spec unless Validate passed it as it is now: what a runner calls before
// it runs a spec, so that only a valid spec runs, and a spec resolved once (Job.Resolve) is not
// validated again by each runner it is handed to.
func (s *Spec) Check() error {
	if s.checked != nil {
		now := *s
		now.checked = nil
		if now == *s.checked {
			return nil
		}
	}
	return s.Validate()
}

// Validate checks every field against Limits; the error names the field and the bound.
func (s *Spec) Validate() error {
	s.checked = nil
	if err := s.validate(); err != nil {
		return err
	}
	passed := *s
	s.checked = &passed
	return nil
}

func (s *Spec) validate() error {
	if _, err := ParseExperiment(string(s.Experiment)); err != nil {
		return err
	}
	if _, err := ParseVariant(string(s.Variant)); err != nil {
		return err
	}
	maxWorkers := Limits.Workers
	if s.Variant == Process {
		maxWorkers = Limits.ProcessWorkers
	}
	if err := inRange("workers", s.Workers, 1, maxWorkers); err != nil {
		if s.Variant == Process && s.Workers > maxWorkers {
			return errors.New(err.Error() + " for the process variant")
		}
		return err
	}
	if s.Variant == Sequential && s.Workers != 1 {
		return errors.New("workers: sequential runs on exactly 1 worker, not " + strconv.Itoa(s.Workers))
	}
	if err := inRange("tasks", s.Tasks, 1, Limits.Tasks); err != nil {
		return err
	}
	if err := inRange("repeat", s.Repeat, 1, Limits.Repeat); err != nil {
		return err
	}
	switch s.Experiment {
	case CPU:
		if err := inRange("n", s.N, 1, Limits.N); err != nil {
			return err
		}
		if w := int64(s.Tasks) * s.N * int64(s.Repeat); w > Limits.Work {
			return errors.New("n: tasks × n × repeat = " + strconv.FormatInt(w, 10) + " is over the limit of " + strconv.FormatInt(Limits.Work, 10) + " squares per run")
		}
	case IO:
		if err := inRange("delay", time.Duration(s.Delay), 0, Limits.Delay); err != nil {
			return err
		}
		if err := inRange("jitter", time.Duration(s.Jitter), 0, Limits.Jitter); err != nil {
			return err
		}
		if d := time.Duration(s.Delay + s.Jitter); d > Limits.Delay {
			return errors.New("jitter: delay + jitter = " + d.String() + " is over the farm's limit of " + Limits.Delay.String() + " per request")
		}
		if err := inRange("size", s.Size, 0, Limits.Size); err != nil {
			return err
		}
		if b := int64(s.Tasks) * int64(s.Size) * int64(s.Repeat); b > Limits.Bytes {
			return errors.New("size: tasks × size × repeat = " + strconv.FormatInt(b, 10) + " bytes is over the limit of " + strconv.FormatInt(Limits.Bytes, 10) + " per run")
		}
		if w := time.Duration(s.Tasks*s.Repeat) * time.Duration(s.Delay+s.Jitter); w > Limits.SequentialWait {
			return errors.New("delay: tasks × (delay + jitter) × repeat = " + w.String() + " is over the limit of " + Limits.SequentialWait.String())
		}
	case Race:
		if _, err := ParseRaceMode(string(s.Mode)); err != nil {
			return err
		}
	}
	return nil
}

func inRange[T int | int64 | time.Duration](field string, v, lo, hi T) error {
	if v < lo || v > hi {
		return errors.New(field + ": " + text(v) + " is out of range " + text(lo) + ".." + text(hi))
	}
	return nil
}

func text[T int | int64 | time.Duration](v T) string {
	if d, ok := any(v).(time.Duration); ok {
		return d.String()
	}
	return strconv.FormatInt(int64(v), 10)
}
