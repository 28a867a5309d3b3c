package train

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
)

// gradedWide is a random m × n (m < n) matrix with singular values from 1
// down to 10^-decades, geometrically spaced: U·Σ·Wᵀ with orthonormal
// random U (m × m) and W (n × m).
func gradedWide(rng *rand.Rand, m, n int, decades float64) []float64 {
	u, w := orthRows(rng, m, m), orthRows(rng, m, n) // rows orthonormal
	a := make([]float64, m*n)
	for j := 0; j < m; j++ {
		s := math.Pow(10, -decades*float64(j)/float64(m-1))
		for i := 0; i < m; i++ {
			axpy64(a[i*n:(i+1)*n], s*u[j*m+i], w[j*n:(j+1)*n])
		}
	}
	return a
}

// orthRows is m random orthonormal rows of length n (Gram-Schmidt, twice).
func orthRows(rng *rand.Rand, m, n int) []float64 {
	q := make([]float64, m*n)
	for i := range q {
		q[i] = rng.NormFloat64()
	}
	for i := 0; i < m; i++ {
		r := q[i*n : (i+1)*n]
		for range 2 {
			for j := 0; j < i; j++ {
				axpy64(r, -dot64(r, q[j*n:(j+1)*n]), q[j*n:(j+1)*n])
			}
		}
		nrm := math.Sqrt(dot64(r, r))
		for k := range r {
			r[k] /= nrm
		}
	}
	return q
}

// gramDelta is the Gram route on an explicit A: G = A·Aᵀ, c from
// coefficients, Δ = Aᵀc.
func gramDelta(s *gramSolver, a []float64, m, n int, g []float64, tau, p float64) ([]float64, int, error) {
	gram := make([]float64, m*m)
	A := blas64.General{Rows: m, Cols: n, Stride: n, Data: a}
	blas64.Gemm(blas.NoTrans, blas.Trans, 1, A, A, 0, blas64.General{Rows: m, Cols: m, Stride: m, Data: gram})
	for i := 0; i < m; i++ {
		for j := 0; j < i; j++ {
			gram[j*m+i] = gram[i*m+j]
		}
	}
	c := make([]float64, m)
	kept, err := s.coefficients(c, gram, m, g, tau, p)
	if err != nil {
		return nil, 0, err
	}
	d := make([]float64, n)
	blas64.Gemv(blas.Trans, 1, A, blas64.Vector{N: m, Inc: 1, Data: c}, 0, blas64.Vector{N: n, Inc: 1, Data: d})
	return d, kept, nil
}

func relDiff(a, b []float64) float64 {
	var num, den float64
	for i := range a {
		num += (a[i] - b[i]) * (a[i] - b[i])
		den += b[i] * b[i]
	}
	return math.Sqrt(num / den)
}

// TestGramRouteAccuracy measures the Gram route against the exact LQ/SVD
// path on random 128 × 1,444 Jacobians (R7's shape) whose σmax/σmin spans
// 10^d, i.e. κ(G) = 10^{2d}: the relative update error grows like
// ε·κ(G), which is what gramResolvable is set from, and beyond
// 1/gramResolvable the route refuses.
func TestGramRouteAccuracy(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	const m, n = 128, 1444
	g := make([]float64, m)
	for i := range g {
		g[i] = rng.NormFloat64()
	}
	var ex pinvSolver
	var gs gramSolver
	for _, d := range []float64{2, 4, 5, 5.6} {
		a := gradedWide(rng, m, n, d)
		k2 := math.Pow(10, 2*d)
		for _, p := range []float64{0.5, 1} {
			want := make([]float64, n)
			if _, err := ex.apply(want, append([]float64(nil), a...), m, n, g, 1e-10, p); err != nil {
				t.Fatal(err)
			}
			got, kept, err := gramDelta(&gs, a, m, n, g, 1e-10, p)
			if err != nil {
				t.Fatalf("κ(G) = %g: %v", k2, err)
			}
			if kept != m {
				t.Errorf("κ(G) = %g: kept %d of %d", k2, kept, m)
			}
			e := relDiff(got, want)
			// Twice the largest measured constant, 5e-17.
			if e > 1e-16*k2+1e-13 {
				t.Errorf("κ(G) = %g, p = %g: Gram route off by %.3g relative", k2, p, e)
			}
			t.Logf("κ(G) = %.0e, p = %g: relative error %.3g = %.2g·κ(G)", k2, p, e, e/k2)
		}
	}
	a := gradedWide(rng, m, n, 6.5) // κ(G) = 1e13
	if _, _, err := gramDelta(&gs, a, m, n, g, 1e-10, 0.5); !errors.Is(err, errUnresolved) {
		t.Errorf("κ(G) = 1e13: %v, want errUnresolved", err)
	}
	// A cut above the resolvable range makes the tiny eigenvalues
	// irrelevant: the route is taken and agrees with the exact path.
	want := make([]float64, n)
	kx, err := ex.apply(want, append([]float64(nil), a...), m, n, g, 1e-3, 0.5)
	if err != nil {
		t.Fatal(err)
	}
	got, kg, err := gramDelta(&gs, a, m, n, g, 1e-3, 0.5)
	if err != nil || kg != kx || relDiff(got, want) > 1e-10 {
		t.Errorf("τ = 1e-3: kept %d (exact %d), error %v, relative difference %.3g", kg, kx, err, relDiff(got, want))
	}
}

func dot64(x, y []float64) float64 {
	y = y[:len(x)]
	var s0, s1 float64
	i := 0
	for ; i+2 <= len(x); i += 2 {
		s0 += x[i] * y[i]
		s1 += x[i+1] * y[i+1]
	}
	if i < len(x) {
		s0 += x[i] * y[i]
	}
	return s0 + s1
}

func axpy64(y []float64, a float64, x []float64) {
	x = x[:len(y)]
	for i := range y {
		y[i] += a * x[i]
	}
}
