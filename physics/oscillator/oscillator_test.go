package oscillator

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/physgrad/physgrad/sim"
)

func maxDiff(a, b []float64) float64 {
	m := 0.0
	for i := range a {
		m = math.Max(m, math.Abs(a[i]-b[i]))
	}
	return m
}

func randVec(rng *rand.Rand, n int, lo, hi float64) []float64 {
	v := make([]float64, n)
	for i := range v {
		v[i] = lo + (hi-lo)*rng.Float64()
	}
	return v
}

// TestHarmonicStepMatrix: for one oscillator the RK4 step of ṡ = A s + b u
// is s' = R s + B u with R = Σ_{k≤4} (hA)^k/k!, B = Σ_{k=1..4} h^k A^{k−1} b/k!;
// with A² = −I these have the closed forms below.
func TestHarmonicStepMatrix(t *testing.T) {
	p := Params{Nx: 1, Nt: 1, Dt: 0.5, Coupling: 0.2}
	h := p.Dt
	c, s := 1-h*h/2+h*h*h*h/24, h-h*h*h/6
	want := []float64{c, s, h*h/2 - h*h*h*h/24, -s, c, s}
	jac := make([]float64, 6)
	if err := p.StepJacobian(jac, []float64{0.3, -0.7}, 0.9); err != nil {
		t.Fatal(err)
	}
	if d := maxDiff(jac, want); d > 1e-15 {
		t.Errorf("step Jacobian %v, want %v", jac, want)
	}
	next := make([]float64, 2)
	x, v, u := 0.3, -0.7, 0.9
	if err := p.Step(next, []float64{x, v}, u); err != nil {
		t.Fatal(err)
	}
	wantNext := []float64{c*x + s*v + want[2]*u, -s*x + c*v + s*u}
	if d := maxDiff(next, wantNext); d > 1e-15 {
		t.Errorf("step %v, want %v", next, wantNext)
	}
}

// TestLinearModes: with u = 0, two linearly coupled oscillators move in the
// normal modes (x0+x1)/2 at ω = 1 and (x0−x1)/2 at ω = √(1+2c); RK4 with a
// small step must follow the exact solution.
func TestLinearModes(t *testing.T) {
	const c = 0.2
	p := Params{Nx: 2, Nt: 100, Dt: 0.01, Coupling: c}
	s0 := []float64{0.8, 0.1, -0.3, 0.5}
	final := make([]float64, 4)
	if err := p.Run(final, nil, s0, make([]float64, p.Nt)); err != nil {
		t.Fatal(err)
	}
	mode := func(a, b, w, tt float64) (float64, float64) { // x(0)=a, v(0)=b
		return a*math.Cos(w*tt) + b/w*math.Sin(w*tt), -a*w*math.Sin(w*tt) + b*math.Cos(w*tt)
	}
	tt := float64(p.Nt) * p.Dt
	sx, sv := mode((s0[0]+s0[1])/2, (s0[2]+s0[3])/2, 1, tt)
	ax, av := mode((s0[0]-s0[1])/2, (s0[2]-s0[3])/2, math.Sqrt(1+2*c), tt)
	want := []float64{sx + ax, sx - ax, sv + av, sv - av}
	if d := maxDiff(final, want); d > 1e-9 {
		t.Errorf("final %v, exact %v (diff %g)", final, want, d)
	}
}

// TestDerivIsMinusGradient: the accelerations equal −∂E/∂x of the documented
// energy (FD), plus u on the last oscillator, for mixed linear and quartic
// bonds on three oscillators.
func TestDerivIsMinusGradient(t *testing.T) {
	p := Params{Nx: 3, Nt: 1, Dt: 0.1, Coupling: 0.3, Quartic: 0.7}
	s := []float64{0.4, -0.5, 0.9, 0.2, 0.1, -0.3}
	const u = 1.3
	ds := make([]float64, 6)
	if err := p.Deriv(ds, s, u); err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		if ds[i] != s[3+i] {
			t.Errorf("dx_%d = %v, want v_%d = %v", i, ds[i], i, s[3+i])
		}
		h := 1e-5
		sp := append([]float64(nil), s...)
		sm := append([]float64(nil), s...)
		sp[i] += h
		sm[i] -= h
		want := -(p.Energy(sp) - p.Energy(sm)) / (2 * h)
		if i == 2 {
			want += u
		}
		if math.Abs(ds[3+i]-want) > 1e-8 {
			t.Errorf("dv_%d = %v, −∂E/∂x = %v", i, ds[3+i], want)
		}
	}
}

// TestQuarticEnergyConserved: with u = 0 and a small step the discrete flow
// keeps the energy of the quartic system.
func TestQuarticEnergyConserved(t *testing.T) {
	p := QuarticVariant(0.5)
	p.Dt, p.Nt = 0.005, 1000
	s0 := []float64{0.9, -0.4, 0.1, 0.6}
	final := make([]float64, 4)
	if err := p.Run(final, nil, s0, make([]float64, p.Nt)); err != nil {
		t.Fatal(err)
	}
	e0, e1 := p.Energy(s0), p.Energy(final)
	if math.Abs(e1-e0) > 1e-9*e0 {
		t.Errorf("energy %v → %v", e0, e1)
	}
	if maxDiff(final, s0) < 0.1 {
		t.Errorf("state barely moved: %v", final)
	}
}

