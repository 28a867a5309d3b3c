package inverse

import (
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/floats"

	"github.com/physgrad/physgrad/sim"
)

// CheckSettings configure Check. Zero fields take the defaults.
type CheckSettings struct {
	// Points is the number of random test points. Default 20.
	Points int
	// Seed seeds the point generator.
	Seed uint64
	// Sample draws a true x; default uniform in [-2, 2] per component.
	Sample func(r *rand.Rand, x []float64)
	// Perturb is the size of x0 − x_true relative to max(1, |x_true|).
	// Default 0.05.
	Perturb float64
	// Tol is the relative residual and agreement tolerance. Default 1e-8.
	Tol float64
	// Numeric configures the numerical inverse used for comparison.
	Numeric Settings
}

// CheckPoint is the outcome at one test point.
type CheckPoint struct {
	XTrue, X0, X []float64
	// Residual is |P(P⁻¹(y; x0)) − y| with y = P(x_true).
	Residual float64
	// Dist is |x − x0|; DistTrue is |x_true − x0|, the distance of a known
	// exact solution. A local inverse must not be farther than that.
	Dist, DistTrue float64
	// Disagreement is |x − x_numeric| (NaN if the numerical inverse failed
	// or the simulator has no inverse of its own).
	Disagreement float64
	// Problem is empty when the point passed, else says what failed.
	Problem string
}

// CheckReport summarises Check.
type CheckReport struct {
	Analytic bool // whether the simulator has its own inverse
	Points   []CheckPoint
	// MaxResidual, MaxExcess (max Dist − DistTrue) and MaxDisagreement over
	// all points.
	MaxResidual, MaxExcess, MaxDisagreement float64
	Failed                                  int
}

// Passed reports whether every point passed.
func (r *CheckReport) Passed() bool { return r.Failed == 0 }

// Check tests a simulator's local inverse the way gradcheck tests an
// adjoint: at random points x_true it sets y = P(x_true), starts from a
// nearby x0 and verifies that x = P⁻¹(y; x0) reproduces y, is no farther
// from x0 than x_true (the nearest-branch rule), and agrees with the
// numerical inverse. Without an inverse of its own, the simulator's
// numerical inverse is checked instead.
func Check(s sim.Simulator, set CheckSettings) (*CheckReport, error) {
	if set.Points <= 0 {
		set.Points = 20
	}
	if set.Perturb == 0 {
		set.Perturb = 0.05
	}
	if set.Tol == 0 {
		set.Tol = 1e-8
	}
	if set.Sample == nil {
		set.Sample = func(r *rand.Rand, x []float64) {
			for i := range x {
				x[i] = 4*r.Float64() - 2
			}
		}
	}
	rng := rand.New(rand.NewPCG(set.Seed, 0x9e3779b97f4a7c15))
	own, hasOwn := s.(sim.Inverse)
	num := Numeric{Sim: s, Settings: set.Numeric}
	inv := own
	if !hasOwn {
		inv = num
	}
	n := s.InputSize()
	rep := &CheckReport{Analytic: hasOwn}
	for k := 0; k < set.Points; k++ {
		p := CheckPoint{XTrue: make([]float64, n), X0: make([]float64, n), X: make([]float64, n), Disagreement: math.NaN()}
		set.Sample(rng, p.XTrue)
		scale := set.Perturb * math.Max(1, floats.Norm(p.XTrue, 2)) / math.Sqrt(float64(n))
		for i := range p.X0 {
			p.X0[i] = p.XTrue[i] + scale*rng.NormFloat64()
		}
		y, err := sim.Eval(s, p.XTrue)
		if err != nil {
			return nil, fmt.Errorf("check: forward at point %d: %w", k, err)
		}
		ytol := set.Tol * math.Max(1, floats.Norm(y, 2))
		xtol := set.Tol * math.Max(1, floats.Norm(p.XTrue, 2))
		if err := inv.Inverse(p.X, y, p.X0); err != nil {
			p.Problem = "inverse failed: " + err.Error()
			p.Residual = math.Inf(1)
		} else {
			yx, err := sim.Eval(s, p.X)
			if err != nil {
				return nil, fmt.Errorf("check: forward of the inverse at point %d: %w", k, err)
			}
			p.Residual = floats.Distance(yx, y, 2)
			p.Dist = floats.Distance(p.X, p.X0, 2)
			p.DistTrue = floats.Distance(p.XTrue, p.X0, 2)
			switch {
			case !(p.Residual <= ytol):
				p.Problem = fmt.Sprintf("residual |P(x) − y| = %.3g exceeds %.3g", p.Residual, ytol)
			case p.Dist > p.DistTrue+xtol:
				p.Problem = fmt.Sprintf("not the nearest solution: |x − x0| = %.3g but the exact solution x_true is at %.3g", p.Dist, p.DistTrue)
			}
			if hasOwn {
				xn := make([]float64, n)
				if err := num.Inverse(xn, y, p.X0); err == nil {
					p.Disagreement = floats.Distance(xn, p.X, 2)
					if p.Problem == "" && p.Disagreement > math.Sqrt(set.Tol)*math.Max(1, floats.Norm(p.X, 2)) {
						p.Problem = fmt.Sprintf("disagrees with the numerical inverse by %.3g", p.Disagreement)
					}
				}
			}
		}
		rep.MaxResidual = math.Max(rep.MaxResidual, p.Residual)
		rep.MaxExcess = math.Max(rep.MaxExcess, p.Dist-p.DistTrue)
		if !math.IsNaN(p.Disagreement) {
			rep.MaxDisagreement = math.Max(rep.MaxDisagreement, p.Disagreement)
		}
		if p.Problem != "" {
			rep.Failed++
		}
		rep.Points = append(rep.Points, p)
	}
	return rep, nil
}
