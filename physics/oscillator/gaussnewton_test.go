package oscillator

import (
	"errors"
	"math"
	"math/rand/v2"
	"runtime"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/physgrad/physgrad/sim"
)

// TestGaussNewtonLinearExact: the linear system is affine in u, so one step
// reaches the target, and the update is the minimum-norm solution
// Jᵀ(JJᵀ)⁻¹r (computed here by a normal-equations solve).
func TestGaussNewtonLinearExact(t *testing.T) {
	p := Default()
	rng := rand.New(rand.NewPCG(9, 10))
	s0 := randVec(rng, 4, 0, 1)
	r, _ := NewRollout(p, s0)
	u0 := randVec(rng, p.Nt, -0.3, 0.3)
	target := s0 // R7: return to the initial state
	u := make([]float64, p.Nt)
	if err := r.Inverse(u, target, u0); err != nil {
		t.Fatal(err)
	}
	y, _ := sim.Eval(r, u)
	if d := maxDiff(y, target); d > 1e-10 {
		t.Errorf("P(GN step) misses target by %g", d)
	}
	jac := mat.NewDense(4, p.Nt, nil)
	if err := r.Jacobian(jac, u0); err != nil {
		t.Fatal(err)
	}
	y0, _ := sim.Eval(r, u0)
	res := mat.NewVecDense(4, nil)
	for i := range 4 {
		res.SetVec(i, target[i]-y0[i])
	}
	var jjt mat.Dense
	jjt.Mul(jac, jac.T())
	var lam, du mat.VecDense
	if err := lam.SolveVec(&jjt, res); err != nil {
		t.Fatal(err)
	}
	du.MulVec(jac.T(), &lam)
	for k := range u {
		if d := math.Abs(u[k] - u0[k] - du.AtVec(k)); d > 1e-9*mat.Norm(&du, math.Inf(1)) {
			t.Fatalf("Δu[%d] = %v, minimum-norm %v", k, u[k]-u0[k], du.AtVec(k))
		}
	}
}

// TestGaussNewtonQuarticConverges: repeated steps on a nonlinear system
// (linear plus a mild quartic bond; undamped GN from u = 0 diverges for
// strong quartic bonds) converge quadratically to the target.
func TestGaussNewtonQuarticConverges(t *testing.T) {
	p := Params{Nx: 2, Nt: 24, Dt: 0.5, Coupling: 0.2, Quartic: 0.05}
	s0 := []float64{0.7, 0.2, 0.4, 0.9}
	u := make([]float64, p.Nt)
	final := make([]float64, 4)
	var res []float64
	for range 6 {
		if err := p.GaussNewton(u, s0, u, s0, 0); err != nil {
			t.Fatal(err)
		}
		if err := p.Run(final, nil, s0, u); err != nil {
			t.Fatal(err)
		}
		res = append(res, maxDiff(final, s0))
	}
	if res[0] < 1e-6 {
		t.Errorf("first step already exact (%g): the system is not nonlinear", res[0])
	}
	if res[len(res)-1] > 1e-12 || res[4] > 10*res[3]*res[3] {
		t.Errorf("residuals %v do not converge quadratically", res)
	}
}

