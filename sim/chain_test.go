package sim

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// affine is y = A x + b with an analytic Jacobian and inverse.
type affine struct {
	a *mat.Dense
	b []float64
}

func newAffine(n int, a, b []float64) *affine { return &affine{mat.NewDense(n, n, a), b} }

func (s *affine) InputSize() int  { return len(s.b) }
func (s *affine) OutputSize() int { return len(s.b) }
func (s *affine) Forward(y, x []float64) error {
	if err := CheckSizes(s, y, x); err != nil {
		return err
	}
	var v mat.VecDense
	v.MulVec(s.a, mat.NewVecDense(len(x), x))
	for i := range y {
		y[i] = v.AtVec(i) + s.b[i]
	}
	return nil
}
func (s *affine) Jacobian(jac *mat.Dense, x []float64) error { jac.Copy(s.a); return nil }
func (s *affine) Inverse(x, y, x0 []float64) error {
	r := make([]float64, len(y))
	for i := range y {
		r[i] = y[i] - s.b[i]
	}
	var v mat.VecDense
	if err := v.SolveVec(s.a, mat.NewVecDense(len(r), r)); err != nil {
		return err
	}
	copy(x, v.RawVector().Data)
	return nil
}

// elementwise applies f to each of n values; df is f', inv (optional)
// the local inverse of one value given the reference input.
type elementwise struct {
	n   int
	f   func(float64) float64
	df  func(float64) float64
	inv func(y, x0 float64) float64
}

func (s *elementwise) InputSize() int  { return s.n }
func (s *elementwise) OutputSize() int { return s.n }
func (s *elementwise) Forward(y, x []float64) error {
	if err := CheckSizes(s, y, x); err != nil {
		return err
	}
	for i, xi := range x {
		y[i] = s.f(xi)
	}
	return nil
}

// withVJP adds an analytic adjoint; withInverse adds the local inverse.
type withVJP struct{ *elementwise }

func (s withVJP) VJP(dx, x, dy []float64) error {
	for i := range x {
		dx[i] = s.df(x[i]) * dy[i]
	}
	return nil
}

type withInverse struct{ withVJP }

func (s withInverse) Inverse(x, y, x0 []float64) error {
	for i := range y {
		x[i] = s.inv(y[i], x0[i])
	}
	return nil
}

// cubicInv solves x³ + x = y by Cardano's formula (one real root since the
// map is strictly increasing) and one Newton polish.
func cubicInv(y, _ float64) float64 {
	d := math.Sqrt(y*y/4 + 1.0/27)
	x := math.Cbrt(y/2+d) + math.Cbrt(y/2-d)
	return x - (x*x*x+x-y)/(3*x*x+1)
}

func cubic(n int) *elementwise {
	return &elementwise{n: n,
		f:   func(x float64) float64 { return x*x*x + x },
		df:  func(x float64) float64 { return 3*x*x + 1 },
		inv: cubicInv}
}

func expStep(n int) *elementwise {
	return &elementwise{n: n, f: math.Exp, df: math.Exp,
		inv: func(y, _ float64) float64 { return math.Log(y) }}
}

// square is not injective: its local inverse keeps the sign of x0.
func square(n int) *elementwise {
	return &elementwise{n: n,
		f:  func(x float64) float64 { return x * x },
		df: func(x float64) float64 { return 2 * x },
		inv: func(y, x0 float64) float64 {
			return math.Copysign(math.Sqrt(y), x0)
		}}
}

var (
	aMat = []float64{0.9, 0.2, -0.1, 0.1, 1.1, 0.3, -0.2, 0.1, 0.8}
	bVec = []float64{0.1, -0.2, 0.05}
)

// threeSteps is affine → x³+x → exp, all with analytic inverses.
func threeSteps(t *testing.T) (*Chain, *affine) {
	t.Helper()
	af := newAffine(3, aMat, bVec)
	c, err := NewChain(af, withInverse{withVJP{cubic(3)}}, withInverse{withVJP{expStep(3)}})
	if err != nil {
		t.Fatal(err)
	}
	return c, af
}

// composedInverse inverts exp(cubic(A x + b)) in closed form.
func composedInverse(af *affine, y []float64) []float64 {
	z := make([]float64, len(y))
	for i := range y {
		z[i] = cubicInv(math.Log(y[i]), 0)
	}
	x := make([]float64, len(y))
	if err := af.Inverse(x, z, nil); err != nil {
		panic(err)
	}
	return x
}

func maxDiff(a, b []float64) float64 {
	m := 0.0
	for i := range a {
		m = math.Max(m, math.Abs(a[i]-b[i]))
	}
	return m
}

