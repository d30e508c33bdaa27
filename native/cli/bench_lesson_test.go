package cli

import (
	"bytes"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"concurrency-playground/internal/lesson"
	"concurrency-playground/internal/workload"
)

// bench's CPython column quotes internal/lesson, the figures the page's reference rows quote:
// an I/O row at a latency CPython was measured with, a CPU row always, none for an I/O row at
// a latency it was not.
func TestBenchQuotesTheLessonsCPythonFigures(t *testing.T) {
	row := func(preset string) benchRow {
		p, _ := workload.PresetByName(preset)
		return benchRow{name: preset, spec: p.Spec, res: workload.Result{DurationNS: int64(time.Second)}}
	}
	for _, c := range []struct {
		delay time.Duration
		want  map[string]string // preset → the column's text
	}{
		{20 * time.Millisecond, map[string]string{"io_threading": "0.71 s", "cpu_mp": "1.56 s"}},
		{80 * time.Millisecond, map[string]string{"io_threading": "2.68 s", "cpu_mp": "1.56 s"}},
		{50 * time.Millisecond, map[string]string{"io_threading": "-", "cpu_mp": "1.56 s"}},
	} {
		var out bytes.Buffer
		printBench(&out, []benchRow{row("io_threading"), row("cpu_mp")}, c.delay)
		for preset, want := range c.want {
			if want != "-" {
				if f, ok := lesson.CPythonSeconds(preset, c.delay); !ok || fmt.Sprintf("%.2f s", f) != want {
					t.Fatalf("internal/lesson has %v for %s at %v, the test expects %s", f, preset, c.delay, want)
				}
			}
			line := lineOf(out.String(), preset)
			if line == "" || !strings.HasSuffix(strings.TrimSpace(line), " "+want) {
				t.Errorf("-delay %v: %s's CPython column is not %q:\n%s", c.delay, preset, want, line)
			}
		}
	}
}

func lineOf(out, prefix string) string {
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(strings.TrimSpace(l), prefix+" ") {
			return l
		}
	}
	return ""
}

// A claim that missed on repeats spread too wide to trust says "noisy: rerun" and is no
// failure; a miss that no reading of the spread rescues still fails, spread or not.
func TestBenchClaimsTellNoiseFromAMiss(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2)) // the claims are made on two cores or more
	row := func(preset string, ms ...int64) benchRow {
		p, _ := workload.PresetByName(preset)
		res := workload.Result{}
		for _, m := range ms {
			res.Repeats = append(res.Repeats, m*int64(time.Millisecond))
		}
		res.DurationNS = slices.Min(res.Repeats)
		return benchRow{name: preset, spec: p.Spec, res: res}
	}
	for _, c := range []struct {
		name        string
		pool, seq   benchRow
		fail, noisy int
	}{
		// The run: the pool's own rounds 767.9 ms to 1.49 s, 94 % apart.
		{"wide, would hold", row("cpu_threading", 1490, 768, 800), row("cpu_non_concurrent", 1300, 1500, 1480), 0, 2},
		{"calm, holds", row("cpu_threading", 510, 515, 520), row("cpu_non_concurrent", 1000, 1010, 1005), 0, 0},
		{"calm, misses", row("cpu_threading", 1000, 1010, 1005), row("cpu_non_concurrent", 1000, 1010, 1005), 2, 0},
		{"wide, misses anyway", row("cpu_threading", 2000, 3000, 2500), row("cpu_non_concurrent", 1000, 1500, 1200), 2, 0},
	} {
		var out bytes.Buffer
		fail, noisy := printClaims(&out, []benchRow{c.seq, c.pool})
		if fail != c.fail || noisy != c.noisy {
			t.Errorf("%s: %d failed and %d noisy, want %d and %d:\n%s", c.name, fail, noisy, c.fail, c.noisy, &out)
		}
		if strings.Count(out.String(), "noisy: rerun") != c.noisy || strings.Count(out.String(), "FAIL") != c.fail {
			t.Errorf("%s: the marks do not match the counts:\n%s", c.name, &out)
		}
	}
}
