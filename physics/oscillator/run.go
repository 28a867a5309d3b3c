package oscillator

import "fmt"

// Run integrates Nt RK4 steps from s0, step k under control u[k], and writes
// the final state into final. If jac is non-nil it also writes ∂final/∂u,
// 2·Nx rows and Nt columns row-major: column k is R_{k+1}·b_k, where b_k is
// step k's control derivative and R_{k+1} the product of the later steps'
// state Jacobians (a backward sweep, O(Nt·(2Nx)³)); for a linear system
// (Quartic = 0) the step Jacobian is constant and computed once.
func (p Params) Run(final, jac, s0, u []float64) error {
	if err := p.checkRun(final, jac, s0, u); err != nil {
		return err
	}
	p.run(final, jac, s0, u, newWork(p, jac != nil))
	return nil
}

func (p Params) checkRun(final, jac, s0, u []float64) error {
	if err := p.Validate(); err != nil {
		return err
	}
	m := p.StateSize()
	switch {
	case len(final) != m || len(s0) != m:
		return fmt.Errorf("%w: states must have %d values, got final %d, s0 %d", ErrSize, m, len(final), len(s0))
	case len(u) != p.Nt:
		return fmt.Errorf("%w: %d controls for %d steps", ErrSize, len(u), p.Nt)
	case jac != nil && len(jac) != m*p.Nt:
		return fmt.Errorf("%w: Jacobian has %d values, want %d×%d", ErrSize, len(jac), m, p.Nt)
	}
	return nil
}

// run is Run without checks, on caller-owned scratch (with tangent
// storage if jac is non-nil).
func (p Params) run(final, jac, s0, u []float64, w *work) {
	m := p.StateSize()
	cols := m + 1
	sz := m * cols
	if jac != nil && p.Quartic == 0 {
		p.runLinear(final, jac, s0, u, w)
		return
	}
	copy(w.s, s0)
	for k := range p.Nt {
		var tan []float64
		if jac != nil {
			tan = w.tans[k*sz : (k+1)*sz]
		}
		p.step(w.s, w.s, u[k], tan, w)
	}
	copy(final, w.s)
	if jac == nil {
		return
	}
	// Backward sweep: r = ∂final/∂s_{k+1}, starting from the identity.
	r, t := w.r, w.t
	clear(r)
	for i := range m {
		r[i*m+i] = 1
	}
	for k := p.Nt - 1; k >= 0; k-- {
		tan := w.tans[k*sz : (k+1)*sz]
		for i := range m {
			ri := r[i*m : (i+1)*m]
			acc := 0.0
			for j, rij := range ri {
				acc += rij * tan[j*cols+m]
			}
			jac[i*p.Nt+k] = acc
		}
		if k == 0 {
			break
		}
		for i := range m {
			ri, ti := r[i*m:(i+1)*m], t[i*m:(i+1)*m]
			clear(ti)
			for j, rij := range ri {
				row := tan[j*cols : j*cols+m]
				for l, v := range row {
					ti[l] += rij * v
				}
			}
		}
		r, t = t, r
	}
}

// runLinear is run for a linear system (no quartic term): the step
// Jacobian [S | b] does not depend on state or control, so it is computed
// once and the columns follow from J[:, Nt−1] = b, J[:, k] = S·J[:, k+1].
func (p Params) runLinear(final, jac, s0, u []float64, w *work) {
	m, nt := p.StateSize(), p.Nt
	cols := m + 1
	tan := w.tans[:m*cols]
	p.step(w.s, s0, u[0], tan, w)
	for k := 1; k < nt; k++ {
		p.step(w.s, w.s, u[k], nil, w)
	}
	copy(final, w.s)
	for i := range m {
		jac[i*nt+nt-1] = tan[i*cols+m]
	}
	for k := nt - 2; k >= 0; k-- {
		for i := range m {
			row := tan[i*cols : i*cols+m]
			acc := 0.0
			for j, v := range row {
				acc += v * jac[j*nt+k+1]
			}
			jac[i*nt+k] = acc
		}
	}
}
