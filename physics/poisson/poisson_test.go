package poisson

import (
	"errors"
	"math"
	"math/rand/v2"
	"runtime"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/physgrad/physgrad/physics/grid"
	"github.com/physgrad/physgrad/sim"
)

func norm(v []float64) float64 {
	var s float64
	for _, x := range v {
		s += x * x
	}
	return math.Sqrt(s)
}

func dot(a, b []float64) float64 {
	var s float64
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}

// residual returns ‖∇²y − x‖/‖x‖.
func residual(t *testing.T, y, x []float64, ny, nx int) float64 {
	t.Helper()
	l := make([]float64, len(y))
	if err := Laplace(l, y, ny, nx); err != nil {
		t.Fatal(err)
	}
	for i := range l {
		l[i] -= x[i]
	}
	return norm(l) / norm(x)
}

func sample(t *testing.T, seed uint64) []float64 {
	t.Helper()
	x := make([]float64, 4096)
	if err := FieldBatch(x, 1, 64, 64, seed); err != nil {
		t.Fatal(err)
	}
	return x
}

// TestExactSolverAgreesWithCG: the sine-transform solution satisfies the
// discrete equation to round-off, CG reaches 1e-5 in a number of iterations
// like the authors' (139–160 on their step-0 batch, float32), and the two
// solutions agree to the tolerance.
func TestExactSolverAgreesWithCG(t *testing.T) {
	ex, _ := NewSolver(64, 64, Settings{})
	cg, _ := NewSolver(64, 64, Settings{Method: CG})
	for seed := uint64(0); seed < 4; seed++ {
		x := sample(t, seed)
		ye, yc := make([]float64, 4096), make([]float64, 4096)
		if _, err := ex.Solve(ye, x); err != nil {
			t.Fatal(err)
		}
		st, err := cg.Solve(yc, x)
		if err != nil {
			t.Fatal(err)
		}
		re, rc := residual(t, ye, x, 64, 64), residual(t, yc, x, 64, 64)
		d := make([]float64, 4096)
		for i := range d {
			d[i] = yc[i] - ye[i]
		}
		rel := norm(d) / norm(ye)
		t.Logf("seed %d: exact residual %.2g; CG %d iterations, residual %.3g (reported %.3g); ‖y_cg−y_exact‖/‖y‖ %.2g", seed, re, st.Iterations, rc, st.Residual, rel)
		if re > 1e-12 {
			t.Errorf("exact residual %.3g", re)
		}
		if rc > 1e-5 || math.Abs(rc-st.Residual) > 1e-7 {
			t.Errorf("CG residual %.3g, reported %.3g", rc, st.Residual)
		}
		if st.Iterations < 100 || st.Iterations > 200 {
			t.Errorf("CG took %d iterations, authors' float32 CG 139–160", st.Iterations)
		}
		if rel > 1e-4 {
			t.Errorf("CG and exact solutions differ by %.3g", rel)
		}
	}
}

func TestCGReportsNonConvergence(t *testing.T) {
	cg, _ := NewSolver(64, 64, Settings{Method: CG, MaxIter: 5})
	x := sample(t, 9)
	st, err := cg.Solve(make([]float64, 4096), x)
	if !errors.Is(err, ErrNotConverged) || st.Iterations != 5 || st.Residual <= 1e-5 {
		t.Fatalf("err %v, stats %+v", err, st)
	}
	t.Log(err)
}

// TestDirichletEigenmode: sin(π(iy+1)p/(ny+1))·sin(π(ix+1)q/(nx+1)) is an
// eigenfunction of the zero-Dirichlet Laplacian with eigenvalue
// 2cos(πp/(ny+1)) + 2cos(πq/(nx+1)) − 4.
func TestDirichletEigenmode(t *testing.T) {
	ny, nx, p, q := 12, 9, 3, 5
	x := make([]float64, ny*nx)
	for iy := 0; iy < ny; iy++ {
		for ix := 0; ix < nx; ix++ {
			x[iy*nx+ix] = math.Sin(math.Pi*float64((iy+1)*p)/float64(ny+1)) * math.Sin(math.Pi*float64((ix+1)*q)/float64(nx+1))
		}
	}
	lam := 2*math.Cos(math.Pi*float64(p)/float64(ny+1)) + 2*math.Cos(math.Pi*float64(q)/float64(nx+1)) - 4
	for _, m := range []Method{Exact, CG} {
		s, _ := NewSolver(ny, nx, Settings{Method: m, Tol: 1e-12})
		y := make([]float64, len(x))
		if _, err := s.Solve(y, x); err != nil {
			t.Fatal(err)
		}
		for i := range x {
			if math.Abs(y[i]-x[i]/lam) > 1e-11 {
				t.Fatalf("%v cell %d: %v, want %v", m, i, y[i], x[i]/lam)
			}
		}
	}
}

