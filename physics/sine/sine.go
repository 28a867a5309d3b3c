// Package sine is the sine characterisation problem of SPEC R4: with
// x' = R_φ·x, P(x) = (sin(s/ξ · x'0), s·ξ · x'1), s = 10. ξ sets the
// conditioning (1 … 100) and φ couples the two components.
package sine

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/physgrad/physgrad/loss"
	"github.com/physgrad/physgrad/sim"
)

// Scale is s of SPEC R4.
const Scale = 10

// Sine is the R4 simulator for one sample (x, y ∈ R²).
type Sine struct {
	a, b     float64 // s/ξ and s·ξ
	cos, sin float64 // of φ
}

// New returns the simulator for conditioning xi > 0 and angle phi in degrees.
func New(xi, phiDegrees float64) (*Sine, error) {
	if !(xi > 0) || math.IsInf(xi, 0) {
		return nil, fmt.Errorf("sine: ξ must be a positive finite number, got %v", xi)
	}
	if math.IsNaN(phiDegrees) || math.IsInf(phiDegrees, 0) {
		return nil, fmt.Errorf("sine: φ must be a finite angle in degrees, got %v", phiDegrees)
	}
	r := phiDegrees * math.Pi / 180
	return &Sine{a: Scale / xi, b: Scale * xi, cos: math.Cos(r), sin: math.Sin(r)}, nil
}

// InputSize is 2.
func (*Sine) InputSize() int { return 2 }

// OutputSize is 2.
func (*Sine) OutputSize() int { return 2 }

func (s *Sine) rotate(x0, x1 float64) (float64, float64) {
	return s.cos*x0 - s.sin*x1, s.sin*x0 + s.cos*x1
}

func (s *Sine) unrotate(r0, r1 float64) (float64, float64) {
	return s.cos*r0 + s.sin*r1, -s.sin*r0 + s.cos*r1
}

// Forward writes P(x) into y.
func (s *Sine) Forward(y, x []float64) error {
	if err := sim.CheckSizes(s, y, x); err != nil {
		return err
	}
	r0, r1 := s.rotate(x[0], x[1])
	y[0], y[1] = math.Sin(s.a*r0), s.b*r1
	return nil
}

// Jacobian writes ∂P/∂x into jac (2×2).
func (s *Sine) Jacobian(jac *mat.Dense, x []float64) error {
	r0, _ := s.rotate(x[0], x[1])
	c := s.a * math.Cos(s.a*r0)
	jac.Set(0, 0, c*s.cos)
	jac.Set(0, 1, -c*s.sin)
	jac.Set(1, 0, s.b*s.sin)
	jac.Set(1, 1, s.b*s.cos)
	return nil
}

// VJP writes Jᵀ·dy into dx.
func (s *Sine) VJP(dx, x, dy []float64) error {
	r0, _ := s.rotate(x[0], x[1])
	c := s.a * math.Cos(s.a*r0) * dy[0]
	d := s.b * dy[1]
	dx[0] = c*s.cos + d*s.sin
	dx[1] = -c*s.sin + d*s.cos
	return nil
}

// ErrOutOfRange is returned by Inverse for |y0| > 1.
var ErrOutOfRange = errors.New("sine: |y0| > 1 has no solution")

// Inverse writes into x the exact solution of P(x) = y nearest to x0.
func (s *Sine) Inverse(x, y, x0 []float64) error {
	if math.Abs(y[0]) > 1 {
		return fmt.Errorf("%w (y0 = %g)", ErrOutOfRange, y[0])
	}
	x[0], x[1] = s.Closest(x0[0], x0[1], y[0], y[1])
	return nil
}

// Closest returns the exact solution of P(x) = y nearest (Euclidean) to
// (x0, x1). In rotated coordinates x'1 = y1/(s·ξ) is fixed and x'0 ranges
// over both arcsin branches of every period, so the nearest x'0 is the
// nearest solution; rotation preserves distances. |y0| is clamped to 1.
func (s *Sine) Closest(x0, x1, y0, y1 float64) (float64, float64) {
	r0, _ := s.rotate(x0, x1)
	as := math.Asin(math.Max(-1, math.Min(1, y0)))
	period := 2 * math.Pi
	t := s.a * r0 // the angle of the current point
	best, bestD := 0.0, math.Inf(1)
	for _, base := range []float64{as, math.Pi - as} {
		k := math.Round((t - base) / period)
		for _, kk := range []float64{k - 1, k, k + 1} {
			c := base + kk*period
			if d := math.Abs(c - t); d < bestD {
				best, bestD = c, d
			}
		}
	}
	return s.unrotate(best/s.a, y1/s.b)
}

// NewtonStep writes into dx the per-sample Newton step in x on the
// composite loss ½|P(x) − y*|² (its 2×2 Hessian, downhill-signed eigen
// step, SPEC §1) with the given max_loss_change (0 for none).
func (s *Sine) NewtonStep(dx, x, target []float64, maxLossChange float64) error {
	r0, r1 := s.rotate(x[0], x[1])
	sn, cs := math.Sin(s.a*r0), math.Cos(s.a*r0)
	e0, e1 := sn-target[0], s.b*r1-target[1]
	// ∂L/∂x' and ∂²L/∂x'² in rotated coordinates.
	g0, g1 := e0*s.a*cs, e1*s.b
	h00 := s.a * s.a * (cs*cs - e0*sn) // (a cos)² + e0·(−a² sin)
	h11 := s.b * s.b
	// Back to x: g = Rᵀ g', H = Rᵀ H' R with R = [[c, −s], [s, c]].
	c, sr := s.cos, s.sin
	dx[0], dx[1] = loss.EigenNewtonStep2(c*g0+sr*g1, -sr*g0+c*g1,
		c*c*h00+sr*sr*h11, -c*sr*h00+sr*c*h11, sr*sr*h00+c*c*h11, 1, maxLossChange)
	return nil
}
