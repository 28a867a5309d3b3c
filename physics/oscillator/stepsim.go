package oscillator

import (
	"gonum.org/v1/gonum/mat"

	"github.com/physgrad/physgrad/sim"
)

// StepSim is one RK4 step as a simulator of (s, u), 2Nx+1 inputs (the
// control last), to the next state, with the analytic Jacobian.
type StepSim struct{ p Params }

// NewStepSim returns the one-step simulator of p.
func NewStepSim(p Params) (*StepSim, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return &StepSim{p: p}, nil
}

// InputSize is 2Nx + 1.
func (s *StepSim) InputSize() int { return s.p.StateSize() + 1 }

// OutputSize is 2Nx.
func (s *StepSim) OutputSize() int { return s.p.StateSize() }

// Forward writes the step from (x[:2Nx], control x[2Nx]) into y.
func (s *StepSim) Forward(y, x []float64) error {
	if err := sim.CheckSizes(s, y, x); err != nil {
		return err
	}
	m := s.p.StateSize()
	s.p.step(y, x[:m], x[m], nil, newWork(s.p, false))
	return nil
}

// Jacobian writes ∂step/∂(s, u) into jac (2Nx × 2Nx+1).
func (s *StepSim) Jacobian(jac *mat.Dense, x []float64) error {
	if err := sim.CheckSizes(s, make([]float64, s.OutputSize()), x); err != nil {
		return err
	}
	m := s.p.StateSize()
	if err := checkJac(jac, m, m+1); err != nil {
		return err
	}
	tan := make([]float64, m*(m+1))
	s.p.step(make([]float64, m), x[:m], x[m], tan, newWork(s.p, false))
	jac.Copy(mat.NewDense(m, m+1, tan))
	return nil
}
