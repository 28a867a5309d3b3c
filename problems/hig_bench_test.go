package problems

import (
	"math"
	"runtime"
	"testing"

	"github.com/physgrad/physgrad/physics/oscillator"
	"github.com/physgrad/physgrad/train"
)

// R7's HIG step with the published batch of 32: a 128 × 1,444 stacked
// Jacobian (network ∘ physics, per sample) and its half-inverse. Targets:
// ≤ 5 ms per step, ≤ 0.5 ms for the Jacobian alone.

func oscHIGTrainer(b *testing.B) *train.JacobianTrainer {
	task, err := NewOscillatorTask(oscillator.Default(), OscillatorStates)
	if err != nil {
		b.Fatal(err)
	}
	tr, err := train.NewJacobianTrainer(task, train.Settings{Method: "hig"})
	if err != nil {
		b.Fatal(err)
	}
	return tr
}

// BenchmarkOscillatorHIGStep times one full HIG step.
func BenchmarkOscillatorHIGStep(b *testing.B) {
	tr := oscHIGTrainer(b)
	step := 0
	for b.Loop() {
		if _, err := tr.Step(step); err != nil {
			b.Fatal(err)
		}
		step++
	}
}

// BenchmarkOscillatorHIGJacobian times the batch, forward passes and the
// stacked per-sample Jacobian of one step: the step without the SVD.
func BenchmarkOscillatorHIGJacobian(b *testing.B) {
	tr := oscHIGTrainer(b)
	step := 0
	for b.Loop() {
		if _, _, _, err := tr.Jacobian(step); err != nil {
			b.Fatal(err)
		}
		step++
	}
}

// BenchmarkOscillatorStackedJacobian times the per-sample Jacobians alone:
// the physics Jacobians and the 128 network rows they weight.
func BenchmarkOscillatorStackedJacobian(b *testing.B) {
	tr := oscHIGTrainer(b)
	if _, _, _, err := tr.Jacobian(0); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := tr.StackedJacobian(); err != nil {
			b.Fatal(err)
		}
	}
}

// TestOscillatorHIGDeterministic: the same HIG steps give bitwise the same
// weights with GOMAXPROCS 1 and 2 (the LQ's matrix products run in
// parallel inside gonum).
func TestOscillatorHIGDeterministic(t *testing.T) {
	task, err := NewOscillatorTask(oscillator.Default(), OscillatorStates)
	if err != nil {
		t.Fatal(err)
	}
	var params [2][]float64
	for i, procs := range []int{1, 2} {
		old := runtime.GOMAXPROCS(procs)
		r := train.Run(task, train.Settings{Method: "hig", Steps: 5})
		runtime.GOMAXPROCS(old)
		if r.Err != nil {
			t.Fatal(r.Err)
		}
		params[i] = r.Net64.Params()
	}
	for j := range params[0] {
		if params[0][j] != params[1][j] {
			t.Fatalf("weight %d: %v with GOMAXPROCS=1, %v with 2", j, params[0][j], params[1][j])
		}
	}
}

// oscPair is a HIG or GN trainer on R7 and a second one that always takes
// the exact LQ/SVD path.
func oscPair(t *testing.T, task train.JacobianTask, method string) (gram, exact *train.JacobianTrainer) {
	t.Helper()
	var err error
	if gram, err = train.NewJacobianTrainer(task, train.Settings{Method: method}); err != nil {
		t.Fatal(err)
	}
	if exact, err = train.NewJacobianTrainer(task, train.Settings{Method: method}); err != nil {
		t.Fatal(err)
	}
	exact.ExactOnly = true
	return gram, exact
}

// stepBoth takes step from the Gram trainer's weights with both trainers
// and returns the relative difference of the two updates.
func stepBoth(t *testing.T, gram, exact *train.JacobianTrainer, step int) float64 {
	t.Helper()
	p0 := append([]float64(nil), gram.Net.Params()...)
	copy(exact.Net.Params(), p0)
	if _, err := gram.Step(step); err != nil {
		t.Fatal(err)
	}
	if _, err := exact.Step(step); err != nil {
		t.Fatal(err)
	}
	var num, den float64
	for j, v := range p0 {
		dg, de := v-gram.Net.Params()[j], v-exact.Net.Params()[j]
		num += (dg - de) * (dg - de)
		den += de * de
	}
	return math.Sqrt(num / den)
}

