package method

import (
	"fmt"

	"gonum.org/v1/gonum/mat"

	"github.com/physgrad/physgrad/sim"
)

// newton takes Δx = −η H⁻¹ ∂L/∂x with H the Hessian of L(P(x)): the
// problem's analytic one, or central differences of the gradient.
type newton struct {
	eta float64
	p   *Problem
	g   []float64
}

func init() { register("newton", func(eta float64) Method { return &newton{eta: eta} }) }

func (m *newton) Name() string { return "newton" }

func (m *newton) Init(p *Problem, x []float64) error {
	m.p, m.g = p, make([]float64, len(x))
	return nil
}

func (m *newton) hessian(h *mat.SymDense, x []float64) error {
	if m.p.Hessian != nil {
		return m.p.Hessian(h, x)
	}
	n := len(x)
	xp := append([]float64(nil), x...)
	gp, gm := make([]float64, n), make([]float64, n)
	cols := mat.NewDense(n, n, nil)
	for j := 0; j < n; j++ {
		step := sim.FDStep(x[j])
		xp[j] = x[j] + step
		if err := m.p.Gradient(gp, xp); err != nil {
			return err
		}
		xp[j] = x[j] - step
		if err := m.p.Gradient(gm, xp); err != nil {
			return err
		}
		xp[j] = x[j]
		for i := 0; i < n; i++ {
			cols.Set(i, j, (gp[i]-gm[i])/(2*step))
		}
	}
	for i := 0; i < n; i++ {
		for j := i; j < n; j++ {
			h.SetSym(i, j, 0.5*(cols.At(i, j)+cols.At(j, i)))
		}
	}
	return nil
}

func (m *newton) Step(x []float64) error {
	n := len(x)
	h := mat.NewSymDense(n, nil)
	if err := m.hessian(h, x); err != nil {
		return err
	}
	if err := m.p.Gradient(m.g, x); err != nil {
		return err
	}
	var d mat.VecDense
	if err := d.SolveVec(h, mat.NewVecDense(n, m.g)); err != nil {
		return fmt.Errorf("newton: Hessian is singular at this x: %v", err)
	}
	for i := range x {
		x[i] -= m.eta * d.AtVec(i)
	}
	return nil
}
