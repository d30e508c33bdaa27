// Package lesson holds what the lesson's own scripts measured elsewhere: the article's
// reported times and CPython 3.11 re-measured on a 2-core machine. Nothing here is measured by
// this program; the figures are quoted beside ours (native bench's CPython column, the page's
// reference bars) and kept in one place so that every place quotes the same numbers.
package lesson

import "time"

// Source says where a figure comes from.
type Source string

const (
	// Article is the article's own figure: its author's machine, real web sites, the fastest
	// of three runs.
	Article Source = "article"
	// CPython is the lesson's scripts run with CPython 3.11 (requests, aiohttp) on a 2-core
	// machine against a local server with a fixed latency, the median of three runs.
	CPython Source = "cpython"
)

// Figure is one script's time from one source.
type Figure struct {
	Preset  string        `json:"preset"`  // the preset standing for the script
	Script  string        `json:"script"`  // the lesson's script it was measured with
	Source  Source        `json:"source"`  // where the figure comes from
	Seconds float64       `json:"seconds"` // the script's wall time
	Delay   time.Duration `json:"-"`       // io, cpython: the site latency it ran against; 0: not fixed (the article's real sites)
}

// Describe says in a few words where each source's figures come from.
var Describe = map[Source]string{
	Article: "the article's figure (its author's machine, real web sites, the fastest of 3 runs)",
	CPython: "the lesson's scripts on CPython 3.11, re-measured on a 2-core machine (median of 3 runs)",
}

const ms = time.Millisecond

// Figures are every figure, by preset, article first. The CPython CPU figures are for the
// lesson's n (5,000,000 + x); the I/O ones for a site latency of 20 ms and of 80 ms. cpu_gil
// emulates CPython's threads, so it quotes the lesson's cpu_threading; cpu_threading quotes
// its own script too, though Go's threads compute on every core where CPython's cannot.
var Figures = []Figure{
	{"io_non_concurrent", "io_non_concurrent", Article, 14.29, 0},
	{"io_threading", "io_threading", Article, 3.72, 0},
	{"io_asyncio", "io_asyncio", Article, 2.57, 0},
	{"io_mp", "io_mp", Article, 5.72, 0},
	{"cpu_non_concurrent", "cpu_non_concurrent", Article, 7.83, 0},
	{"cpu_threading", "cpu_threading", Article, 10.41, 0},
	{"cpu_gil", "cpu_threading", Article, 10.41, 0},
	{"cpu_mp", "cpu_mp", Article, 2.52, 0},

	{"io_non_concurrent", "io_non_concurrent", CPython, 3.51, 20 * ms},
	{"io_threading", "io_threading", CPython, 0.71, 20 * ms},
	{"io_asyncio", "io_asyncio", CPython, 0.08, 20 * ms},
	{"io_mp", "io_mp", CPython, 1.80, 20 * ms},
	{"io_non_concurrent", "io_non_concurrent", CPython, 13.12, 80 * ms},
	{"io_threading", "io_threading", CPython, 2.68, 80 * ms},
	{"io_asyncio", "io_asyncio", CPython, 0.21, 80 * ms},
	{"io_mp", "io_mp", CPython, 6.66, 80 * ms},
	{"cpu_non_concurrent", "cpu_non_concurrent", CPython, 2.86, 0},
	{"cpu_threading", "cpu_threading", CPython, 2.86, 0},
	{"cpu_gil", "cpu_threading", CPython, 2.86, 0},
	{"cpu_mp", "cpu_mp", CPython, 1.56, 0},
}

// RaceNote is what the lesson's race did on CPython 3.11, which gives no time to quote.
const RaceNote = "The lesson's race_condition gives no time to compare; on CPython 3.11 (2 cores) it lost no update in 20 of 20 runs: the interpreter switches threads too rarely to catch one between its read and its write."

// CPythonSeconds is the CPython figure of a preset: for an I/O preset only if it was measured
// with that latency.
func CPythonSeconds(preset string, delay time.Duration) (float64, bool) {
	for _, f := range Figures {
		if f.Source == CPython && f.Preset == preset && (f.Delay == 0 || f.Delay == delay) {
			return f.Seconds, true
		}
	}
	return 0, false
}
