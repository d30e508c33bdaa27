package main

import (
	"context"
	"testing"

	"concurrency-playground/internal/workload"
)

// BenchmarkCPUSequential runs the lesson's CPU run (cpu_non_concurrent: 20 exact sums of about
// five million squares) through the engine. The package builds natively too, so the same
// benchmark compares the engine under Node's V8, the engine Chromium runs, with native code:
// make bench-wasm runs both.
func BenchmarkCPUSequential(b *testing.B) {
	s, err := Resolve(workload.Job{Preset: "cpu_non_concurrent"}, 1, true)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := Run(context.Background(), s, Options{Machine: testMachine}); err != nil {
			b.Fatal(err)
		}
	}
}
