package oscillator

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/physgrad/physgrad/sim"
)

// The rollout as a sim.Chain works on the augmented vector z = (s, u) of
// 2Nx + Nt values, so that every step is a function of its input alone:
// Embed puts u next to s0, ControlStep k advances s with u[k] and passes u
// through, Project keeps the final s.
//
// The chain's Inverse walks back through the steps' local inverses, but a
// final-state target says nothing about u, so it returns u0 unchanged: a
// chain of per-step inverses cannot move the controls of this problem. Use
// Rollout.Inverse (Gauss-Newton on the whole run) for R7.

// NewChain returns P(u) = final state from s0 as the chain
// Embed → ControlStep 0 … Nt−1 → Project.
func NewChain(p Params, s0 []float64) (*sim.Chain, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	if err := checkLen("s0", s0, p.StateSize()); err != nil {
		return nil, err
	}
	steps := make([]sim.Simulator, 0, p.Nt+2)
	steps = append(steps, &Embed{p: p, s0: append([]float64(nil), s0...)})
	for k := range p.Nt {
		steps = append(steps, &ControlStep{p: p, k: k})
	}
	steps = append(steps, &Project{p: p})
	return sim.NewChain(steps...)
}

// Embed maps u ∈ R^Nt to (s0, u).
type Embed struct {
	p  Params
	s0 []float64
}

// InputSize is Nt.
func (e *Embed) InputSize() int { return e.p.Nt }

// OutputSize is 2Nx + Nt.
func (e *Embed) OutputSize() int { return e.p.StateSize() + e.p.Nt }

// Forward writes (s0, u) into z.
func (e *Embed) Forward(z, u []float64) error {
	if err := sim.CheckSizes(e, z, u); err != nil {
		return err
	}
	copy(z, e.s0)
	copy(z[len(e.s0):], u)
	return nil
}

// Jacobian is [0; I].
func (e *Embed) Jacobian(jac *mat.Dense, _ []float64) error {
	if err := checkJac(jac, e.OutputSize(), e.InputSize()); err != nil {
		return err
	}
	jac.Zero()
	for k := range e.p.Nt {
		jac.Set(len(e.s0)+k, k, 1)
	}
	return nil
}

// Inverse takes the u part of z: the least-squares inverse, exact when z
// starts with s0.
func (e *Embed) Inverse(u, z, _ []float64) error {
	if err := sim.CheckSizes(e, z, u); err != nil {
		return err
	}
	copy(u, z[len(e.s0):])
	return nil
}

// ControlStep k maps (s, u) to (RK4 step of s under u[k], u).
type ControlStep struct {
	p Params
	k int
}

// InputSize is 2Nx + Nt.
func (c *ControlStep) InputSize() int { return c.p.StateSize() + c.p.Nt }

// OutputSize is 2Nx + Nt.
func (c *ControlStep) OutputSize() int { return c.InputSize() }

// Forward advances the state part of z with control z[2Nx+k].
func (c *ControlStep) Forward(y, z []float64) error {
	if err := sim.CheckSizes(c, y, z); err != nil {
		return err
	}
	m := c.p.StateSize()
	c.p.step(y[:m], z[:m], z[m+c.k], nil, newWork(c.p, false))
	copy(y[m:], z[m:])
	return nil
}

// Jacobian is [[S, b·e_kᵀ], [0, I]] with S, b the step's analytic
// derivatives with respect to state and control.
func (c *ControlStep) Jacobian(jac *mat.Dense, z []float64) error {
	if err := sim.CheckSizes(c, z, z); err != nil {
		return err
	}
	if err := checkJac(jac, c.OutputSize(), c.InputSize()); err != nil {
		return err
	}
	m := c.p.StateSize()
	tan := make([]float64, m*(m+1))
	c.p.step(make([]float64, m), z[:m], z[m+c.k], tan, newWork(c.p, false))
	jac.Zero()
	for i := range m {
		for j := range m {
			jac.Set(i, j, tan[i*(m+1)+j])
		}
		jac.Set(i, m+c.k, tan[i*(m+1)+m])
	}
	for k := range c.p.Nt {
		jac.Set(m+k, m+k, 1)
	}
	return nil
}

// Inverse keeps the controls of the target and solves step(s, u[k]) = y_s
// for s by Newton's method from z0's state (the step is a near-rotation
// with an invertible state Jacobian for moderate Dt).
func (c *ControlStep) Inverse(z, y, z0 []float64) error {
	if err := sim.CheckSizes(c, y, z); err != nil {
		return err
	}
	if err := checkLen("z0", z0, len(z)); err != nil {
		return err
	}
	m := c.p.StateSize()
	u := y[m+c.k]
	s := append([]float64(nil), z0[:m]...)
	w := newWork(c.p, false)
	out := make([]float64, m)
	tan := make([]float64, m*(m+1))
	sj := mat.NewDense(m, m, nil)
	r := mat.NewVecDense(m, nil)
	var d mat.VecDense
	scale := 1.0
	for _, v := range y[:m] {
		scale = math.Max(scale, math.Abs(v))
	}
	res := math.Inf(1)
	for it := 0; it < 50; it++ {
		c.p.step(out, s, u, tan, w)
		res = 0
		for i := range m {
			r.SetVec(i, y[i]-out[i])
			res = math.Max(res, math.Abs(y[i]-out[i]))
		}
		if res <= 1e-14*scale {
			copy(z, s)
			copy(z[m:], y[m:])
			return nil
		}
		for i := range m {
			for j := range m {
				sj.Set(i, j, tan[i*(m+1)+j])
			}
		}
		if err := d.SolveVec(sj, r); err != nil {
			return fmt.Errorf("oscillator: step %d inverse: %w", c.k, err)
		}
		for i := range m {
			s[i] += d.AtVec(i)
		}
	}
	return fmt.Errorf("oscillator: step %d inverse did not converge (residual %.3g)", c.k, res)
}

// Project maps (s, u) to s.
type Project struct{ p Params }

// InputSize is 2Nx + Nt.
func (q *Project) InputSize() int { return q.p.StateSize() + q.p.Nt }

// OutputSize is 2Nx.
func (q *Project) OutputSize() int { return q.p.StateSize() }

// Forward copies the state part.
func (q *Project) Forward(s, z []float64) error {
	if err := sim.CheckSizes(q, s, z); err != nil {
		return err
	}
	copy(s, z)
	return nil
}

// Jacobian is [I 0].
func (q *Project) Jacobian(jac *mat.Dense, _ []float64) error {
	if err := checkJac(jac, q.OutputSize(), q.InputSize()); err != nil {
		return err
	}
	jac.Zero()
	for i := range q.p.StateSize() {
		jac.Set(i, i, 1)
	}
	return nil
}

// Inverse sets the state to the target and keeps z0's controls, the
// nearest preimage.
func (q *Project) Inverse(z, s, z0 []float64) error {
	if err := sim.CheckSizes(q, s, z); err != nil {
		return err
	}
	if err := checkLen("z0", z0, len(z)); err != nil {
		return err
	}
	copy(z, s)
	copy(z[len(s):], z0[len(s):])
	return nil
}

func checkJac(jac *mat.Dense, rows, cols int) error {
	if r, c := jac.Dims(); r != rows || c != cols {
		return fmt.Errorf("%w: Jacobian must be %d×%d, got %d×%d", ErrSize, rows, cols, r, c)
	}
	return nil
}