func TestChainForwardAndTrace(t *testing.T) {
	c, af := threeSteps(t)
	x := []float64{0.3, -0.2, 0.5}
	states, err := c.Trace(x)
	if err != nil {
		t.Fatal(err)
	}
	if len(states) != 4 {
		t.Fatalf("%d states, want 4", len(states))
	}
	z, _ := Eval(af, x)
	for i := range z {
		want := math.Exp(z[i]*z[i]*z[i] + z[i])
		if math.Abs(states[3][i]-want) > 1e-14*want {
			t.Errorf("P(x)[%d] = %v, want %v", i, states[3][i], want)
		}
		if states[1][i] != z[i] {
			t.Errorf("states[1][%d] = %v, want affine output %v", i, states[1][i], z[i])
		}
	}
	y, err := Eval(c, x)
	if err != nil {
		t.Fatal(err)
	}
	if maxDiff(y, states[3]) != 0 {
		t.Errorf("Forward %v differs from Trace %v", y, states[3])
	}
}

// TestChainInverseMatchesComposed: a PG step through the chain (local
// inverse of a moved target) equals the closed-form inverse of the composed
// map.
func TestChainInverseMatchesComposed(t *testing.T) {
	c, af := threeSteps(t)
	x0 := []float64{0.3, -0.2, 0.5}
	y0, _ := Eval(c, x0)
	for _, eta := range []float64{0.1, 0.5, 1} {
		target := make([]float64, 3)
		for i := range y0 {
			target[i] = y0[i] + eta*(1-y0[i]) // step towards y = 1
		}
		x := make([]float64, 3)
		if err := c.Inverse(x, target, x0); err != nil {
			t.Fatal(err)
		}
		want := composedInverse(af, target)
		if d := maxDiff(x, want); d > 1e-9 {
			t.Errorf("eta %v: chain inverse %v, composed %v (diff %g)", eta, x, want, d)
		}
		back, _ := Eval(c, x)
		if d := maxDiff(back, target); d > 1e-9 {
			t.Errorf("eta %v: P(inverse) misses target by %g", eta, d)
		}
	}
}

// TestChainInverseUsesRecordedStates: the square step's branch must come
// from its own recorded input (the affine output), not from the chain's x0,
// which has the opposite signs here.
func TestChainInverseUsesRecordedStates(t *testing.T) {
	af := newAffine(3, []float64{-1, 0, 0, 0, -1, 0, 0, 0, 1}, []float64{0, 0, 0.5})
	c, err := NewChain(af, withInverse{withVJP{square(3)}})
	if err != nil {
		t.Fatal(err)
	}
	x0 := []float64{0.4, 0.7, -0.2} // affine gives (-0.4, -0.7, 0.3)
	y := []float64{0.25, 0.36, 0.01}
	x := make([]float64, 3)
	if err := c.Inverse(x, y, x0); err != nil {
		t.Fatal(err)
	}
	want := []float64{0.5, 0.6, -0.4} // z = (-0.5, -0.6, 0.1), x = A⁻¹(z - b)
	if d := maxDiff(x, want); d > 1e-12 {
		t.Errorf("inverse %v, want %v", x, want)
	}
}

func TestChainAdjointAndJacobianMatchFD(t *testing.T) {
	c, _ := threeSteps(t)
	// A forward-only step exercises the FD fallback inside the chain, and a
	// nested chain checks that a Chain is an ordinary step.
	sine := &elementwise{n: 3, f: math.Sin}
	inner, err := NewChain(c, sine)
	if err != nil {
		t.Fatal(err)
	}
	outer, err := NewChain(newAffine(3, aMat, bVec), inner)
	if err != nil {
		t.Fatal(err)
	}
	x := []float64{0.1, -0.3, 0.2}
	dy := []float64{0.7, -1.2, 0.4}
	for name, ch := range map[string]*Chain{"three": c, "nested": outer} {
		fd := mat.NewDense(3, 3, nil)
		if err := FDJacobian(ch, fd, x); err != nil {
			t.Fatal(err)
		}
		jac := mat.NewDense(3, 3, nil)
		if err := ch.Jacobian(jac, x); err != nil {
			t.Fatal(err)
		}
		scale := mat.Norm(fd, math.Inf(1))
		if d := maxAbsDiff(jac, fd); d > 1e-6*scale {
			t.Errorf("%s: Jacobian differs from FD by %g (scale %g)", name, d, scale)
		}
		dx := make([]float64, 3)
		if err := ch.VJP(dx, x, dy); err != nil {
			t.Fatal(err)
		}
		var want mat.VecDense
		want.MulVec(fd.T(), mat.NewVecDense(3, dy))
		if d := maxDiff(dx, want.RawVector().Data); d > 1e-6*scale {
			t.Errorf("%s: VJP %v, FD %v", name, dx, want.RawVector().Data)
		}
	}
}

func maxAbsDiff(a, b *mat.Dense) float64 {
	var d mat.Dense
	d.Sub(a, b)
	return mat.Norm(&d, math.Inf(1))
}

// newtonFallback is a numerical local inverse for a square step: Newton's
// method from x0 with the step's Jacobian (FD if it has none).
type newtonFallback struct {
	s     Simulator
	calls *int
}