// TestDotProduct: ⟨Pu, v⟩ = ⟨u, Pᵀv⟩ to 1e-10 with the exact solver (CG's
// adjoint agrees only to its tolerance, checked at 1e-4).
func TestDotProduct(t *testing.T) {
	rng := rand.New(rand.NewPCG(21, 22))
	for _, c := range []struct {
		m   Method
		tol float64
	}{{Exact, 1e-10}, {CG, 1e-4}} {
		p, _ := New(64, 64, Settings{Method: c.m})
		n := p.InputSize()
		for range 3 {
			u, v := make([]float64, n), make([]float64, n)
			for i := range u {
				u[i], v[i] = rng.NormFloat64(), rng.NormFloat64()
			}
			pu, ptv := make([]float64, n), make([]float64, n)
			if err := p.Forward(pu, u); err != nil {
				t.Fatal(err)
			}
			if err := p.VJP(ptv, u, v); err != nil {
				t.Fatal(err)
			}
			a, b := dot(pu, v), dot(u, ptv)
			if math.Abs(a-b) > c.tol*math.Abs(a) {
				t.Fatalf("%v: ⟨Pu,v⟩ = %.15g, ⟨u,Pᵀv⟩ = %.15g", c.m, a, b)
			}
		}
	}
}

func TestVJPMatchesFiniteDifferences(t *testing.T) {
	p, _ := New(6, 5, Settings{})
	n := p.InputSize()
	rng := rand.New(rand.NewPCG(23, 24))
	x, dy := make([]float64, n), make([]float64, n)
	for i := range x {
		x[i], dy[i] = rng.NormFloat64(), rng.NormFloat64()
	}
	jac := mat.NewDense(n, n, nil)
	if err := sim.FDJacobian(p, jac, x); err != nil {
		t.Fatal(err)
	}
	var want mat.VecDense
	want.MulVec(jac.T(), mat.NewVecDense(n, dy))
	got := make([]float64, n)
	if err := p.VJP(got, x, dy); err != nil {
		t.Fatal(err)
	}
	for i := range got {
		if math.Abs(got[i]-want.AtVec(i)) > 1e-8 {
			t.Fatalf("VJP[%d] = %v, finite differences %v", i, got[i], want.AtVec(i))
		}
	}
}

// TestPGRecoversInOneStep: from y* = CG-solve(x*), as the authors make
// their targets, one PG step x = ∇²y* recovers x* to the solver tolerance
// whatever the start.
func TestPGRecoversInOneStep(t *testing.T) {
	xs := sample(t, 31)
	cg, _ := New(64, 64, Settings{Method: CG})
	ys := make([]float64, 4096)
	if err := cg.Forward(ys, xs); err != nil {
		t.Fatal(err)
	}
	for _, m := range []Method{Exact, CG} {
		p, _ := New(64, 64, Settings{Method: m})
		for _, x0 := range [][]float64{append([]float64(nil), ys...), make([]float64, 4096)} {
			x := make([]float64, 4096)
			if err := p.Inverse(x, ys, x0); err != nil {
				t.Fatal(err)
			}
			d := make([]float64, 4096)
			for i := range d {
				d[i] = x[i] - xs[i]
			}
			if rel := norm(d) / norm(xs); rel > DefaultTol {
				t.Errorf("%v: one PG step leaves relative x error %.3g", m, rel)
			}
		}
	}
	// With an exact target the step is exact.
	ex, _ := New(64, 64, Settings{})
	_ = ex.Forward(ys, xs)
	x := make([]float64, 4096)
	_ = ex.Inverse(x, ys, nil)
	for i := range x {
		if math.Abs(x[i]-xs[i]) > 1e-10 {
			t.Fatalf("exact target: cell %d %v, want %v", i, x[i], xs[i])
		}
	}
}

