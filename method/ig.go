package method

import (
	"errors"
	"fmt"

	"gonum.org/v1/gonum/mat"

	"github.com/physgrad/physgrad/loss"
	"github.com/physgrad/physgrad/sim"
)

var errSVD = errors.New("SVD of the Jacobian failed")

// inverseGradient takes Δx = J⁻¹ Δy with Δy the y-space Newton step; it
// needs a square, invertible Jacobian.
type inverseGradient struct {
	eta float64
	p   *Problem
}

func init() { register("ig", func(eta float64) Method { return &inverseGradient{eta: eta} }) }

func (m *inverseGradient) Name() string { return "ig" }

func (m *inverseGradient) Init(p *Problem, x []float64) error {
	if p.Sim.InputSize() != p.Sim.OutputSize() {
		return notApplicable("ig", "the Jacobian is %d×%d, not square", p.Sim.OutputSize(), p.Sim.InputSize())
	}
	m.p = p
	return nil
}

func (m *inverseGradient) Step(x []float64) error {
	s := m.p.Sim
	y := make([]float64, s.OutputSize())
	if err := s.Forward(y, x); err != nil {
		return err
	}
	dy := make([]float64, len(y))
	if err := loss.Step(m.p.Loss, dy, y, m.eta, m.p.YStep); err != nil {
		return err
	}
	jac := mat.NewDense(len(y), len(x), nil)
	if err := sim.Jac(s, jac, x); err != nil {
		return err
	}
	var dx mat.VecDense
	if err := dx.SolveVec(jac, mat.NewVecDense(len(dy), dy)); err != nil {
		return fmt.Errorf("ig: Jacobian is singular at this x: %v", err)
	}
	for i := range x {
		x[i] += dx.AtVec(i)
	}
	return nil
}
