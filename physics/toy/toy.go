// Package toy holds the two-dimensional toy simulators of the physical
// gradient chapter: the square toy y = (x0, x1²) (SPEC R1) and the scaling
// toy y = (x0, α·x1) (SPEC R2). Both have analytic Jacobians, adjoints and
// local inverses.
package toy

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/physgrad/physgrad/sim"
)

// Square is y = (x0, x1²).
type Square struct{}

// InputSize is 2.
func (Square) InputSize() int { return 2 }

// OutputSize is 2.
func (Square) OutputSize() int { return 2 }

// Forward writes (x0, x1²) into y.
func (s Square) Forward(y, x []float64) error {
	if err := sim.CheckSizes(s, y, x); err != nil {
		return err
	}
	y[0], y[1] = x[0], x[1]*x[1]
	return nil
}

// VJP writes Jᵀdy = (dy0, 2·x1·dy1) into dx.
func (Square) VJP(dx, x, dy []float64) error {
	dx[0], dx[1] = dy[0], 2*x[1]*dy[1]
	return nil
}

// Jacobian writes diag(1, 2·x1) into jac.
func (Square) Jacobian(jac *mat.Dense, x []float64) error {
	jac.Zero()
	jac.Set(0, 0, 1)
	jac.Set(1, 1, 2*x[1])
	return nil
}

// ErrNoRealSolution is returned by Square.Inverse for y1 < 0.
var ErrNoRealSolution = errors.New("toy: no real x with x1² = y1 < 0")

// Inverse writes (y0, ±√y1) into x, taking the sign of x0[1] (the branch
// nearest to x0; + when x0[1] = 0).
func (Square) Inverse(x, y, x0 []float64) error {
	if y[1] < 0 {
		return fmt.Errorf("%w (y1 = %g)", ErrNoRealSolution, y[1])
	}
	r := math.Sqrt(y[1])
	if x0[1] < 0 {
		r = -r
	}
	x[0], x[1] = y[0], r
	return nil
}

// Scaled is y = (x0, α·x1).
type Scaled struct{ Alpha float64 }

// InputSize is 2.
func (Scaled) InputSize() int { return 2 }

// OutputSize is 2.
func (Scaled) OutputSize() int { return 2 }

// Forward writes (x0, α·x1) into y.
func (s Scaled) Forward(y, x []float64) error {
	if err := sim.CheckSizes(s, y, x); err != nil {
		return err
	}
	y[0], y[1] = x[0], s.Alpha*x[1]
	return nil
}

// VJP writes (dy0, α·dy1) into dx.
func (s Scaled) VJP(dx, x, dy []float64) error {
	dx[0], dx[1] = dy[0], s.Alpha*dy[1]
	return nil
}

// Jacobian writes diag(1, α) into jac.
func (s Scaled) Jacobian(jac *mat.Dense, x []float64) error {
	jac.Zero()
	jac.Set(0, 0, 1)
	jac.Set(1, 1, s.Alpha)
	return nil
}

// Inverse writes (y0, y1/α) into x.
func (s Scaled) Inverse(x, y, x0 []float64) error {
	if s.Alpha == 0 {
		return errors.New("toy: scaling toy with α = 0 has no inverse")
	}
	x[0], x[1] = y[0], y[1]/s.Alpha
	return nil
}
