package cli

import (
	"bytes"
	"fmt"
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
