// Package loss defines scalar losses L(y) on simulator outputs and the
// y-space Newton step Δy = -η (∂²L/∂y²)⁻¹ ∂L/∂y that PG and IG take.
package loss

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// Loss is a scalar function of the simulator output.
type Loss interface {
	// Value returns L(y).
	Value(y []float64) float64
	// Gradient writes ∂L/∂y into grad.
	Gradient(grad, y []float64)
}

// Hessian is implemented by losses whose second derivative in y is known.
type Hessian interface {
	// Hessian writes ∂²L/∂y² into h (len(y) × len(y)).
	Hessian(h *mat.SymDense, y []float64)
}

// NewtonStepper is implemented by losses with a closed-form y-space Newton
// step, so that no Hessian needs to be formed or decomposed.
type NewtonStepper interface {
	// NewtonStep writes Δy = -η H⁻¹ ∇L into dy.
	NewtonStep(dy, y []float64, eta float64)
}

// StepSettings tunes the generic eigen-Newton step.
type StepSettings struct {
	// MaxLossChange, if > 0, caps each eigen-direction's step where the
	// curvature is below the geometric mean of the |eigenvalues|, to
	// MaxLossChange/|gradient component| (SPEC §1).
	MaxLossChange float64
}

// ErrNoHessian is returned by Step for a loss with neither a closed-form
// Newton step nor a Hessian.
var ErrNoHessian = errors.New("loss: no Newton step: the loss has neither a closed-form step nor a Hessian")

// Step writes the y-space Newton step into dy: the loss's closed form if it
// has one, else the downhill-signed eigen-Newton step on its Hessian.
func Step(l Loss, dy, y []float64, eta float64, s StepSettings) error {
	if ns, ok := l.(NewtonStepper); ok {
		ns.NewtonStep(dy, y, eta)
		return nil
	}
	hl, ok := l.(Hessian)
	if !ok {
		return ErrNoHessian
	}
	n := len(y)
	h := mat.NewSymDense(n, nil)
	hl.Hessian(h, y)
	g := make([]float64, n)
	l.Gradient(g, y)
	return EigenNewtonStep(dy, g, h, eta, s.MaxLossChange)
}

// EigenNewtonStep writes into dst a Newton step for gradient g and Hessian h
// that points downhill even where h is indefinite: in h's eigenbasis each
// component has magnitude |g_i/λ_i| and the sign of -g_i. Components with
// λ_i = 0 take no step. With maxLossChange > 0, components whose |λ_i| is
// below the geometric mean of all |λ| are clipped to maxLossChange/|g_i|,
// which bounds their first-order loss change. The step is then scaled by eta.
func EigenNewtonStep(dst, g []float64, h *mat.SymDense, eta, maxLossChange float64) error {
	n := len(g)
	if h.SymmetricDim() != n || len(dst) != n {
		return fmt.Errorf("loss: eigen-Newton step: Hessian is %d×%d for %d gradient values", h.SymmetricDim(), h.SymmetricDim(), n)
	}
	var eig mat.EigenSym
	if !eig.Factorize(h, true) {
		return errors.New("loss: eigen-Newton step: eigen-decomposition failed")
	}
	vals := eig.Values(nil)
	var vecs mat.Dense
	eig.VectorsTo(&vecs)
	gv := mat.NewVecDense(n, append([]float64(nil), g...))
	var ge mat.VecDense
	ge.MulVec(vecs.T(), gv)
	logMean := 0.0
	for _, v := range vals {
		logMean += math.Log(math.Abs(v))
	}
	geoMean := math.Exp(logMean / float64(n))
	step := make([]float64, n)
	for i, v := range vals {
		gi := ge.AtVec(i)
		if v == 0 || gi == 0 {
			continue
		}
		s := math.Abs(gi / v)
		if maxLossChange > 0 && math.Abs(v) < geoMean {
			s = math.Min(s, maxLossChange/math.Abs(gi))
		}
		step[i] = -math.Copysign(s, gi)
	}
	var out mat.VecDense
	out.MulVec(&vecs, mat.NewVecDense(n, step))
	for i := range dst {
		dst[i] = eta * out.AtVec(i)
	}
	return nil
}

// L2 is ½|y − Target|².
type L2 struct {
	Target []float64
}

// Value returns ½|y − Target|².
func (l L2) Value(y []float64) float64 {
	s := 0.0
	for i, v := range y {
		d := v - l.Target[i]
		s += d * d
	}
	return 0.5 * s
}

// Gradient writes y − Target into grad.
func (l L2) Gradient(grad, y []float64) {
	for i, v := range y {
		grad[i] = v - l.Target[i]
	}
}

// Hessian writes the identity into h.
func (l L2) Hessian(h *mat.SymDense, y []float64) { setScaledIdentity(h, 1) }

// NewtonStep writes η(Target − y) into dy.
func (l L2) NewtonStep(dy, y []float64, eta float64) {
	for i, v := range y {
		dy[i] = eta * (l.Target[i] - v)
	}
}

// SquaredNorm is |y|² (no ½), the loss of the square and scaling toys (R1, R2).
type SquaredNorm struct{}

// Value returns |y|².
func (SquaredNorm) Value(y []float64) float64 {
	s := 0.0
	for _, v := range y {
		s += v * v
	}
	return s
}

// Gradient writes 2y into grad.
func (SquaredNorm) Gradient(grad, y []float64) {
	for i, v := range y {
		grad[i] = 2 * v
	}
}

// Hessian writes 2I into h.
func (SquaredNorm) Hessian(h *mat.SymDense, y []float64) { setScaledIdentity(h, 2) }

// NewtonStep writes −η·y into dy (H = 2I, ∇L = 2y).
func (SquaredNorm) NewtonStep(dy, y []float64, eta float64) {
	for i, v := range y {
		dy[i] = -eta * v
	}
}

func setScaledIdentity(h *mat.SymDense, d float64) {
	n := h.SymmetricDim()
	for i := 0; i < n; i++ {
		for j := i; j < n; j++ {
			v := 0.0
			if i == j {
				v = d
			}
			h.SetSym(i, j, v)
		}
	}
}

// EigenNewtonStep2 is EigenNewtonStep for a 2×2 Hessian [[h00, h01], [h01,
// h11]] in closed form, without allocating: per-sample Newton steps of
// small problems run it millions of times.
func EigenNewtonStep2(g0, g1, h00, h01, h11, eta, maxLossChange float64) (float64, float64) {
	// Eigenvalues (a ± r) and the rotation angle of the eigenvectors.
	a, d := 0.5*(h00+h11), 0.5*(h00-h11)
	r := math.Hypot(d, h01)
	l0, l1 := a-r, a+r
	theta := 0.5 * math.Atan2(2*h01, h00-h11)
	c, s := math.Cos(theta), math.Sin(theta)
	// Columns: v1 = (c, s) for l1 (the larger), v0 = (−s, c) for l0.
	ge0, ge1 := -s*g0+c*g1, c*g0+s*g1
	geo := math.Sqrt(math.Abs(l0) * math.Abs(l1))
	step := func(gi, li float64) float64 {
		if li == 0 || gi == 0 {
			return 0
		}
		st := math.Abs(gi / li)
		if maxLossChange > 0 && math.Abs(li) < geo {
			st = math.Min(st, maxLossChange/math.Abs(gi))
		}
		return -math.Copysign(st, gi)
	}
	s0, s1 := step(ge0, l0), step(ge1, l1)
	return eta * (-s*s0 + c*s1), eta * (c*s0 + s*s1)
}