// TestBatchBitwiseAnyGOMAXPROCS and equal to the single-field solves.
func TestBatchBitwiseAnyGOMAXPROCS(t *testing.T) {
	const n = 12
	x := make([]float64, n*4096)
	if err := FieldBatch(x, n, 64, 64, 3); err != nil {
		t.Fatal(err)
	}
	run := func(procs int, m Method) []float64 {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		b, _ := NewBatch(64, 64, Settings{Method: m}, 0)
		y := make([]float64, len(x))
		if _, err := b.Solve(y, x); err != nil {
			t.Fatal(err)
		}
		return y
	}
	for _, m := range []Method{Exact, CG} {
		y1, y2 := run(1, m), run(2, m)
		s, _ := NewSolver(64, 64, Settings{Method: m})
		y := make([]float64, 4096)
		for k := 0; k < n; k++ {
			_, _ = s.Solve(y, x[k*4096:(k+1)*4096])
			for i := range y {
				j := k*4096 + i
				if math.Float64bits(y1[j]) != math.Float64bits(y2[j]) || y[i] != y1[j] {
					t.Fatalf("%v: field %d cell %d differs", m, k, i)
				}
			}
		}
	}
}

// TestGeneratorStatistics against the authors' data
// (refs poisson_setup_check.json): per sample mean 0 and std 1, exactly
// the 13 modes n_x²+n_y² ≤ 4 zero, and a batch mean Σ|x| of 3287.7.
func TestGeneratorStatistics(t *testing.T) {
	const n = 128
	x := make([]float64, n*4096)
	if err := FieldBatch(x, n, 64, 64, 0); err != nil {
		t.Fatal(err)
	}
	zeroed := map[[2]int]bool{}
	for _, m := range [][2]int{{0, 0}, {0, 1}, {0, 2}, {0, 62}, {0, 63}, {1, 0}, {1, 1}, {1, 63}, {2, 0}, {62, 0}, {63, 0}, {63, 1}, {63, 63}} {
		zeroed[m] = true
	}
	fft, _ := grid.NewFFT2(64, 64)
	spec := make([]complex128, 4096)
	var l1 float64
	for k := 0; k < n; k++ {
		f := x[k*4096 : (k+1)*4096]
		var mean, ss float64
		for _, v := range f {
			mean += v
			l1 += math.Abs(v)
		}
		mean /= 4096
		for _, v := range f {
			ss += (v - mean) * (v - mean)
		}
		if std := math.Sqrt(ss / 4096); math.Abs(mean) > 1e-12 || math.Abs(std-1) > 1e-12 {
			t.Fatalf("sample %d: mean %.3g, std %.15g", k, mean, std)
		}
		if k < 4 {
			for i, v := range f {
				spec[i] = complex(v, 0)
			}
			_ = fft.Forward(spec)
			var amax float64
			for _, v := range spec {
				amax = math.Max(amax, math.Hypot(real(v), imag(v)))
			}
			for i, v := range spec {
				a := math.Hypot(real(v), imag(v))
				if zeroed[[2]int{i / 64, i % 64}] != (a < 1e-10*amax) {
					t.Fatalf("sample %d mode (%d,%d): amplitude %.3g of max %.3g", k, i/64, i%64, a, amax)
				}
			}
		}
	}
	l1 /= n
	t.Logf("mean Σ|x| per sample %.1f (authors 3287.7; Gaussian 4096·sqrt(2/π) = 3268.2)", l1)
	if math.Abs(l1-3287.7) > 0.03*3287.7 {
		t.Errorf("mean Σ|x| %.1f, want 3287.7 ± 3 %%", l1)
	}
}

func TestRejectsBadInput(t *testing.T) {
	p, _ := New(8, 8, Settings{})
	if err := p.Forward(make([]float64, 64), make([]float64, 60)); err == nil {
		t.Error("wrong length accepted")
	}
	if _, err := New(8, 8, Settings{Method: 7}); err == nil {
		t.Error("unknown method accepted")
	}
	if _, err := New(-1, 8, Settings{}); err == nil {
		t.Error("negative size accepted")
	}
	b, _ := NewBatch(8, 8, Settings{}, 0)
	if _, err := b.Solve(make([]float64, 64), make([]float64, 100)); err == nil {
		t.Error("ragged batch accepted")
	}
}
