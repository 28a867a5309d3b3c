package nn

import (
	"math"
	"math/rand/v2"
	"testing"
)

// gramCase is a tanh MLP with k random cotangents per sample and the rows
// ParamVJPs writes for them, the reference of the Gram methods.
func gramCase(t *testing.T, sizes []int, batch, k int, seed uint64) (net *Net[float64], x, cot, rows []float64) {
	t.Helper()
	net, err := NewMLP[float64](sizes, Tanh, seed)
	if err != nil {
		t.Fatal(err)
	}
	x = input(net.InShape(), batch, seed+1)
	r := rand.New(rand.NewPCG(seed+2, 3))
	cot = randVec(r, batch*k*net.OutSize())
	rows = make([]float64, batch*k*net.NumParams())
	if err := net.ParamVJPs(rows, x, cot, k); err != nil {
		t.Fatal(err)
	}
	return net, x, cot, rows
}

// ParamGram is R·Rᵀ of ParamVJPs' rows R (R7's shape: 4-20-20-20-24,
// batch 32, 4 rows per sample, and a small one), exactly symmetric.
func TestParamGramIsRowsTimesRowsT(t *testing.T) {
	for _, c := range []struct {
		sizes    []int
		batch, k int
	}{{[]int{4, 20, 20, 20, 24}, 32, 4}, {[]int{3, 5, 2}, 3, 1}} {
		net, x, cot, rows := gramCase(t, c.sizes, c.batch, c.k, 61)
		v, np := c.batch*c.k, net.NumParams()
		g := make([]float64, v*v)
		if err := net.ParamGram(g, x, cot, c.k); err != nil {
			t.Fatal(err)
		}
		worst, scale := 0.0, 0.0
		for r := 0; r < v; r++ {
			for s := 0; s < v; s++ {
				var want float64
				for p := 0; p < np; p++ {
					want += rows[r*np+p] * rows[s*np+p]
				}
				scale = max(scale, math.Abs(want))
				worst = max(worst, math.Abs(g[r*v+s]-want))
				if g[r*v+s] != g[s*v+r] {
					t.Fatalf("G[%d,%d] = %v ≠ G[%d,%d] = %v", r, s, g[r*v+s], s, r, g[s*v+r])
				}
			}
		}
		if worst > 1e-12*scale {
			t.Errorf("%v: max |G − RRᵀ| = %g, max |RRᵀ| = %g", c.sizes, worst, scale)
		}
		t.Logf("%v: max |G − RRᵀ| / max|G| = %.2g", c.sizes, worst/scale)
	}
}

// ParamVJPSum is Rᵀc and leaves the gradients alone.
func TestParamVJPSumIsRowsT(t *testing.T) {
	const batch, k = 5, 3
	net, x, cot, rows := gramCase(t, []int{4, 7, 6, 3}, batch, k, 71)
	np := net.NumParams()
	r := rand.New(rand.NewPCG(72, 73))
	c := randVec(r, batch*k)
	for i := range net.Grads() {
		net.Grads()[i] = float64(i)
	}
	dst := make([]float64, np)
	if err := net.ParamVJPSum(dst, x, cot, c, k); err != nil {
		t.Fatal(err)
	}
	for p := 0; p < np; p++ {
		var want float64
		for i, ci := range c {
			want += ci * rows[i*np+p]
		}
		if math.Abs(dst[p]-want) > 1e-12*(1+math.Abs(want)) {
			t.Fatalf("param %d: %v, Rᵀc %v", p, dst[p], want)
		}
		if net.Grads()[p] != float64(p) {
			t.Fatalf("gradient %d changed to %v", p, net.Grads()[p])
		}
	}
}

func TestParamGramErrors(t *testing.T) {
	net, x, cot, _ := gramCase(t, []int{3, 4, 2}, 2, 2, 81)
	if err := net.ParamGram(make([]float64, 15), x, cot, 2); err == nil {
		t.Error("wrong Gram size accepted")
	}
	if err := net.ParamGram(make([]float64, 16), x, cot[1:], 2); err == nil {
		t.Error("wrong cotangent size accepted")
	}
	if err := net.ParamGram(make([]float64, 16), x, cot, 0); err == nil {
		t.Error("k = 0 accepted")
	}
	if err := net.ParamVJPSum(make([]float64, net.NumParams()), x, cot, make([]float64, 3), 2); err == nil {
		t.Error("wrong weight count accepted")
	}
	u, err := NewUNet[float64](UNetConfig{In: 1, Out: 1, Height: 4, Width: 4, Levels: 2, Filters: 2})
	if err != nil {
		t.Fatal(err)
	}
	if err := u.ParamGram(make([]float64, 1), make([]float64, 16), make([]float64, 16), 1); err != ErrNotMLP {
		t.Errorf("U-Net: %v, want ErrNotMLP", err)
	}
}