func (n newtonFallback) Inverse(x, y, x0 []float64) error {
	*n.calls++
	copy(x, x0)
	m := len(x)
	r := make([]float64, m)
	jac := mat.NewDense(m, m, nil)
	for it := 0; it < 100; it++ {
		if err := n.s.Forward(r, x); err != nil {
			return err
		}
		for i := range r {
			r[i] = y[i] - r[i]
		}
		if maxDiff(r, make([]float64, m)) < 1e-14 {
			return nil
		}
		if err := Jac(n.s, jac, x); err != nil {
			return err
		}
		var d mat.VecDense
		if err := d.SolveVec(jac, mat.NewVecDense(m, r)); err != nil {
			return err
		}
		for i := range x {
			x[i] += d.AtVec(i)
		}
	}
	return fmt.Errorf("newton: no convergence, residual %g", maxDiff(r, make([]float64, m)))
}

func TestChainFallbackInverse(t *testing.T) {
	af := newAffine(3, aMat, bVec)
	c, err := NewChain(af, withVJP{cubic(3)}, withInverse{withVJP{expStep(3)}})
	if err != nil {
		t.Fatal(err)
	}
	x0 := []float64{0.3, -0.2, 0.5}
	y := []float64{1.5, 0.8, 2.0}
	x := make([]float64, 3)
	err = c.Inverse(x, y, x0)
	if !errors.Is(err, ErrNoInverse) || !strings.Contains(err.Error(), "step 1") {
		t.Fatalf("no fallback: err = %v, want ErrNoInverse naming step 1", err)
	}
	calls := 0
	c.Fallback = func(s Simulator) Inverse { return newtonFallback{s, &calls} }
	if err := c.Inverse(x, y, x0); err != nil {
		t.Fatal(err)
	}
	if calls != 1 {
		t.Errorf("fallback used %d times, want 1 (only the cubic step lacks an inverse)", calls)
	}
	if d := maxDiff(x, composedInverse(af, y)); d > 1e-9 {
		t.Errorf("fallback inverse %v differs from closed form by %g", x, d)
	}
	c.Fallback = func(Simulator) Inverse { return nil }
	if err := c.Inverse(x, y, x0); !errors.Is(err, ErrNoInverse) {
		t.Errorf("fallback returning nil: err = %v, want ErrNoInverse", err)
	}
}

func TestChainSizeErrors(t *testing.T) {
	if _, err := NewChain(); err == nil {
		t.Error("empty chain accepted")
	}
	if _, err := NewChain(newAffine(3, aMat, bVec), nil); err == nil {
		t.Error("nil step accepted")
	}
	two := newAffine(2, []float64{1, 0, 0, 1}, []float64{0, 0})
	if _, err := NewChain(newAffine(3, aMat, bVec), two); !errors.Is(err, ErrSize) {
		t.Errorf("3→3 then 2→2: err = %v, want ErrSize", err)
	}
	c, _ := threeSteps(t)
	short, long := make([]float64, 2), make([]float64, 4)
	ok := make([]float64, 3)
	checks := map[string]error{
		"Forward x":    c.Forward(ok, short),
		"Forward y":    c.Forward(long, ok),
		"VJP":          c.VJP(ok, ok, short),
		"Jacobian":     c.Jacobian(mat.NewDense(3, 2, nil), ok),
		"Inverse y":    c.Inverse(ok, short, ok),
		"Inverse x0":   c.Inverse(ok, ok, long),
		"Trace length": func() error { _, err := c.Trace(long); return err }(),
	}
	for name, err := range checks {
		if !errors.Is(err, ErrSize) {
			t.Errorf("%s: err = %v, want ErrSize", name, err)
		}
	}
}

// failing is a step whose Forward fails, to check error propagation.
type failing struct{ elementwise }

func (failing) Forward(y, x []float64) error { return errors.New("boom") }

func TestChainStepErrorNamesStep(t *testing.T) {
	c, err := NewChain(newAffine(3, aMat, bVec), &failing{elementwise{n: 3}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = Eval(c, []float64{1, 2, 3})
	if err == nil || !strings.Contains(err.Error(), "step 1") || !strings.Contains(err.Error(), "boom") {
		t.Errorf("err = %v, want step 1's error", err)
	}
}

func TestChainConcurrentForward(t *testing.T) {
	c, _ := threeSteps(t)
	const n = 16
	want := make([][]float64, n)
	for i := range want {
		want[i], _ = Eval(c, []float64{0.01 * float64(i), -0.2, 0.3})
	}
	got := make([][]float64, n)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			got[i], _ = Eval(c, []float64{0.01 * float64(i), -0.2, 0.3})
		}(i)
	}
	wg.Wait()
	for i := range want {
		if maxDiff(got[i], want[i]) != 0 {
			t.Errorf("concurrent Forward %d differs", i)
		}
	}
}
