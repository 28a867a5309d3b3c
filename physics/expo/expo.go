// Package expo is the exponential problem of SPEC R3: y = exp(x) with
// x ∈ [−12, 0]. Its gradient vanishes on the low end, which stalls
// training through the adjoint (DP); the per-sample Newton step does not.
package expo

import (
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/physgrad/physgrad/sim"
)

// Exp is y = exp(x), elementwise on N values.
type Exp struct{ N int }

// InputSize is N.
func (e Exp) InputSize() int { return e.N }

// OutputSize is N.
func (e Exp) OutputSize() int { return e.N }

// Forward writes exp(x) into y.
func (e Exp) Forward(y, x []float64) error {
	if err := sim.CheckSizes(e, y, x); err != nil {
		return err
	}
	for i, v := range x {
		y[i] = math.Exp(v)
	}
	return nil
}

// VJP writes exp(x)·dy into dx.
func (e Exp) VJP(dx, x, dy []float64) error {
	for i, v := range x {
		dx[i] = math.Exp(v) * dy[i]
	}
	return nil
}

// Jacobian writes diag(exp(x)) into jac.
func (e Exp) Jacobian(jac *mat.Dense, x []float64) error {
	jac.Zero()
	for i, v := range x {
		jac.Set(i, i, math.Exp(v))
	}
	return nil
}

// Inverse writes log(y) into x (−Inf for y = 0, NaN for y < 0).
func (e Exp) Inverse(x, y, x0 []float64) error {
	for i, v := range y {
		x[i] = math.Log(v)
	}
	return nil
}

// Step is how SIP turns the per-sample loss ½(exp(x) − y)² into a step in x.
type Step int

const (
	// Newton is the downhill-signed Newton step |g/h|·sign(−g) with
	// g = (ŷ − y)ŷ and h = 2e^{2x} − yŷ.
	Newton Step = iota
	// NewtonClipped is Newton clipped to [−0.1, 0.1].
	NewtonClipped
	// Sign is −0.1·sign(g).
	Sign
)

// SIPStep returns the step in x for prediction x and target y.
func SIPStep(kind Step, x, y float64) float64 {
	yh := math.Exp(x)
	g := (yh - y) * yh
	if g == 0 {
		return 0
	}
	switch kind {
	case Sign:
		return -0.1 * math.Copysign(1, g)
	}
	h := 2*yh*yh - y*yh
	var d float64
	if h == 0 {
		d = math.Inf(1)
	} else {
		d = math.Abs(g / h)
	}
	d = -math.Copysign(d, g)
	if kind == NewtonClipped || math.IsInf(d, 0) {
		d = math.Max(-0.1, math.Min(0.1, d))
	}
	return d
}
