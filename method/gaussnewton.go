package method

import (
	"gonum.org/v1/gonum/mat"

	"github.com/physgrad/physgrad/sim"
)

// gaussNewton takes Δx = −η (JᵀJ)⁻¹ Jᵀ ∂L/∂y, computed as −η J⁺ ∂L/∂y with
// the SVD pseudo-inverse (singular values below 1e-12·σmax dropped) so
// that rank-deficient Jacobians still give the minimum-norm step.
type gaussNewton struct {
	eta float64
	p   *Problem
}

func init() { register("gn", func(eta float64) Method { return &gaussNewton{eta: eta} }) }

func (m *gaussNewton) Name() string { return "gn" }

func (m *gaussNewton) Init(p *Problem, x []float64) error {
	m.p = p
	return nil
}

func (m *gaussNewton) Step(x []float64) error {
	s := m.p.Sim
	y := make([]float64, s.OutputSize())
	if err := s.Forward(y, x); err != nil {
		return err
	}
	gy := make([]float64, len(y))
	m.p.Loss.Gradient(gy, y)
	jac := mat.NewDense(s.OutputSize(), s.InputSize(), nil)
	if err := sim.Jac(s, jac, x); err != nil {
		return err
	}
	d, err := pinvSolve(jac, gy, 1e-12)
	if err != nil {
		return err
	}
	for i := range x {
		x[i] -= m.eta * d[i]
	}
	return nil
}

// pinvSolve returns J⁺ b with singular values below cut·σmax dropped.
func pinvSolve(jac *mat.Dense, b []float64, cut float64) ([]float64, error) {
	var svd mat.SVD
	if !svd.Factorize(jac, mat.SVDThin) {
		return nil, errSVD
	}
	rank := svd.Rank(cut)
	if rank == 0 {
		_, c := jac.Dims()
		return make([]float64, c), nil
	}
	var out mat.Dense
	svd.SolveTo(&out, mat.NewDense(len(b), 1, b), rank)
	return mat.Col(nil, 0, &out), nil
}
