package nn

import (
	"math"
	"math/rand/v2"
	"testing"
)

// randVec returns n values U(-1, 1) from a fixed stream.
func randVec(r *rand.Rand, n int) []float64 {
	v := make([]float64, n)
	for i := range v {
		v[i] = 2*r.Float64() - 1
	}
	return v
}

// lossAt returns L = Σ w·net(x).
func lossAt(t *testing.T, net *Net[float64], x, w []float64) float64 {
	t.Helper()
	y := make([]float64, len(w))
	if err := net.Forward(y, x); err != nil {
		t.Fatal(err)
	}
	var l float64
	for i := range y {
		l += w[i] * y[i]
	}
	return l
}

// fdCheck compares Backward's input and parameter gradients of
// L = Σ w·net(x) (w random) with central differences, on every input and
// parameter when there are at most maxEach, else on maxEach inputs and
// maxEach parameters per layer chosen at random. It returns the largest
// error relative to the gradient scale.
func fdCheck(t *testing.T, net *Net[float64], x []float64, maxEach int, tol float64) float64 {
	t.Helper()
	r := rand.New(rand.NewPCG(7, 8))
	batch := len(x) / net.InSize()
	w := randVec(r, batch*net.OutSize())
	y := make([]float64, len(w))
	if err := net.Forward(y, x); err != nil {
		t.Fatal(err)
	}
	net.ZeroGrad()
	dx := make([]float64, len(x))
	if err := net.Backward(dx, w); err != nil {
		t.Fatal(err)
	}
	grads := append([]float64(nil), net.Grads()...)

	pick := func(lo, n int) []int {
		if n <= maxEach {
			idx := make([]int, n)
			for i := range idx {
				idx[i] = lo + i
			}
			return idx
		}
		idx := make([]int, maxEach)
		for i := range idx {
			idx[i] = lo + r.IntN(n)
		}
		return idx
	}
	scale := 0.0
	for _, g := range append(append([]float64(nil), dx...), grads...) {
		scale = max(scale, math.Abs(g))
	}
	scale = max(scale, 1e-3)
	h := fdStep
	worst := 0.0
	report := func(what string, i int, an, fd float64) {
		e := math.Abs(an-fd) / scale
		worst = max(worst, e)
		if e > tol {
			t.Errorf("%s[%d]: backward %.10g, finite difference %.10g (rel. error %.2g)", what, i, an, fd, e)
		}
	}
	for _, i := range pick(0, len(x)) {
		old := x[i]
		x[i] = old + h
		lp := lossAt(t, net, x, w)
		x[i] = old - h
		lm := lossAt(t, net, x, w)
		x[i] = old
		report("dx", i, dx[i], (lp-lm)/(2*h))
	}
	p := net.Params()
	for _, b := range net.blocks {
		for _, i := range pick(b.off, b.len) {
			old := p[i]
			p[i] = old + h
			lp := lossAt(t, net, x, w)
			p[i] = old - h
			lm := lossAt(t, net, x, w)
			p[i] = old
			report("grad "+b.kind, i, grads[i], (lp-lm)/(2*h))
		}
	}
	t.Logf("max finite-difference error %.2g of gradient scale %.3g", worst, scale)
	return worst
}

// fdStep is the central-difference step. It is small because ReLU and
// max-pool kinks inside ±h spoil the difference quotient: behind batch
// norm, pre-activations are O(1) with density ~0.4 near zero, so a U-Net
// with 10⁵ units crosses a kink for h ≈ 1e-5 on almost every probe.
var fdStep = 1e-7
