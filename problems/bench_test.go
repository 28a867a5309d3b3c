package problems

import (
	"testing"
	"time"

	"github.com/physgrad/physgrad/physics/poisson"
	"github.com/physgrad/physgrad/train"
)

// benchStep times one full training step (data, network forward, physics,
// loss, backward, optimiser) through the same Trainer.Step that training
// uses, after one warm-up step.
func benchStep(b *testing.B, task train.Task, method string, batch int) {
	tr, err := train.NewTrainer(task, train.Settings{Method: method, Batch: batch})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := tr.Step(0); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		if _, err := tr.Step(i + 1); err != nil {
			b.Fatal(err)
		}
	}
	sec := time.Since(start).Seconds() / float64(b.N)
	b.ReportMetric(sec, "s/step")
	b.ReportMetric(tr.Net.TrainFLOPs(batch)/sec/1e9, "GFLOP/s")
	if rss := peakRSS(); rss > 0 {
		b.ReportMetric(rss/1e6, "peak-RSS-MB")
	}
}

// Heat at batch 128: the authors' PyTorch step takes 1.82 s (SIP) and
// 1.80 s (Adam) on this kind of machine (refs/heat_step_timing.json).
func BenchmarkHeatStep(b *testing.B) {
	task, err := NewHeatTask(64)
	if err != nil {
		b.Fatal(err)
	}
	for _, m := range []string{"sip", "adam"} {
		b.Run(m, func(b *testing.B) { benchStep(b, task, m, 128) })
	}
}

// Sine at batch 100: the authors' SIP step takes 10.4 ms, Adam's 7.4 ms.
func BenchmarkSineStep(b *testing.B) {
	task, err := NewSineTask(32, 0)
	if err != nil {
		b.Fatal(err)
	}
	for _, m := range []string{"sip", "adam"} {
		b.Run(m, func(b *testing.B) { benchStep(b, task, m, 100) })
	}
}

// Poisson at batch 128: the authors' SIP step takes 5.75 s, Adam's 7.31 s.
func BenchmarkPoissonStep(b *testing.B) {
	task, err := NewPoissonTask(64, poisson.Exact)
	if err != nil {
		b.Fatal(err)
	}
	for _, m := range []string{"sip", "adam"} {
		b.Run(m, func(b *testing.B) { benchStep(b, task, m, 128) })
	}
}
