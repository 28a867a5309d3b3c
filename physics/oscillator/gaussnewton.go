package oscillator

import (
	"fmt"

	"gonum.org/v1/gonum/mat"
)

// DefaultCut is the relative singular-value cut of the Gauss-Newton inverse
// (the SIP setting of R7): singular values below DefaultCut·σmax are dropped.
const DefaultCut = 1e-5

// checkCut maps 0 to DefaultCut and rejects cuts outside [0, 1).
func checkCut(cut float64) (float64, error) {
	if cut == 0 {
		return DefaultCut, nil
	}
	if !(cut > 0 && cut < 1) {
		return 0, fmt.Errorf("oscillator: singular-value cut %v outside (0, 1)", cut)
	}
	return cut, nil
}

// pinvApply writes pinv(J)·r into dst, J being rows×cols row-major, with
// singular values below cut·σmax treated as zero (dropped, not clamped).
// A zero J gives dst = 0.
func pinvApply(dst, jac []float64, rows, cols int, r []float64, cut float64, svd *mat.SVD) error {
	if !svd.Factorize(mat.NewDense(rows, cols, jac), mat.SVDThin) {
		return fmt.Errorf("oscillator: SVD of the %d×%d rollout Jacobian failed", rows, cols)
	}
	sv := svd.Values(nil)
	var u, v mat.Dense
	svd.UTo(&u)
	svd.VTo(&v)
	clear(dst)
	if len(sv) == 0 || sv[0] == 0 {
		return nil
	}
	lim := cut * sv[0]
	for i, s := range sv {
		if s < lim {
			break // values are sorted in decreasing order
		}
		c := 0.0
		for k := range rows {
			c += u.At(k, i) * r[k]
		}
		c /= s
		for k := range cols {
			dst[k] += c * v.At(k, i)
		}
	}
	return nil
}

// GaussNewton writes one Gauss-Newton step of the rollout from s0 towards
// the final state target into uNew: uNew = u + pinv(J)·(target − P(u)),
// J = ∂P/∂u at u, with singular values below cut·σmax dropped (cut 0 means
// DefaultCut). For the linear system this is the exact minimum-norm inverse;
// for the quartic one it is one step of the iteration.
func (p Params) GaussNewton(uNew, s0, u, target []float64, cut float64) error {
	return p.GaussNewtonBatch(uNew, s0, u, target, 1, cut)
}

// gaussNewton is GaussNewton without checks, on caller-owned scratch.
func (p Params) gaussNewton(uNew, s0, u, target []float64, cut float64, w *batchWork) error {
	m := p.StateSize()
	p.run(w.final, w.jac, s0, u, w.w)
	for i := range m {
		w.res[i] = target[i] - w.final[i]
	}
	if err := pinvApply(w.du, w.jac, m, p.Nt, w.res, cut, &w.svd); err != nil {
		return err
	}
	for k := range uNew {
		uNew[k] = u[k] + w.du[k]
	}
	return nil
}
