package nn

import (
	"math"
	"testing"

	"github.com/physgrad/physgrad/internal/gemm"
)

// unetStep runs one training step (forward, backward with a fixed
// cotangent) of a fresh 64×64 U-Net on a batch of 4 and returns the
// output, the input gradient and the parameter gradients. fast selects
// the kernels of each pass: the assembly ones or the portable fallback.
func unetStep(t *testing.T, fastFwd, fastBwd bool) (y, dx, g []float32, blocks []paramBlock) {
	t.Helper()
	net, err := NewUNet[float32](UNetConfig{In: 1, Out: 1, Height: 64, Width: 64, Seed: 9})
	if err != nil {
		t.Fatal(err)
	}
	const batch = 4
	x := to32(input(net.InShape(), batch, 31))
	w := to32(input(net.OutShape(), batch, 32))
	y, dx = make([]float32, len(w)), make([]float32, len(x))
	prevAsm, prevAVX2 := gemm.UseAsm(fastFwd), useAVX2
	defer func() { gemm.UseAsm(prevAsm); useAVX2 = prevAVX2 }()
	useAVX2 = prevAVX2 && fastFwd
	if err := net.Forward(y, x); err != nil {
		t.Fatal(err)
	}
	gemm.UseAsm(fastBwd)
	useAVX2 = prevAVX2 && fastBwd
	if err := net.Backward(dx, w); err != nil {
		t.Fatal(err)
	}
	return y, dx, append([]float32(nil), net.Grads()...), net.blocks
}

// relDiff is max |a - b| / max |b|.
func relDiff(a, b []float32) float64 {
	scale, worst := 0.0, 0.0
	for i := range b {
		scale = max(scale, math.Abs(float64(b[i])))
		worst = max(worst, math.Abs(float64(a[i])-float64(b[i])))
	}
	return worst / scale
}

// The fast path (windowed AVX-512 convolutions, assembly GEMM and
// element-wise kernels) computes the same U-Net step as the portable
// fallback (shift-GEMM convolutions on the Go GEMM kernels, Go loops) to
// float32 round-off: max |fast - fallback| ≤ 1e-5·max |fallback| for the
// output, and for the input gradient, all weight gradients together and
// each layer's weight gradient.
//
// The gradients are compared by running both backward passes on the same
// (fast) forward pass. End to end they differ by ~1e-3 in the layers
// below the 32×32 level, for a discrete reason: a ReLU input within
// round-off of zero (here one of 65,536 at down1's output: 6.9e-7 on one
// path, 0 on the other) switches that pixel's gradient on or off, and one
// term of a gradient sum over 16k pixels of random sign is ~1/√16k of it.
// Perturbing the weights of the fallback by 1e-6 relative does the same;
// neither path is wrong (TestUNetFloat32MatchesFloat64 checks both
// against float64).
func TestUNetFastPathMatchesFallback(t *testing.T) {
	if !gemm.WindowAsm() {
		t.Skip("no assembly kernels on this machine or build (purego, PHYSGRAD_NOASM)")
	}
	check := func(what string, fast, slow []float32) {
		t.Helper()
		d := relDiff(fast, slow)
		if !(d <= 1e-5) {
			t.Errorf("%s: fast path differs from fallback by %.2g of max |value|", what, d)
		}
	}
	yf, dxf, gf, blocks := unetStep(t, true, true)
	ys, _, gs, _ := unetStep(t, false, false)
	check("output", yf, ys)
	t.Logf("end to end: output %.2g, weight gradients %.2g (ReLU flips)", relDiff(yf, ys), relDiff(gf, gs))

	_, dxb, gb, _ := unetStep(t, true, false)
	check("input gradient", dxf, dxb)
	check("weight gradients", gf, gb)
	worst := 0.0
	for _, b := range blocks {
		if b.len > 0 {
			check("gradient of "+b.kind, gf[b.off:b.off+b.len], gb[b.off:b.off+b.len])
			worst = max(worst, relDiff(gf[b.off:b.off+b.len], gb[b.off:b.off+b.len]))
		}
	}
	t.Logf("same forward: input gradient %.2g, weight gradients %.2g, worst layer %.2g", relDiff(dxf, dxb), relDiff(gf, gb), worst)
}

// The batch-norm work handed over to the convolutions (plan: statistics
// in forward, gradient sums and the output gradient in backward) gives
// bitwise the results of the batch norms doing it themselves.
func TestHandedOverSumsBitwise(t *testing.T) {
	run := func(link bool) [][]float32 {
		net, err := NewUNet[float32](UNetConfig{In: 1, Out: 1, Height: 32, Width: 32, Seed: 4})
		if err != nil {
			t.Fatal(err)
		}
		stats, grads := 0, 0
		for _, nd := range net.nodes {
			if c, ok := nd.l.(*conv2d[float32]); ok {
				if c.stats != nil {
					stats++
					if !link {
						c.stats.preSummed, c.stats = false, nil
					}
				}
				if c.gradSums != nil {
					grads++
					if !link {
						c.gradSums.preGrad, c.gradSums = false, nil
					}
				}
				if c.outGrad != nil && !link {
					c.outGrad.byConv, c.outGrad = nil, nil
				}
			}
		}
		// Every conv but outc feeds a batch norm; the second conv of each
		// DoubleConv and outc read a bnAct that nothing else reads.
		if stats != 14 || grads != 8 {
			t.Fatalf("%d convolutions hand over statistics, %d gradient sums; want 14, 8", stats, grads)
		}

		const batch = 5
		x := to32(input(net.InShape(), batch, 3))
		w := to32(input(net.OutShape(), batch, 6))
		y, dx := make([]float32, len(w)), make([]float32, len(x))
		if err := net.Forward(y, x); err != nil {
			t.Fatal(err)
		}
		if err := net.Backward(dx, w); err != nil {
			t.Fatal(err)
		}
		// The 3×3 convolutions on the windowed kernel (32×32 and 16×16
		// levels) except the first (one input channel) compute their output
		// gradient themselves.
		outGrads := 0
		for _, nd := range net.nodes {
			if c, ok := nd.l.(*conv2d[float32]); ok && c.takesOutputGrad() {
				outGrads++
			}
		}
		if want := 7; link && gemm.WindowAsm() && outGrads != want {
			t.Fatalf("%d convolutions compute their output gradient, want %d", outGrads, want)
		}
		var rs []float32
		for _, bn := range net.bns {
			rs = append(append(rs, bn.runMean...), bn.runVar...)
		}
		return [][]float32{y, rs, dx, net.Grads()}
	}
	a, b := run(true), run(false)
	for k, name := range []string{"output", "running statistics", "input gradient", "parameter gradients"} {
		for i := range a[k] {
			if math.Float32bits(a[k][i]) != math.Float32bits(b[k][i]) {
				t.Fatalf("%s[%d]: %g with handed-over sums, %g without", name, i, a[k][i], b[k][i])
			}
		}
	}
}
