package workload

import "time"

// Preset is one of the lesson's scripts, as a named spec.
type Preset struct {
	Name    string `json:"name"`
	Script  string `json:"script"`  // what the lesson's script did
	Summary string `json:"summary"` // what it shows, in a sentence or two (the page's lesson)
	Spec    Spec   `json:"spec"`    // Workers 0 means one per core where it runs
}

var lessonIO = Spec{Experiment: IO, Tasks: DefaultIOTasks, Delay: DefaultDelay, Size: DefaultSize}
var lessonCPU = Spec{Experiment: CPU, Tasks: DefaultCPUTasks, N: DefaultN}

func with(s Spec, v Variant, workers int) Spec {
	s.Variant, s.Workers = v, workers
	return s
}

// Presets are the lesson's scripts, in the lesson's order, plus cpu_gil, which makes the
// interpreter lock that explains cpu_threading visible.
var Presets = []Preset{
	{"io_non_concurrent", "requests.Session, one download after another",
		"Every request waits for the one before it, so the run takes the sum of all the waiting.",
		with(lessonIO, Sequential, 1)},
	{"io_threading", "ThreadPoolExecutor(max_workers=5), a session per thread",
		"Five threads overlap their waiting: about five times faster, though each still waits as long.",
		with(lessonIO, Pool, 5)},
	{"io_asyncio", "asyncio.gather over aiohttp, one task per download",
		"One thread starts every request at once and waits for all of them together; in a browser over HTTP/1.1, six connections per host carry them.",
		with(lessonIO, EventLoop, 0)},
	{"io_mp", "multiprocessing.Pool(initializer=set_global_session), one process per core",
		"Processes overlap waiting too, but only as many as there are processes, and each costs a start-up.",
		with(lessonIO, Process, 0)},
	{"cpu_non_concurrent", "sum(i * i for i in range(n)) for 20 numbers, one after another",
		"CPU-bound work on one core: the baseline every other variant is measured against.",
		with(lessonCPU, Sequential, 1)},
	{"cpu_threading", "the same sums on ThreadPoolExecutor(max_workers=5)",
		"Go's threads (goroutines) compute on every core, so the pool is as fast as the cores allow.",
		with(lessonCPU, Pool, 5)},
	{"cpu_gil", "the same sums on CPython threads, with the interpreter lock emulated",
		"Only the thread holding the lock computes: threads do not speed up CPU work in CPython.",
		with(lessonCPU, GIL, 5)},
	{"cpu_mp", "the same sums on multiprocessing.Pool(), one process per core",
		"Separate processes compute on every core at once, after paying for their start-up.",
		with(lessonCPU, Process, 0)},
	{"race_condition", "counter += 1, a hundred times per task, on ThreadPoolExecutor(max_workers=5000)",
		"A read and a separate write: concurrent increments overwrite each other and updates get lost.",
		Spec{Experiment: Race, Variant: Pool, Workers: 5_000, Tasks: DefaultRaceTasks, Mode: Unsafe}},
}

// PresetByName finds a preset.
func PresetByName(name string) (Preset, bool) {
	for _, p := range Presets {
		if p.Name == name {
			return p, true
		}
	}
	return Preset{}, false
}

// ExpectedSequentialIO is the time a sequential I/O run cannot beat: every task's latency.
func (s Spec) ExpectedSequentialIO() time.Duration {
	var d time.Duration
	for t := range s.Tasks {
		d += s.TaskDelay(t)
	}
	return d
}
