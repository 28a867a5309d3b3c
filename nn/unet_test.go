package nn

import (
	"math"
	"testing"
)

func TestUNetParamCount(t *testing.T) {
	net, err := NewUNet[float32](UNetConfig{In: 1, Out: 1, Height: 64, Width: 64})
	if err != nil {
		t.Fatal(err)
	}
	if got := net.NumParams(); got != 37697 {
		t.Fatalf("NumParams = %d, want 37,697 (phiflow u_net(1,1))", got)
	}
	if got := len(net.Grads()); got != 37697 {
		t.Fatalf("len(Grads) = %d", got)
	}
}

// The whole U-Net in float64, training-mode batch norm, 16×16, batch 2:
// input gradients and 3 parameters of every layer against central
// differences.
func TestUNetGrad(t *testing.T) {
	net, err := NewUNet[float64](UNetConfig{In: 1, Out: 1, Height: 16, Width: 16, Seed: 11})
	if err != nil {
		t.Fatal(err)
	}
	fdCheck(t, net, input(net.InShape(), 2, 9), 3, gradTol)
}

// Zero padding, no batch norm, tanh, two input and output channels, 3
// levels on a non-square grid.
func TestUNetVariantGrad(t *testing.T) {
	net, err := NewUNet[float64](UNetConfig{In: 2, Out: 2, Height: 8, Width: 12, Levels: 3, Filters: 4,
		NoBatchNorm: true, Activation: Tanh, ZeroPadding: true, Seed: 12})
	if err != nil {
		t.Fatal(err)
	}
	if want := unetParams(2, 2, 3, 4, false); net.NumParams() != want {
		t.Errorf("NumParams = %d, want %d", net.NumParams(), want)
	}
	fdCheck(t, net, input(net.InShape(), 2, 10), 3, gradTol)
}

// unetParams counts the U-Net parameters from the layer formulas.
func unetParams(in, out, levels, f int, bn bool) int {
	conv := func(ci, co, k int) int { return co*ci*k*k + co }
	norm := 0
	if bn {
		norm = 2 * f
	}
	dc := func(ci int) int { return conv(ci, f, 3) + norm + conv(f, f, 3) + norm }
	return dc(in) + (levels-1)*(dc(f)+dc(2*f)) + conv(f, out, 1)
}

// The fused layers (bnAct, upConcat) compute the same function, gradients
// and running statistics as the plain layer sequence.
func TestUNetFusedMatchesPlain(t *testing.T) {
	for _, cfg := range []UNetConfig{
		{In: 1, Out: 1, Height: 16, Width: 16, Seed: 31},
		{In: 2, Out: 3, Height: 8, Width: 16, Levels: 3, Filters: 5, Activation: Sigmoid, ZeroPadding: true, Seed: 32},
	} {
		fused, err := newUNet[float64](cfg, true)
		if err != nil {
			t.Fatal(err)
		}
		plain, err := newUNet[float64](cfg, false)
		if err != nil {
			t.Fatal(err)
		}
		if len(fused.nodes) >= len(plain.nodes) {
			t.Fatalf("fused net has %d nodes, plain %d", len(fused.nodes), len(plain.nodes))
		}
		if fused.Architecture() != plain.Architecture() {
			t.Errorf("architectures differ:\n%s\n%s", fused.Architecture(), plain.Architecture())
		}
		const batch = 3
		x := input(fused.InShape(), batch, 33)
		w := input(fused.OutShape(), batch, 34)
		res := func(n *Net[float64]) (y, dx, g, rs []float64) {
			y, dx = make([]float64, len(w)), make([]float64, len(x))
			for step := 0; step < 2; step++ {
				if err := n.Forward(y, x); err != nil {
					t.Fatal(err)
				}
				if err := n.Backward(dx, w); err != nil {
					t.Fatal(err)
				}
			}
			for _, bn := range n.bns {
				rs = append(append(rs, bn.runMean...), bn.runVar...)
			}
			return y, dx, n.Grads(), rs
		}
		y1, dx1, g1, r1 := res(fused)
		y2, dx2, g2, r2 := res(plain)
		if len(r1) == 0 || len(r1) != len(r2) {
			t.Fatalf("running statistics: %d fused, %d plain values", len(r1), len(r2))
		}
		for _, c := range []struct {
			name string
			a, b []float64
		}{{"y", y1, y2}, {"dx", dx1, dx2}, {"grads", g1, g2}, {"running stats", r1, r2}} {
			scale, worst := 0.0, 0.0
			for i := range c.a {
				scale = max(scale, math.Abs(c.b[i]))
				worst = max(worst, math.Abs(c.a[i]-c.b[i]))
			}
			if worst > 1e-12*scale {
				t.Errorf("%v: %s differs by %g (scale %g)", cfg, c.name, worst, scale)
			}
		}
	}
}

// Switching batch sizes reuses the buffers of the largest batch; the
// results equal those of a network that only ever saw the small batch.
func TestBatchSizeSwitch(t *testing.T) {
	cfg := UNetConfig{In: 1, Out: 1, Height: 16, Width: 16, Seed: 71}
	a, _ := NewUNet[float32](cfg)
	b, _ := NewUNet[float32](cfg)
	run := func(n *Net[float32], batch int) (y, dx, g []float32) {
		x := to32(input(n.InShape(), batch, 72))
		w := to32(input(n.OutShape(), batch, 73))
		y, dx = make([]float32, len(w)), make([]float32, len(x))
		if err := n.Forward(y, x); err != nil {
			t.Fatal(err)
		}
		n.ZeroGrad()
		if err := n.Backward(dx, w); err != nil {
			t.Fatal(err)
		}
		return y, dx, append([]float32(nil), n.Grads()...)
	}
	run(a, 6)
	ya, dxa, ga := run(a, 3)
	run(a, 6)
	yb, dxb, gb := run(b, 3)
	for _, c := range []struct {
		name string
		p, q []float32
	}{{"y", ya, yb}, {"dx", dxa, dxb}, {"grads", ga, gb}} {
		for i := range c.p {
			if c.p[i] != c.q[i] {
				t.Fatalf("%s[%d]: %g after a larger batch, %g fresh", c.name, i, c.p[i], c.q[i])
			}
		}
	}
}

// The FLOP count behind the GFLOP/s figures, against the U-Net's
// convolutions counted by hand: forward 106,889,216 per 64×64 sample
// (inc 20,054,016; down 9,437,184 + 2,359,296 + 589,824; up 3,538,944 +
// 14,155,776 + 56,623,104; outc 131,072), training three times that less
// the first layer's input gradient (1,179,648).
func TestTrainFLOPs(t *testing.T) {
	net, err := NewUNet[float32](UNetConfig{In: 1, Out: 1, Height: 64, Width: 64})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := net.TrainFLOPs(128), 128*(3*106889216.0-1179648); got != want {
		t.Errorf("TrainFLOPs(128) = %.0f, want %.0f", got, want)
	}
}
