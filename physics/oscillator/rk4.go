package oscillator

import "fmt"

// work holds the scratch of RK4 steps and their tangents, so a rollout
// allocates once.
type work struct {
	k    [4][]float64 // stage derivatives
	dk   [4][]float64 // stage tangents, M×(M+1) row-major
	z    []float64    // stage input
	zt   []float64    // stage input tangent
	tans []float64    // per-step tangents of a rollout, Nt×M×(M+1)
	s    []float64    // running state
	r, t []float64    // M×M products in the backward sweep
}

// newWork allocates scratch; the rollout tangents only if withTangents.
func newWork(p Params, withTangents bool) *work {
	m := p.StateSize()
	w := &work{z: make([]float64, m), zt: make([]float64, m*(m+1)), s: make([]float64, m),
		r: make([]float64, m*m), t: make([]float64, m*m)}
	if withTangents {
		w.tans = make([]float64, p.Nt*m*(m+1))
	}
	for j := range 4 {
		w.k[j] = make([]float64, m)
		w.dk[j] = make([]float64, m*(m+1))
	}
	return w
}

// rk4c are the stage offsets of classical RK4.
var rk4c = [4]float64{0, 0.5, 0.5, 1}

// step writes the RK4 step from s under control u into out (which may alias
// s). If tan is non-nil it also writes ∂out/∂(s, u), M rows and M+1 columns
// row-major, the last column being ∂out/∂u; the tangents follow the stages
// exactly, so the Jacobian is that of the discrete step.
func (p Params) step(out, s []float64, u float64, tan []float64, w *work) {
	m, n, h := p.StateSize(), p.Nx, p.Dt
	cols := m + 1
	for j := range 4 {
		if j == 0 {
			for i := range m {
				w.z[i] = s[i]
			}
		} else {
			for i := range m {
				w.z[i] = s[i] + rk4c[j]*h*w.k[j-1][i]
			}
		}
		p.deriv(w.k[j], w.z, u)
		if tan == nil {
			continue
		}
		// zt = [I | 0] + c_j·h·dk_{j−1}
		zt := w.zt
		if j == 0 {
			clear(zt)
		} else {
			a, prev := rk4c[j]*h, w.dk[j-1]
			for i := range zt {
				zt[i] = a * prev[i]
			}
		}
		for i := range m {
			zt[i*cols+i]++
		}
		// dk_j = ∂f/∂s(z)·zt + ∂f/∂u; ∂f/∂s = [[0, I], [K, 0]] with K the
		// (tridiagonal) spring-plus-bond stiffness.
		dk := w.dk[j]
		for i := range n {
			top, vi := dk[i*cols:(i+1)*cols], zt[(n+i)*cols:(n+i+1)*cols]
			bot, xi := dk[(n+i)*cols:(n+i+1)*cols], zt[i*cols:(i+1)*cols]
			for c := range cols {
				top[c] = vi[c]
				bot[c] = -xi[c]
			}
		}
		for b := 0; b+1 < n; b++ {
			g := p.bondStiff(w.z[b] - w.z[b+1])
			if g == 0 {
				continue
			}
			xb, xb1 := zt[b*cols:(b+1)*cols], zt[(b+1)*cols:(b+2)*cols]
			rb, rb1 := dk[(n+b)*cols:(n+b+1)*cols], dk[(n+b+1)*cols:(n+b+2)*cols]
			for c := range cols {
				d := g * (xb[c] - xb1[c])
				rb[c] -= d
				rb1[c] += d
			}
		}
		dk[(m-1)*cols+m]++
	}
	h6 := h / 6
	for i := range m {
		out[i] = s[i] + h6*(w.k[0][i]+2*w.k[1][i]+2*w.k[2][i]+w.k[3][i])
	}
	if tan != nil {
		for i := range tan {
			tan[i] = h6 * (w.dk[0][i] + 2*w.dk[1][i] + 2*w.dk[2][i] + w.dk[3][i])
		}
		for i := range m {
			tan[i*cols+i]++
		}
	}
}

// Step writes one RK4 step from state s under control u into next (which
// may alias s).
func (p Params) Step(next, s []float64, u float64) error {
	if err := p.Validate(); err != nil {
		return err
	}
	m := p.StateSize()
	if len(next) != m || len(s) != m {
		return fmt.Errorf("%w: Step needs states of length %d", ErrSize, m)
	}
	p.step(next, s, u, nil, newWork(p, false))
	return nil
}

// StepJacobian writes ∂Step/∂(s, u) at (s, u) into jac: 2·Nx rows and
// 2·Nx+1 columns, row-major, the last column being ∂/∂u.
func (p Params) StepJacobian(jac, s []float64, u float64) error {
	if err := p.Validate(); err != nil {
		return err
	}
	m := p.StateSize()
	if len(jac) != m*(m+1) || len(s) != m {
		return fmt.Errorf("%w: StepJacobian needs a state of length %d and a %d×%d Jacobian", ErrSize, m, m, m+1)
	}
	next := make([]float64, m)
	p.step(next, s, u, jac, newWork(p, false))
	return nil
}
