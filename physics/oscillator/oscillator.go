// Package oscillator simulates a line of Nx coupled oscillators driven by one
// control value per time step, the control problem R7 of the HIG paper.
//
// The state has 2·Nx values, positions first: s = (x_0…x_{Nx−1},
// v_0…v_{Nx−1}). Each oscillator has unit mass and unit spring to its rest
// position; neighbours i, i+1 are coupled through a bond potential of their
// distance d_i = x_i − x_{i+1},
//
//	V(d) = ½·c·d² + α·d⁴,
//
// so the bond pulls oscillator i with −V'(d_i) = −(c·d_i + 4α·d_i³) and
// oscillator i+1 with +V'(d_i). The control u acts as an external force
// (acceleration, unit mass) on the last oscillator, as in the HIG paper:
//
//	dx_i/dt = v_i
//	dv_i/dt = −x_i − V'(d_i)·[i < Nx−1] + V'(d_{i−1})·[i > 0] + u·[i = Nx−1]
//
// With α = 0 this is the linear nearest-neighbour coupling
// dv_i/dt = −x_i − c·Σ_j (x_i − x_j); with c = 0, α ≠ 0 the quartic variant.
// The total energy Σ(x_i² + v_i²)/2 + Σ V(d_i) is conserved when u = 0.
//
// Time integration is classical RK4 with the control held constant over
// each step; step k uses control u_k, and a run of Nt steps maps the
// controls u ∈ R^Nt to the final state.
package oscillator

import (
	"errors"
	"fmt"
	"math"
)

// Params describe the system and its time discretisation.
type Params struct {
	Nx       int     // number of oscillators
	Nt       int     // number of RK4 steps, one control value each
	Dt       float64 // step size
	Coupling float64 // c, linear bond stiffness
	Quartic  float64 // α, quartic bond coefficient
}

// Default returns the R7 setting: 2 oscillators, 24 steps of 0.5, linear
// coupling 0.2.
func Default() Params {
	return Params{Nx: 2, Nt: 24, Dt: 0.5, Coupling: 0.2}
}

// QuarticVariant returns Default with the linear coupling replaced by the
// quartic bond potential α·d⁴. The HIG paper's value of α is not recorded in
// SPEC, so it is the caller's choice.
func QuarticVariant(alpha float64) Params {
	p := Default()
	p.Coupling = 0
	p.Quartic = alpha
	return p
}

// StateSize is 2·Nx.
func (p Params) StateSize() int { return 2 * p.Nx }

// Validate reports parameters the integrator cannot use.
func (p Params) Validate() error {
	switch {
	case p.Nx < 1:
		return fmt.Errorf("oscillator: Nx = %d, need at least 1 oscillator", p.Nx)
	case p.Nt < 1:
		return fmt.Errorf("oscillator: Nt = %d, need at least 1 step", p.Nt)
	case !(p.Dt > 0) || math.IsInf(p.Dt, 0):
		return fmt.Errorf("oscillator: Dt = %v, need a finite positive step", p.Dt)
	case math.IsNaN(p.Coupling) || math.IsInf(p.Coupling, 0):
		return fmt.Errorf("oscillator: Coupling = %v is not finite", p.Coupling)
	case math.IsNaN(p.Quartic) || math.IsInf(p.Quartic, 0):
		return fmt.Errorf("oscillator: Quartic = %v is not finite", p.Quartic)
	}
	return nil
}

// ErrSize reports a slice of the wrong length.
var ErrSize = errors.New("oscillator: wrong slice length")

func (p Params) bondForce(d float64) float64 { return p.Coupling*d + 4*p.Quartic*d*d*d }
func (p Params) bondStiff(d float64) float64 { return p.Coupling + 12*p.Quartic*d*d }

// Deriv writes the time derivative of state s under control u into ds.
func (p Params) Deriv(ds, s []float64, u float64) error {
	m := p.StateSize()
	if len(ds) != m || len(s) != m {
		return fmt.Errorf("%w: Deriv needs state slices of length %d", ErrSize, m)
	}
	p.deriv(ds, s, u)
	return nil
}

func (p Params) deriv(ds, s []float64, u float64) {
	n := p.Nx
	x, v := s[:n], s[n:n+n]
	dx, dv := ds[:n], ds[n:n+n]
	// Loops rather than copy: memmove costs more than these few values.
	for i := range n {
		dx[i] = v[i]
		dv[i] = -x[i]
	}
	for i := 0; i+1 < n; i++ {
		f := p.bondForce(x[i] - x[i+1])
		dv[i] -= f
		dv[i+1] += f
	}
	dv[n-1] += u
}

// Energy is Σ(x_i² + v_i²)/2 + Σ V(d_i), conserved by the exact flow at u = 0.
func (p Params) Energy(s []float64) float64 {
	n := p.Nx
	e := 0.0
	for i := range n {
		e += (s[i]*s[i] + s[n+i]*s[n+i]) / 2
	}
	for i := 0; i+1 < n; i++ {
		d := s[i] - s[i+1]
		e += p.Coupling*d*d/2 + p.Quartic*d*d*d*d
	}
	return e
}
