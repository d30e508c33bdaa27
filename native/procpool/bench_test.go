package procpool

import (
	"context"
	"sync"
	"testing"
	"time"

	"concurrency-playground/internal/workload"
)

// Starting a pool of two worker processes and tearing it down, with no task: the cost the
// lesson's multiprocessing.Pool(2) pays before any work (~27 ms in CPython). ms-to-ready is
// until both workers have run their initializer and said so; ms/pool includes the tear-down.
func BenchmarkStartTwoWorkers(b *testing.B) {
	ctx := context.Background()
	s := workload.Spec{Repeat: 1, Experiment: workload.CPU, Variant: workload.Process, Workers: 2, Tasks: 1, N: 1}
	h := hello{Token: newToken(), Spec: s}
	var toReady time.Duration
	for b.Loop() {
		start := time.Now()
		var wg sync.WaitGroup
		procs := make([]*proc, 2)
		for i := range procs {
			wg.Go(func() {
				p, err := startProc(ctx, i, h)
				if err == nil {
					err = p.ready(ctx, h.Token)
				}
				procs[i] = p
				if err != nil {
					b.Error(err)
				}
			})
		}
		wg.Wait()
		toReady += time.Since(start)
		for _, p := range procs {
			if p != nil {
				wg.Go(func() {
					if err := p.finish(); err != nil {
						b.Error(err)
					}
				})
			}
		}
		wg.Wait()
	}
	b.ReportMetric(float64(toReady.Microseconds())/1e3/float64(b.N), "ms-to-ready")
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1e3/float64(b.N), "ms/pool")
}

// The CPU preset's work (20 sums, n from 100,000,000) on two processes against a plain loop in
// this process: the speedup of one repeat, start-up included as in the lesson's timing.
func BenchmarkCPUTwoProcessesVsSequential(b *testing.B) {
	ctx := context.Background()
	p, _ := workload.PresetByName("cpu_mp")
	s := p.Spec
	s.Workers, s.Repeat = 2, 1
	var seq, pool time.Duration
	for b.Loop() {
		start := time.Now()
		for task := range s.Tasks {
			if _, err := s.Do(ctx, task, &workload.TaskEnv{}); err != nil {
				b.Fatal(err)
			}
		}
		seq += time.Since(start)
		start = time.Now()
		if _, err := Run(ctx, s, Options{}); err != nil {
			b.Fatal(err)
		}
		pool += time.Since(start)
	}
	b.ReportMetric(seq.Seconds()/pool.Seconds(), "speedup")
	b.ReportMetric(float64(seq.Microseconds())/1e3/float64(b.N), "ms-sequential")
	b.ReportMetric(float64(pool.Microseconds())/1e3/float64(b.N), "ms-2-processes")
}

// The race experiment's 5,000 tiny tasks on two processes: what the batches save.
func BenchmarkRaceTwoProcesses(b *testing.B) {
	s := workload.Spec{Repeat: 1, Experiment: workload.Race, Variant: workload.Process, Workers: 2,
		Tasks: workload.DefaultRaceTasks, Mode: workload.Unsafe}
	for b.Loop() {
		if _, err := Run(context.Background(), s, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
