package oscillator

import "gonum.org/v1/gonum/mat"

// Rollout is the simulator P(u) = final state after Nt steps from a fixed
// initial state, with u ∈ R^Nt the controls: the physics of R7, where a
// network outputs u. It has an analytic Jacobian and adjoint, and its
// Inverse is one Gauss-Newton step (see Params.GaussNewton). It computes the
// same numbers as NewChain's chain, only without the per-step dense
// matrices. A Rollout holds no per-call state and is safe for concurrent use.
type Rollout struct {
	p  Params
	s0 []float64

	// Cut is Inverse's relative singular-value cut; 0 means DefaultCut.
	Cut float64
}

// NewRollout returns the rollout of p from s0 (copied).
func NewRollout(p Params, s0 []float64) (*Rollout, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	if err := checkLen("s0", s0, p.StateSize()); err != nil {
		return nil, err
	}
	return &Rollout{p: p, s0: append([]float64(nil), s0...)}, nil
}

// Params returns the system parameters.
func (r *Rollout) Params() Params { return r.p }

// InitialState returns a copy of s0.
func (r *Rollout) InitialState() []float64 { return append([]float64(nil), r.s0...) }

// InputSize is Nt.
func (r *Rollout) InputSize() int { return r.p.Nt }

// OutputSize is 2·Nx.
func (r *Rollout) OutputSize() int { return r.p.StateSize() }

// Forward writes the final state under controls u into y.
func (r *Rollout) Forward(y, u []float64) error {
	return r.p.Run(y, nil, r.s0, u)
}

// Jacobian writes ∂final/∂u (2Nx × Nt) into jac.
func (r *Rollout) Jacobian(jac *mat.Dense, u []float64) error {
	m, nt := r.p.StateSize(), r.p.Nt
	if err := checkJac(jac, m, nt); err != nil {
		return err
	}
	j := make([]float64, m*nt)
	if err := r.p.Run(make([]float64, m), j, r.s0, u); err != nil {
		return err
	}
	jac.Copy(mat.NewDense(m, nt, j))
	return nil
}

// VJP writes Jᵀ·dy into du.
func (r *Rollout) VJP(du, u, dy []float64) error {
	m, nt := r.p.StateSize(), r.p.Nt
	if err := checkLen("du", du, nt); err != nil {
		return err
	}
	if err := checkLen("dy", dy, m); err != nil {
		return err
	}
	j := make([]float64, m*nt)
	if err := r.p.Run(make([]float64, m), j, r.s0, u); err != nil {
		return err
	}
	for k := range du {
		acc := 0.0
		for i := range m {
			acc += j[i*nt+k] * dy[i]
		}
		du[k] = acc
	}
	return nil
}

// Inverse writes one Gauss-Newton step from u0 towards the final state y
// into u: u = u0 + pinv(J(u0))·(y − P(u0)), singular values below
// Cut·σmax dropped. This is the SIP inverse of R7; for the linear system it
// is exact, for the quartic one a single step.
func (r *Rollout) Inverse(u, y, u0 []float64) error {
	if err := checkLen("u", u, r.p.Nt); err != nil {
		return err
	}
	return r.p.GaussNewton(u, r.s0, u0, y, r.Cut)
}
