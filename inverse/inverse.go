// Package inverse finds local inverses numerically: given y and a starting
// point x0, it returns an x near x0 with P(x) = y by minimising |P(x) − y|²
// with Levenberg-Marquardt, falling back to gonum's L-BFGS. A result that
// misses the tolerance is an error that carries its residual.
package inverse

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/optimize"

	"github.com/physgrad/physgrad/sim"
)

// Settings tune the numerical inverse. Zero fields take the defaults.
type Settings struct {
	// Tol is the accepted residual: |P(x) − y| ≤ Tol·max(1, |y|). Default 1e-10.
	Tol float64
	// MaxIter bounds the Levenberg-Marquardt iterations. Default 100.
	MaxIter int
	// NoFallback disables the L-BFGS fallback.
	NoFallback bool
}

func (s Settings) withDefaults() Settings {
	if s.Tol == 0 {
		s.Tol = 1e-10
	}
	if s.MaxIter == 0 {
		s.MaxIter = 100
	}
	return s
}

// NotConvergedError is returned when no x within tolerance was found. X in
// the Solve call still holds the best point reached.
type NotConvergedError struct {
	Residual   float64 // |P(x) − y| at the best point
	Tol        float64 // the residual that was required
	Iterations int
}

// Error says what residual was reached against which tolerance.
func (e *NotConvergedError) Error() string {
	return fmt.Sprintf("inverse: did not converge: residual %.3g > tolerance %.3g after %d iterations", e.Residual, e.Tol, e.Iterations)
}

// Solve writes into x a local inverse P⁻¹(y; x0) found numerically.
func Solve(s sim.Simulator, x, y, x0 []float64, set Settings) error {
	set = set.withDefaults()
	if err := sim.CheckSizes(s, y, x0); err != nil {
		return err
	}
	if len(x) != len(x0) {
		return fmt.Errorf("%w: x has %d values, simulator takes %d", sim.ErrSize, len(x), len(x0))
	}
	tol := set.Tol * math.Max(1, floats.Norm(y, 2))
	res, it, err := levenbergMarquardt(s, x, y, x0, tol, set.MaxIter)
	if err != nil {
		return err
	}
	if res <= tol {
		return nil
	}
	if !set.NoFallback {
		xl := append([]float64(nil), x...)
		if r, err := lbfgs(s, xl, y, tol); err == nil && r < res {
			copy(x, xl)
			res = r
		}
	}
	if res <= tol {
		return nil
	}
	return &NotConvergedError{Residual: res, Tol: tol, Iterations: it}
}

// residual writes y − P(x) into r and returns its norm.
func residual(s sim.Simulator, r, yBuf, x, y []float64) (float64, error) {
	if err := s.Forward(yBuf, x); err != nil {
		return 0, err
	}
	for i := range r {
		r[i] = y[i] - yBuf[i]
	}
	return floats.Norm(r, 2), nil
}

// levenbergMarquardt iterates δ = (JᵀJ + λI)⁻¹ Jᵀ r from x0. The identity
// damping (not diag(JᵀJ)) keeps steps minimum-norm in underdetermined
// directions, so the result stays near x0.
func levenbergMarquardt(s sim.Simulator, x, y, x0 []float64, tol float64, maxIter int) (float64, int, error) {
	n, m := s.InputSize(), s.OutputSize()
	copy(x, x0)
	r := make([]float64, m)
	rt := make([]float64, m)
	yb := make([]float64, m)
	xt := make([]float64, n)
	res, err := residual(s, r, yb, x, y)
	if err != nil {
		return 0, 0, err
	}
	jac := mat.NewDense(m, n, nil)
	var jtj mat.SymDense
	var jtr, delta mat.VecDense
	lambda := 0.0
	it := 0
	for ; it < maxIter && res > tol; it++ {
		if err := sim.Jac(s, jac, x); err != nil {
			return res, it, err
		}
		jtj.SymOuterK(1, jac.T())
		jtr.MulVec(jac.T(), mat.NewVecDense(m, r))
		if lambda == 0 {
			maxd := 0.0
			for i := 0; i < n; i++ {
				maxd = math.Max(maxd, jtj.At(i, i))
			}
			lambda = 1e-9 * math.Max(maxd, 1e-300)
		}
		improved := false
		for tries := 0; tries < 30; tries++ {
			a := mat.NewSymDense(n, nil)
			a.CopySym(&jtj)
			for i := 0; i < n; i++ {
				a.SetSym(i, i, a.At(i, i)+lambda)
			}
			var ch mat.Cholesky
			if !ch.Factorize(a) {
				lambda *= 10
				continue
			}
			if err := ch.SolveVecTo(&delta, &jtr); err != nil {
				lambda *= 10
				continue
			}
			for i := range xt {
				xt[i] = x[i] + delta.AtVec(i)
			}
			rn, err := residual(s, rt, yb, xt, y)
			if err != nil {
				return res, it, err
			}
			if rn < res {
				copy(x, xt)
				copy(r, rt)
				res = rn
				lambda = math.Max(lambda/10, 1e-300)
				improved = true
				break
			}
			lambda *= 10
		}
		if !improved {
			break
		}
	}
	return res, it, nil
}

// lbfgs minimises ½|P(x) − y|² with gonum's L-BFGS, starting from x.
func lbfgs(s sim.Simulator, x, y []float64, tol float64) (float64, error) {
	m := s.OutputSize()
	yb := make([]float64, m)
	r := make([]float64, m)
	var evalErr error
	prob := optimize.Problem{
		Func: func(xv []float64) float64 {
			if err := s.Forward(yb, xv); err != nil {
				evalErr = err
				return math.Inf(1)
			}
			v := 0.0
			for i := range yb {
				d := yb[i] - y[i]
				v += d * d
			}
			return 0.5 * v
		},
		Grad: func(g, xv []float64) {
			if err := s.Forward(yb, xv); err != nil {
				evalErr = err
				return
			}
			for i := range yb {
				r[i] = yb[i] - y[i]
			}
			if err := sim.VJP(s, g, xv, r); err != nil {
				evalErr = err
			}
		},
	}
	set := &optimize.Settings{GradientThreshold: 1e-14, MajorIterations: 1000}
	result, err := optimize.Minimize(prob, x, set, &optimize.LBFGS{})
	if evalErr != nil {
		return 0, evalErr
	}
	if result == nil {
		return 0, errors.Join(errors.New("inverse: L-BFGS fallback failed"), err)
	}
	copy(x, result.X)
	return math.Sqrt(2 * result.F), nil
}

// Numeric is the numerical local inverse of Sim as a sim.Inverse.
type Numeric struct {
	Sim      sim.Simulator
	Settings Settings
}

// Inverse writes the numerical local inverse P⁻¹(y; x0) into x.
func (n Numeric) Inverse(x, y, x0 []float64) error {
	return Solve(n.Sim, x, y, x0, n.Settings)
}

// Local returns the simulator's own local inverse if it has one, else a
// numerical one with the given settings.
func Local(s sim.Simulator, set Settings) sim.Inverse {
	if inv, ok := s.(sim.Inverse); ok {
		return inv
	}
	return Numeric{Sim: s, Settings: set}
}

// Fallback returns a sim.Chain fallback that inverts each step without an
// inverse of its own numerically, with the given settings:
//
//	c.Fallback = inverse.Fallback(inverse.Settings{})
func Fallback(set Settings) func(sim.Simulator) sim.Inverse {
	return func(s sim.Simulator) sim.Inverse { return Numeric{Sim: s, Settings: set} }
}