// TestPinvCut: on J = U·diag(1, 1e-7)·Vᵀ the small singular value is
// dropped (not clamped) at cut 1e-5 and kept at cut 1e-8.
func TestPinvCut(t *testing.T) {
	c, s := math.Cos(0.3), math.Sin(0.3)
	uu := [][]float64{{c, -s}, {s, c}}
	v := [][]float64{{1 / math.Sqrt(2), 1 / math.Sqrt(3)}, {1 / math.Sqrt(2), -1 / math.Sqrt(3)}, {0, 1 / math.Sqrt(3)}}
	sv := []float64{1, 1e-7}
	jac := make([]float64, 6)
	for i := range 2 {
		for k := range 3 {
			for l := range 2 {
				jac[i*3+k] += uu[i][l] * sv[l] * v[k][l]
			}
		}
	}
	r := []float64{0.4, -0.9}
	coef := func(l int) float64 { return (uu[0][l]*r[0] + uu[1][l]*r[1]) / sv[l] }
	var svd mat.SVD
	for _, tc := range []struct {
		cut  float64
		keep int
	}{{1e-5, 1}, {1e-8, 2}} {
		got := make([]float64, 3)
		if err := pinvApply(got, jac, 2, 3, r, tc.cut, &svd); err != nil {
			t.Fatal(err)
		}
		want := make([]float64, 3)
		for l := range tc.keep {
			for k := range 3 {
				want[k] += coef(l) * v[k][l]
			}
		}
		if d := maxDiff(got, want); d > 1e-8*math.Max(1, math.Abs(want[0])+math.Abs(want[2])) {
			t.Errorf("cut %g: pinv·r = %v, want %v", tc.cut, got, want)
		}
	}
	zero := []float64{1, 2, 3}
	if err := pinvApply(zero, make([]float64, 6), 2, 3, r, 1e-5, &svd); err != nil || maxDiff(zero, make([]float64, 3)) != 0 {
		t.Errorf("zero Jacobian: %v, %v", zero, err)
	}
}

func TestCutValidation(t *testing.T) {
	p := Default()
	s0, u := make([]float64, 4), make([]float64, p.Nt)
	for _, cut := range []float64{-1e-5, 1, 2, math.NaN()} {
		if err := p.GaussNewton(make([]float64, p.Nt), s0, u, s0, cut); err == nil {
			t.Errorf("cut %v accepted", cut)
		}
	}
}

// TestBatch: batch results equal the per-sample ones bitwise, for a batch
// size that does not split evenly, under GOMAXPROCS 1 and 2.
func TestBatch(t *testing.T) {
	p := QuarticVariant(0.3)
	const b = 37
	s0, err := InitialStates(p, b, 11)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(12, 13))
	u := randVec(rng, b*p.Nt, -0.5, 0.5)
	m, nt := p.StateSize(), p.Nt
	wantF, wantJ, wantU := make([]float64, b*m), make([]float64, b*m*nt), make([]float64, b*nt)
	for i := range b {
		if err := p.Run(wantF[i*m:(i+1)*m], wantJ[i*m*nt:(i+1)*m*nt], s0[i*m:(i+1)*m], u[i*nt:(i+1)*nt]); err != nil {
			t.Fatal(err)
		}
		if err := p.GaussNewton(wantU[i*nt:(i+1)*nt], s0[i*m:(i+1)*m], u[i*nt:(i+1)*nt], s0[i*m:(i+1)*m], 0); err != nil {
			t.Fatal(err)
		}
	}
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	for _, procs := range []int{1, 2} {
		runtime.GOMAXPROCS(procs)
		f, j, un := make([]float64, b*m), make([]float64, b*m*nt), make([]float64, b*nt)
		if err := p.RunBatch(f, j, s0, u, b); err != nil {
			t.Fatal(err)
		}
		if err := p.GaussNewtonBatch(un, s0, u, s0, b, 0); err != nil {
			t.Fatal(err)
		}
		if maxDiff(f, wantF) != 0 || maxDiff(j, wantJ) != 0 || maxDiff(un, wantU) != 0 {
			t.Errorf("GOMAXPROCS %d: batch differs from per-sample results", procs)
		}
	}
	if err := p.RunBatch(nil, nil, nil, nil, 0); err != nil {
		t.Errorf("empty batch: %v", err)
	}
}

func TestInitialStates(t *testing.T) {
	p := Default()
	a, err := InitialStates(p, 4096, 42)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := InitialStates(p, 4096, 42)
	c, _ := InitialStates(p, 4096, 43)
	if len(a) != 4096*4 || maxDiff(a, b) != 0 || maxDiff(a, c) == 0 {
		t.Fatal("InitialStates: wrong length or not seed-determined")
	}
	sum := 0.0
	for _, v := range a {
		if v < 0 || v >= 1 {
			t.Fatalf("value %v outside [0, 1)", v)
		}
		sum += v
	}
	// The mean of 16384 uniforms has standard deviation 0.0023.
	if mean := sum / float64(len(a)); math.Abs(mean-0.5) > 0.01 {
		t.Errorf("mean %v, want 0.5", mean)
	}
}

