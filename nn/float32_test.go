package nn

import (
	"math"
	"runtime"
	"testing"
)

// The float32 instantiation (matrix products in internal/gemm) computes the
// same function and gradients as the finite-difference-checked float64 one,
// to float32 accuracy.
func TestUNetFloat32MatchesFloat64(t *testing.T) {
	cfg := UNetConfig{In: 1, Out: 1, Height: 16, Width: 16, Seed: 21}
	n64, err := NewUNet[float64](cfg)
	if err != nil {
		t.Fatal(err)
	}
	n32, err := NewUNet[float32](cfg)
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range n64.Params() {
		if float32(p) != n32.Params()[i] {
			t.Fatalf("param %d: float32 init %g is not float64 init %g rounded", i, n32.Params()[i], p)
		}
		n64.Params()[i] = float64(n32.Params()[i])
	}
	const batch = 3
	x64 := input(n64.InShape(), batch, 13)
	w64 := input(n64.OutShape(), batch, 14)
	x32, w32 := to32(x64), to32(w64)
	for i := range x64 {
		x64[i], w64[i] = float64(x32[i]), float64(w32[i])
	}
	y64, y32 := make([]float64, len(w64)), make([]float32, len(w32))
	dx64, dx32 := make([]float64, len(x64)), make([]float32, len(x32))
	for step := 0; step < 2; step++ { // the second step runs on updated running stats
		if err := n64.Forward(y64, x64); err != nil {
			t.Fatal(err)
		}
		if err := n32.Forward(y32, x32); err != nil {
			t.Fatal(err)
		}
		n64.ZeroGrad()
		n32.ZeroGrad()
		if err := n64.Backward(dx64, w64); err != nil {
			t.Fatal(err)
		}
		if err := n32.Backward(dx32, w32); err != nil {
			t.Fatal(err)
		}
		compare(t, "y", y64, y32, 2e-5)
		compare(t, "dx", dx64, dx32, 1e-4)
		compare(t, "grads", n64.Grads(), n32.Grads(), 1e-4)
	}
	for i := range n64.bns {
		compare(t, "running mean", n64.bns[i].runMean, n32.bns[i].runMean, 1e-5)
		compare(t, "running var", n64.bns[i].runVar, n32.bns[i].runVar, 1e-5)
	}
}

func to32(v []float64) []float32 {
	out := make([]float32, len(v))
	for i, x := range v {
		out[i] = float32(x)
	}
	return out
}

// compare checks max|a-b| ≤ tol·max|a|.
func compare(t *testing.T, what string, a []float64, b []float32, tol float64) {
	t.Helper()
	scale, worst := 0.0, 0.0
	for i := range a {
		scale = max(scale, math.Abs(a[i]))
		worst = max(worst, math.Abs(a[i]-float64(b[i])))
	}
	if worst > tol*scale {
		t.Errorf("%s: float32 differs from float64 by %.3g (scale %.3g)", what, worst, scale)
	}
}

// Forward, backward and the running statistics are bitwise identical for
// GOMAXPROCS = 1 and 2 (batch 12: 8 chunks of unequal size).
func TestUNetDeterministicAcrossGOMAXPROCS(t *testing.T) {
	run := func(procs int) (y, dx, g, rm []float32) {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		net, err := NewUNet[float32](UNetConfig{In: 1, Out: 1, Height: 32, Width: 32, Seed: 5})
		if err != nil {
			t.Fatal(err)
		}
		const batch = 12
		x := to32(input(net.InShape(), batch, 15))
		w := to32(input(net.OutShape(), batch, 16))
		y, dx = make([]float32, len(w)), make([]float32, len(x))
		for step := 0; step < 2; step++ {
			if err := net.Forward(y, x); err != nil {
				t.Fatal(err)
			}
			if err := net.Backward(dx, w); err != nil {
				t.Fatal(err)
			}
		}
		for _, bn := range net.bns {
			rm = append(append(rm, bn.runMean...), bn.runVar...)
		}
		return y, dx, append([]float32(nil), net.Grads()...), rm
	}
	y1, dx1, g1, r1 := run(1)
	y2, dx2, g2, r2 := run(2)
	for _, c := range []struct {
		name string
		a, b []float32
	}{{"y", y1, y2}, {"dx", dx1, dx2}, {"grads", g1, g2}, {"running stats", r1, r2}} {
		for i := range c.a {
			if math.Float32bits(c.a[i]) != math.Float32bits(c.b[i]) {
				t.Errorf("%s[%d]: GOMAXPROCS=1 gives %g, 2 gives %g", c.name, i, c.a[i], c.b[i])
				break
			}
		}
	}
}