var systems = map[string]Params{
	"linear":    Default(),
	"quartic":   QuarticVariant(0.5),
	"mixed-3x3": {Nx: 3, Nt: 7, Dt: 0.3, Coupling: 0.2, Quartic: 0.4},
}

func checkAgainstFD(t *testing.T, name string, s sim.Simulator, x []float64, tol float64) *mat.Dense {
	t.Helper()
	fd := mat.NewDense(s.OutputSize(), s.InputSize(), nil)
	if err := sim.FDJacobian(s, fd, x); err != nil {
		t.Fatal(err)
	}
	jac := mat.NewDense(s.OutputSize(), s.InputSize(), nil)
	if err := sim.Jac(s, jac, x); err != nil {
		t.Fatal(err)
	}
	var d mat.Dense
	d.Sub(jac, fd)
	if e, sc := mat.Norm(&d, math.Inf(1)), mat.Norm(fd, math.Inf(1)); e > tol*sc {
		t.Errorf("%s: analytic Jacobian differs from FD by %g (scale %g)", name, e, sc)
	}
	return jac
}

func TestStepJacobianFD(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for name, p := range systems {
		st, err := NewStepSim(p)
		if err != nil {
			t.Fatal(err)
		}
		for range 3 {
			checkAgainstFD(t, name, st, randVec(rng, st.InputSize(), -1, 1), 1e-8)
		}
	}
}

func TestRolloutJacobianAndVJPFD(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for name, p := range systems {
		r, err := NewRollout(p, randVec(rng, p.StateSize(), 0, 1))
		if err != nil {
			t.Fatal(err)
		}
		u := randVec(rng, p.Nt, -0.5, 0.5)
		jac := checkAgainstFD(t, name, r, u, 1e-7)
		dy := randVec(rng, p.StateSize(), -1, 1)
		du := make([]float64, p.Nt)
		if err := r.VJP(du, u, dy); err != nil {
			t.Fatal(err)
		}
		var want mat.VecDense
		want.MulVec(jac.T(), mat.NewVecDense(len(dy), dy))
		if d := maxDiff(du, want.RawVector().Data); d > 1e-12 {
			t.Errorf("%s: VJP differs from Jᵀdy by %g", name, d)
		}
	}
}

// TestChainMatchesRollout: the sim.Chain form computes the same rollout, and
// its dense product of step Jacobians equals the backward sweep.
func TestChainMatchesRollout(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for name, p := range systems {
		s0 := randVec(rng, p.StateSize(), 0, 1)
		r, _ := NewRollout(p, s0)
		c, err := NewChain(p, s0)
		if err != nil {
			t.Fatal(err)
		}
		if c.Len() != p.Nt+2 {
			t.Errorf("%s: chain of %d steps, want %d", name, c.Len(), p.Nt+2)
		}
		u := randVec(rng, p.Nt, -0.5, 0.5)
		yr, _ := sim.Eval(r, u)
		yc, err := sim.Eval(c, u)
		if err != nil {
			t.Fatal(err)
		}
		if maxDiff(yr, yc) != 0 {
			t.Errorf("%s: chain %v, rollout %v", name, yc, yr)
		}
		jr := mat.NewDense(p.StateSize(), p.Nt, nil)
		jc := mat.NewDense(p.StateSize(), p.Nt, nil)
		if err := r.Jacobian(jr, u); err != nil {
			t.Fatal(err)
		}
		if err := c.Jacobian(jc, u); err != nil {
			t.Fatal(err)
		}
		var d mat.Dense
		d.Sub(jr, jc)
		if e := mat.Norm(&d, math.Inf(1)); e > 1e-12*mat.Norm(jr, math.Inf(1)) {
			t.Errorf("%s: chain Jacobian differs by %g", name, e)
		}
	}
}

// TestControlStepInverse: the step's local inverse recovers the state it came
// from, starting Newton from a perturbed guess.
func TestControlStepInverse(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for name, p := range systems {
		cs := &ControlStep{p: p, k: p.Nt - 1}
		z := randVec(rng, cs.InputSize(), -1, 1)
		y, _ := sim.Eval(cs, z)
		z0 := append([]float64(nil), z...)
		for i := range p.StateSize() {
			z0[i] += 0.1 * (rng.Float64() - 0.5)
		}
		got := make([]float64, len(z))
		if err := cs.Inverse(got, y, z0); err != nil {
			t.Fatal(err)
		}
		if d := maxDiff(got, z); d > 1e-12 {
			t.Errorf("%s: inverse %v, want %v", name, got, z)
		}
	}
}
