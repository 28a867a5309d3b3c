// Package sim defines the simulator contract of physgrad: a forward model
// y = P(x) with fixed input and output sizes, plus optional capabilities
// (adjoint, Jacobian, local inverse) that the rest of the library discovers
// with type assertions, in the way io.Copy discovers io.WriterTo.
//
// Where a capability is missing, the functions of this package fall back:
// VJP and Jacobian use central finite differences. The numerical local
// inverse lives in package inverse, since it needs an optimiser.
package sim

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// Simulator is a forward model y = P(x).
type Simulator interface {
	// InputSize is the length of x.
	InputSize() int
	// OutputSize is the length of y.
	OutputSize() int
	// Forward writes P(x) into y. len(x) == InputSize(), len(y) == OutputSize().
	Forward(y, x []float64) error
}

// Adjoint is implemented by simulators that compute vector-Jacobian products.
type Adjoint interface {
	// VJP writes J(x)ᵀ·dy into dx, where J = ∂P/∂x at x.
	VJP(dx, x, dy []float64) error
}

// Jacobian is implemented by simulators that give their Jacobian directly.
type Jacobian interface {
	// Jacobian writes ∂P/∂x at x into jac, which has OutputSize rows and
	// InputSize columns.
	Jacobian(jac *mat.Dense, x []float64) error
}

// Inverse is implemented by simulators with a local inverse.
type Inverse interface {
	// Inverse writes into x the local inverse P⁻¹(y; x0): the x closest to
	// x0 with P(x) = y. Where P is not injective, the branch nearest to x0
	// is the right one.
	Inverse(x, y, x0 []float64) error
}

// ErrSize reports a slice of the wrong length handed to a simulator.
var ErrSize = errors.New("sim: wrong slice length")

// CheckSizes returns an error unless len(x) and len(y) match s.
func CheckSizes(s Simulator, y, x []float64) error {
	if len(x) != s.InputSize() {
		return fmt.Errorf("%w: x has %d values, simulator takes %d", ErrSize, len(x), s.InputSize())
	}
	if len(y) != s.OutputSize() {
		return fmt.Errorf("%w: y has %d values, simulator gives %d", ErrSize, len(y), s.OutputSize())
	}
	return nil
}

// Eval returns P(x) in a new slice.
func Eval(s Simulator, x []float64) ([]float64, error) {
	y := make([]float64, s.OutputSize())
	if err := s.Forward(y, x); err != nil {
		return nil, err
	}
	return y, nil
}

// FDStep is the central-difference step used for x_i: h = ε^(1/3)·max(1, |x_i|)
// with ε the float64 machine epsilon. This balances truncation error O(h²)
// against round-off O(ε/h) for a smooth function of unit scale.
func FDStep(xi float64) float64 {
	return math.Cbrt(0x1p-52) * math.Max(1, math.Abs(xi))
}

// VJP writes J(x)ᵀ·dy into dx using the best capability s has: its own
// adjoint, its Jacobian, or central finite differences (one pair of forward
// evaluations per input; see FDStep).
func VJP(s Simulator, dx, x, dy []float64) error {
	if len(dx) != s.InputSize() || len(x) != s.InputSize() || len(dy) != s.OutputSize() {
		return fmt.Errorf("%w: VJP needs dx and x of length %d and dy of length %d", ErrSize, s.InputSize(), s.OutputSize())
	}
	if a, ok := s.(Adjoint); ok {
		return a.VJP(dx, x, dy)
	}
	jac := mat.NewDense(s.OutputSize(), s.InputSize(), nil)
	if err := Jac(s, jac, x); err != nil {
		return err
	}
	var out mat.VecDense
	out.MulVec(jac.T(), mat.NewVecDense(len(dy), dy))
	copy(dx, out.RawVector().Data)
	return nil
}

// Jac writes ∂P/∂x at x into jac (OutputSize × InputSize), from the
// simulator's Jacobian if it has one, else by central finite differences.
func Jac(s Simulator, jac *mat.Dense, x []float64) error {
	r, c := jac.Dims()
	if r != s.OutputSize() || c != s.InputSize() || len(x) != s.InputSize() {
		return fmt.Errorf("%w: Jacobian must be %d×%d for x of length %d", ErrSize, s.OutputSize(), s.InputSize(), s.InputSize())
	}
	if j, ok := s.(Jacobian); ok {
		return j.Jacobian(jac, x)
	}
	return FDJacobian(s, jac, x)
}

// FDJacobian computes the Jacobian by central differences regardless of the
// simulator's own capabilities; it is the reference for gradient checks.
func FDJacobian(s Simulator, jac *mat.Dense, x []float64) error {
	n, m := s.InputSize(), s.OutputSize()
	xp := append([]float64(nil), x...)
	yp := make([]float64, m)
	ym := make([]float64, m)
	for i := 0; i < n; i++ {
		h := FDStep(x[i])
		xp[i] = x[i] + h
		if err := s.Forward(yp, xp); err != nil {
			return err
		}
		xp[i] = x[i] - h
		if err := s.Forward(ym, xp); err != nil {
			return err
		}
		xp[i] = x[i]
		for k := 0; k < m; k++ {
			jac.Set(k, i, (yp[k]-ym[k])/(2*h))
		}
	}
	return nil
}