// TestOscillatorGramRouteMatchesExact: on R7 the Gram route's HIG and GN
// updates equal the exact path's to 1e-5 relative along the first steps
// (both from the same weights), and every step takes the Gram route.
func TestOscillatorGramRouteMatchesExact(t *testing.T) {
	task, err := NewOscillatorTask(oscillator.Default(), OscillatorStates)
	if err != nil {
		t.Fatal(err)
	}
	for _, method := range []string{"hig", "gn"} {
		gram, exact := oscPair(t, task, method)
		const steps = 6
		for step := 0; step < steps; step++ {
			d := stepBoth(t, gram, exact, step)
			sv := gram.SingularValues()
			if d > 1e-5 {
				t.Errorf("%s step %d: Gram and exact updates differ by %.3g relative", method, step, d)
			}
			if gram.LastPath != "gram" || exact.LastPath != "exact" || gram.Kept != exact.Kept {
				t.Errorf("%s step %d: paths %s/%s, kept %d/%d", method, step, gram.LastPath, exact.LastPath, gram.Kept, exact.Kept)
			}
			t.Logf("%s step %d: relative difference %.2g, σmin/σmax %.2g", method, step, d, sv[len(sv)-1]/sv[0])
		}
		if gram.GramSteps != steps || gram.ExactSteps != 0 || exact.ExactSteps != steps {
			t.Errorf("%s: %d Gram and %d exact steps, exact-only trainer %d", method, gram.GramSteps, gram.ExactSteps, exact.ExactSteps)
		}
	}
}

// nearlyDependent is R7 with each sample's second physics-Jacobian row
// replaced by the first plus 1e-7 of itself: J's smallest singular values
// drop to ≈ 1e-7 of R7's, about 1e-12 of σmax, and partly below HIG's cut
// τ = 1e-10; the Gram matrix's smallest eigenvalues (σ²) are rounding
// noise.
type nearlyDependent struct{ *OscillatorTask }

func (t nearlyDependent) PhysicsJacobian(jac, x, yTarget []float64, batch int) error {
	if err := t.OscillatorTask.PhysicsJacobian(jac, x, yTarget, batch); err != nil {
		return err
	}
	ys, os := t.YSize(), t.P.Nt
	for s := 0; s < batch; s++ {
		r0 := jac[s*ys*os : s*ys*os+os]
		r1 := jac[s*ys*os+os : s*ys*os+2*os]
		for j := range r1 {
			r1[j] = r0[j] + 1e-7*r1[j]
		}
	}
	return nil
}

// TestOscillatorIllConditionedTakesExactPath: such a step falls back to
// the exact path, and its update is the exact one bit for bit.
func TestOscillatorIllConditionedTakesExactPath(t *testing.T) {
	osc, err := NewOscillatorTask(oscillator.Default(), OscillatorStates)
	if err != nil {
		t.Fatal(err)
	}
	task := nearlyDependent{osc}
	gram, exact := oscPair(t, task, "hig")
	if d := stepBoth(t, gram, exact, 0); d != 0 {
		t.Errorf("fallback update differs from the exact path's by %.3g", d)
	}
	sv := gram.SingularValues()
	if gram.LastPath != "exact" || gram.GramSteps != 0 || gram.ExactSteps != 1 {
		t.Errorf("path %s, %d Gram and %d exact steps", gram.LastPath, gram.GramSteps, gram.ExactSteps)
	}
	if r := sv[len(sv)-1] / sv[0]; !(r < 1e-7) || gram.Kept == 128 {
		t.Errorf("σmin/σmax = %.3g with %d kept, want unresolvable by the Gram matrix", r, gram.Kept)
	}
	t.Logf("σmin/σmax = %.2g, kept %d", sv[len(sv)-1]/sv[0], gram.Kept)
}

// TestOscillatorHIGPathsLong counts the paths of a 3,000-step R7 HIG run
// and the spread of σmin/σmax (PHYSGRAD_LONG=1; ≈ 10 s).
func TestOscillatorHIGPathsLong(t *testing.T) {
	longRun(t)
	task, err := NewOscillatorTask(oscillator.Default(), OscillatorStates)
	if err != nil {
		t.Fatal(err)
	}
	tr, err := train.NewJacobianTrainer(task, train.Settings{Method: "hig"})
	if err != nil {
		t.Fatal(err)
	}
	const steps = 3000
	lo, hi := math.Inf(1), 0.0
	low := 0 // steps with σmin/σmax below √gramResolvable
	for step := 0; step < steps; step++ {
		if _, err := tr.Step(step); err != nil {
			t.Fatal(err)
		}
		sv := tr.SingularValues()
		r := sv[len(sv)-1] / sv[0]
		lo, hi = min(lo, r), max(hi, r)
		if r < math.Sqrt(5e-12) {
			low++
		}
	}
	t.Logf("%d Gram-route and %d exact steps; σmin/σmax in [%.2g, %.2g]", tr.GramSteps, tr.ExactSteps, lo, hi)
	// Exactly the steps whose σmin/σmax is below √gramResolvable fall
	// back (one may differ by the Gram matrix's rounding at the edge).
	if d := tr.ExactSteps - low; d < -1 || d > 1 || tr.GramSteps+tr.ExactSteps != steps {
		t.Errorf("%d exact steps, %d with σmin/σmax < √5e-12", tr.ExactSteps, low)
	}
}
