package lesson

import (
	"testing"
	"time"

	"concurrency-playground/internal/workload"
)

// Every I/O and CPU preset quotes one figure from each source (an I/O one per measured
// latency), and no figure names a preset that does not exist.
func TestEveryTimedPresetHasAFigureFromEachSource(t *testing.T) {
	for _, f := range Figures {
		if _, ok := workload.PresetByName(f.Preset); !ok {
			t.Errorf("figure %+v: no preset %q", f, f.Preset)
		}
		if f.Seconds <= 0 {
			t.Errorf("figure %+v: seconds must be positive", f)
		}
	}
	for _, p := range workload.Presets {
		if p.Spec.Experiment == workload.Race {
			continue
		}
		for _, src := range []Source{Article, CPython} {
			n := 0
			for _, f := range Figures {
				if f.Preset == p.Name && f.Source == src {
					n++
				}
			}
			want := 1
			if src == CPython && p.Spec.Experiment == workload.IO {
				want = 2 // 20 ms and 80 ms
			}
			if n != want {
				t.Errorf("%s: %d %s figures, want %d", p.Name, n, src, want)
			}
		}
	}
}

func TestCPythonSecondsMatchesTheLatency(t *testing.T) {
	for _, c := range []struct {
		preset string
		delay  time.Duration
		want   float64
		ok     bool
	}{
		{"io_threading", 20 * time.Millisecond, 0.71, true},
		{"io_threading", 80 * time.Millisecond, 2.68, true},
		{"io_threading", 50 * time.Millisecond, 0, false}, // never measured at 50 ms
		{"cpu_mp", 50 * time.Millisecond, 1.56, true},     // no latency in a CPU run
		{"race_condition", 20 * time.Millisecond, 0, false},
	} {
		got, ok := CPythonSeconds(c.preset, c.delay)
		if got != c.want || ok != c.ok {
			t.Errorf("CPythonSeconds(%s, %v) = %v, %v; want %v, %v", c.preset, c.delay, got, ok, c.want, c.ok)
		}
	}
}