func TestBadInput(t *testing.T) {
	bad := []Params{{Nx: 0, Nt: 1, Dt: 1}, {Nx: 1, Nt: 0, Dt: 1}, {Nx: 1, Nt: 1, Dt: 0},
		{Nx: 1, Nt: 1, Dt: math.Inf(1)}, {Nx: 1, Nt: 1, Dt: 1, Coupling: math.NaN()}, {Nx: 1, Nt: 1, Dt: 1, Quartic: math.Inf(-1)}}
	for _, p := range bad {
		if p.Validate() == nil {
			t.Errorf("%+v accepted", p)
		}
		if _, err := NewRollout(p, make([]float64, max(0, 2*p.Nx))); err == nil {
			t.Errorf("NewRollout(%+v) accepted", p)
		}
	}
	p := Default()
	sizeErrs := map[string]error{
		"Run u":        p.Run(make([]float64, 4), nil, make([]float64, 4), make([]float64, 23)),
		"Run jac":      p.Run(make([]float64, 4), make([]float64, 95), make([]float64, 4), make([]float64, 24)),
		"Run s0":       p.Run(make([]float64, 4), nil, make([]float64, 3), make([]float64, 24)),
		"Batch final":  p.RunBatch(make([]float64, 7), nil, make([]float64, 8), make([]float64, 48), 2),
		"Batch s0":     p.RunBatch(make([]float64, 8), nil, make([]float64, 4), make([]float64, 48), 2),
		"GN target":    p.GaussNewtonBatch(make([]float64, 48), make([]float64, 8), make([]float64, 48), make([]float64, 4), 2, 0),
		"StepJacobian": p.StepJacobian(make([]float64, 16), make([]float64, 4), 0),
	}
	_, err := NewRollout(p, make([]float64, 5))
	sizeErrs["NewRollout"] = err
	r, _ := NewRollout(p, make([]float64, 4))
	sizeErrs["Rollout Jacobian"] = r.Jacobian(mat.NewDense(4, 23, nil), make([]float64, 24))
	sizeErrs["Rollout Inverse"] = r.Inverse(make([]float64, 24), make([]float64, 3), make([]float64, 24))
	for name, err := range sizeErrs {
		if !errors.Is(err, ErrSize) {
			t.Errorf("%s: err = %v, want ErrSize", name, err)
		}
	}
	if err := p.RunBatch(nil, nil, nil, nil, -1); err == nil {
		t.Error("negative batch accepted")
	}
}

func benchBatch(bm *testing.B, p Params, b int, gn bool) {
	s0, _ := InitialStates(p, b, 1)
	rng := rand.New(rand.NewPCG(2, 3))
	u := randVec(rng, b*p.Nt, -0.5, 0.5)
	f, j, un := make([]float64, b*4), make([]float64, b*4*p.Nt), make([]float64, b*p.Nt)
	bm.ResetTimer()
	for bm.Loop() {
		var err error
		if gn {
			err = p.GaussNewtonBatch(un, s0, u, s0, b, 0)
		} else {
			err = p.RunBatch(f, j, s0, u, b)
		}
		if err != nil {
			bm.Fatal(err)
		}
	}
}

// BenchmarkJacobianBatch32 is the per-sample Jacobian work of one HIG step
// on R7 (target: well under 0.5 ms).
func BenchmarkJacobianBatch32(b *testing.B) { benchBatch(b, Default(), 32, false) }

// BenchmarkJacobianBatch32Quartic is the same for the quartic variant,
// whose step Jacobians vary along the run.
func BenchmarkJacobianBatch32Quartic(b *testing.B) { benchBatch(b, QuarticVariant(0.5), 32, false) }

// BenchmarkGaussNewtonBatch256 is the physics inverse of one SIP step on R7.
func BenchmarkGaussNewtonBatch256(b *testing.B) { benchBatch(b, Default(), 256, true) }
