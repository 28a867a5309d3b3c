package nn

import (
	"fmt"
	"runtime"
	"testing"
)

// cpuRate runs body in b.Loop on a locked thread and reports flops/op as
// GFLOP/s of wall time and of thread CPU time (robust to other jobs).
func cpuRate(b *testing.B, flops float64, body func()) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	b.ReportAllocs()
	t0, n := threadCPU(), 0
	for b.Loop() {
		body()
		n++
	}
	b.ReportMetric(flops*float64(n)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
	if cpu := threadCPU() - t0; cpu > 0 {
		b.ReportMetric(flops*float64(n)/cpu/1e9, "cpuGFLOP/s")
	}
}

// BenchmarkConvKernels times each convolution kernel on the U-Net's 3×3
// layer shapes, one chunk of 16 samples as in a batch-128 step: forward,
// and backward (weight and input gradients). GFLOP/s counts 2·cout·cin·9
// per pixel per product (3 products for fwd+bwd).
func BenchmarkConvKernels(b *testing.B) {
	const ns = 16
	for _, s := range []struct{ cin, cout, hw int }{
		{16, 16, 64}, {32, 16, 64}, {16, 16, 32}, {32, 16, 32}, {16, 16, 16}, {32, 16, 16}, {16, 16, 8},
	} {
		g := newConvGeom(s.cin, s.cout, s.hw, s.hw, 3, 1, 1, true)
		for _, kc := range []kernelChoice{kernelDirect, kernelShift, kernelIm2col} {
			kn := newKernel[float32](g, kc)
			name := map[kernelChoice]string{kernelDirect: "direct", kernelShift: "shift", kernelIm2col: "im2col"}[kc]
			if _, ok := kn.(*directKernel[float32]); kc == kernelDirect && !ok {
				continue // shape not covered by the windowed kernels
			}
			in, out := s.cin*s.hw*s.hw, s.cout*s.hw*s.hw
			x := to32(input(Shape{s.cin, s.hw, s.hw}, ns, 1))
			dy := to32(input(Shape{s.cout, s.hw, s.hw}, ns, 2))
			w := to32(input(Shape{s.cout * s.cin * 9, 1, 1}, 1, 3))
			bias := make([]float32, s.cout)
			y, dx := make([]float32, ns*out), make([]float32, ns*in)
			gw, gb := make([]float32, len(w)), make([]float32, s.cout)
			ws := make([]float32, kn.scratch(ns))
			flops := 2 * float64(s.cout*s.cin*9*s.hw*s.hw*ns)
			b.Run(fmt.Sprintf("%dto%d_%dx%d/%s/fwd", s.cin, s.cout, s.hw, s.hw, name), func(b *testing.B) {
				cpuRate(b, flops, func() {
					kn.prepare(w)
					kn.forward(y, x, w, bias, ns, ws)
				})
			})
			b.Run(fmt.Sprintf("%dto%d_%dx%d/%s/bwd", s.cin, s.cout, s.hw, s.hw, name), func(b *testing.B) {
				cpuRate(b, 2*flops, func() {
					kn.prepare(w)
					if fb, ok := kn.(fusedBackward[float32]); ok {
						fb.backward(gw, gb, dx, x, dy, ns, true, false, ws, nil, 0, nil)
						return
					}
					kn.backwardWeights(gw, gb, x, dy, ns, ws)
					kn.backwardData(dx, dy, ns, false, ws)
				})
			})
		}
	}
}
