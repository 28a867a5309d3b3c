package train

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// naivePinvPow is the reference: the thin SVD from mat.SVD and
// V Σ^{-p} Uᵀ g summed explicitly.
func naivePinvPow(a []float64, m, n int, g []float64, tau, p float64) ([]float64, []float64) {
	var svd mat.SVD
	if !svd.Factorize(mat.NewDense(m, n, a), mat.SVDThin) {
		panic("svd")
	}
	sv := svd.Values(nil)
	var u, v mat.Dense
	svd.UTo(&u)
	svd.VTo(&v)
	out := make([]float64, n)
	for i, s := range sv {
		if s <= 0 || s < tau*sv[0] {
			continue
		}
		c := 0.0
		for r := 0; r < m; r++ {
			c += u.At(r, i) * g[r]
		}
		c /= math.Pow(s, p)
		for j := 0; j < n; j++ {
			out[j] += c * v.At(j, i)
		}
	}
	return out, sv
}

// testMatrix is a random m×n matrix of rank r with singular values spread
// over `decades` orders of magnitude.
func testMatrix(rng *rand.Rand, m, n, r int, decades float64) []float64 {
	k := min(m, n)
	var qa, qb mat.QR
	ra := mat.NewDense(m, k, nil)
	rb := mat.NewDense(n, k, nil)
	for i := 0; i < m; i++ {
		for j := 0; j < k; j++ {
			ra.Set(i, j, rng.NormFloat64())
		}
	}
	for i := 0; i < n; i++ {
		for j := 0; j < k; j++ {
			rb.Set(i, j, rng.NormFloat64())
		}
	}
	qa.Factorize(ra)
	qb.Factorize(rb)
	var ua, vb mat.Dense
	qa.QTo(&ua)
	qb.QTo(&vb)
	a := mat.NewDense(m, n, nil)
	for i := 0; i < r; i++ {
		s := math.Pow(10, -decades*float64(i)/float64(max(r-1, 1)))
		for x := 0; x < m; x++ {
			for y := 0; y < n; y++ {
				a.Set(x, y, a.At(x, y)+s*ua.At(x, i)*vb.At(y, i))
			}
		}
	}
	return a.RawMatrix().Data
}

func TestPinvSolverMatchesSVD(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	var s pinvSolver
	cases := []struct {
		m, n, r int
		decades float64
		tau     float64
	}{
		{8, 30, 8, 3, 1e-10},   // wide, full rank
		{60, 30, 30, 4, 1e-10}, // tall, full rank
		{60, 30, 20, 2, 1e-10}, // tall, rank deficient: exact zeros are dropped
		{12, 40, 9, 2, 1e-10},  // wide, rank deficient
		{20, 20, 20, 6, 1e-3},  // square; τ cuts the lower half of the spectrum
		{1, 5, 1, 0, 1e-10},
		{5, 1, 1, 0, 1e-10},
	}
	for _, c := range cases {
		a := testMatrix(rng, c.m, c.n, c.r, c.decades)
		g := make([]float64, c.m)
		for i := range g {
			g[i] = rng.NormFloat64()
		}
		for _, p := range []float64{0.5, 1} {
			want, sv := naivePinvPow(a, c.m, c.n, g, c.tau, p)
			got := make([]float64, c.n)
			work := append([]float64(nil), a...)
			kept, err := s.apply(got, work, c.m, c.n, g, c.tau, p)
			if err != nil {
				t.Fatal(err)
			}
			wantKept := 0
			for _, v := range sv {
				if v > 0 && v >= c.tau*sv[0] {
					wantKept++
				}
			}
			if kept != wantKept {
				t.Errorf("%dx%d rank %d p=%g: kept %d singular values, mat.SVD keeps %d", c.m, c.n, c.r, p, kept, wantKept)
			}
			scale := 0.0
			for _, v := range want {
				scale = max(scale, math.Abs(v))
			}
			for j := range want {
				if d := math.Abs(got[j] - want[j]); d > 1e-9*scale {
					t.Fatalf("%dx%d rank %d p=%g: [%d] = %.15g, mat.SVD %.15g", c.m, c.n, c.r, p, j, got[j], want[j])
				}
			}
			for i, v := range s.sv {
				if math.Abs(v-sv[i]) > 1e-12*sv[0] {
					t.Errorf("σ[%d] = %g, mat.SVD %g", i, v, sv[i])
				}
			}
		}
	}
}

// TestPinvSolverAnalytic checks a case with a closed form: for a diagonal
// matrix A = diag(σ) padded with zero columns, A^{-p}g = g_i / σ_i^p.
func TestPinvSolverAnalytic(t *testing.T) {
	sig := []float64{4, 1, 1e-4, 1e-12}
	m, n := 4, 7
	a := make([]float64, m*n)
	for i, s := range sig {
		a[i*n+i] = s
	}
	g := []float64{1, 2, 3, 4}
	var s pinvSolver
	got := make([]float64, n)
	if _, err := s.apply(got, append([]float64(nil), a...), m, n, g, 1e-10, 0.5); err != nil {
		t.Fatal(err)
	}
	want := []float64{1 / 2.0, 2, 3 / 1e-2, 0, 0, 0, 0} // σ = 1e-12 < 1e-10·4 is dropped, not clamped
	for i := range want {
		if math.Abs(got[i]-want[i]) > 1e-12*math.Abs(want[i])+1e-15 {
			t.Errorf("[%d] = %g, want %g", i, got[i], want[i])
		}
	}
}

func TestPinvSolverBadInput(t *testing.T) {
	var s pinvSolver
	if _, err := s.apply(make([]float64, 2), make([]float64, 4), 2, 2, make([]float64, 2), 1, 0.5); err == nil {
		t.Error("τ = 1 accepted")
	}
	if _, err := s.apply(make([]float64, 2), make([]float64, 3), 2, 2, make([]float64, 2), 0.1, 0.5); err == nil {
		t.Error("wrong matrix size accepted")
	}
}
