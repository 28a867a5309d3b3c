package nn

import (
	"fmt"
	"syscall"
	"testing"
	"time"
)

// cpuTime is the process's user+system CPU time; reported next to wall
// time because the shared 2-core machine makes wall times noisy.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func flopsPerStep[T Float](n *Net[T], batch int) float64 { return n.TrainFLOPs(batch) }

func benchUNet(b *testing.B, batch int) {
	net, err := NewUNet[float32](UNetConfig{In: 1, Out: 1, Height: 64, Width: 64})
	if err != nil {
		b.Fatal(err)
	}
	x := to32(input(net.InShape(), batch, 1))
	dy := to32(input(net.OutShape(), batch, 2))
	y := make([]float32, len(dy))
	step := func() {
		if err := net.Forward(y, x); err != nil {
			b.Fatal(err)
		}
		net.ZeroGrad()
		if err := net.Backward(nil, dy); err != nil {
			b.Fatal(err)
		}
	}
	step() // size the buffers outside the timing
	b.ReportAllocs()
	b.ResetTimer()
	c0 := cpuTime()
	for b.Loop() {
		step()
	}
	cpu := (cpuTime() - c0).Seconds() / float64(b.N)
	sec := b.Elapsed().Seconds() / float64(b.N)
	b.ReportMetric(flopsPerStep(net, batch)/sec/1e9, "GFLOP/s")
	b.ReportMetric(sec*1e3, "ms/step")
	b.ReportMetric(cpu*1e3, "cpu-ms/step")
}

// BenchmarkUNetForwardBackward is one heat training step's network part:
// U-Net(1→1) on 64×64, training-mode batch norm.
func BenchmarkUNetForwardBackward(b *testing.B) {
	for _, batch := range []int{16, 128} {
		b.Run(fmt.Sprintf("batch=%d", batch), func(b *testing.B) { benchUNet(b, batch) })
	}
}

// BenchmarkMLPForwardBackward is the network part of a sine (R4) SIP step:
// 2-32-64-32-2 ReLU, batch 100.
func BenchmarkMLPForwardBackward(b *testing.B) {
	net, err := NewMLP[float32]([]int{2, 32, 64, 32, 2}, ReLU, 1)
	if err != nil {
		b.Fatal(err)
	}
	const batch = 100
	x := to32(input(net.InShape(), batch, 1))
	dy := to32(input(net.OutShape(), batch, 2))
	y := make([]float32, len(dy))
	step := func() {
		if err := net.Forward(y, x); err != nil {
			b.Fatal(err)
		}
		net.ZeroGrad()
		if err := net.Backward(nil, dy); err != nil {
			b.Fatal(err)
		}
	}
	step()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		step()
	}
	sec := b.Elapsed().Seconds() / float64(b.N)
	b.ReportMetric(flopsPerStep(net, batch)/sec/1e9, "GFLOP/s")
}

// BenchmarkMLPJacobian is HIG's network Jacobian: 4-20-20-20-24 tanh,
// batch 32, a 768×1464 matrix.
func BenchmarkMLPJacobian(b *testing.B) {
	net, err := NewMLP[float32]([]int{4, 20, 20, 20, 24}, Tanh, 1)
	if err != nil {
		b.Fatal(err)
	}
	const batch = 32
	x := to32(input(net.InShape(), batch, 1))
	jac := make([]float32, batch*net.OutSize()*net.NumParams())
	if err := net.ParamJacobian(jac, x); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	c0 := cpuTime()
	for b.Loop() {
		if err := net.ParamJacobian(jac, x); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric((cpuTime()-c0).Seconds()/float64(b.N)*1e3, "cpu-ms/op")
}
