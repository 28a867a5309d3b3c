package poisson

import (
	"errors"
	"fmt"
	"math"

	"github.com/physgrad/physgrad/physics/grid"
)

// ErrNotConverged reports a conjugate-gradient solve that did not reach
// its tolerance within the iteration limit.
var ErrNotConverged = errors.New("poisson: conjugate gradients did not converge")

// CG settings of the authors' solve (phiflow Solve('CG', 1e-5, 0, x0=0)).
const (
	DefaultTol     = 1e-5
	DefaultMaxIter = 1000
)

// CGStats describe one conjugate-gradient solve.
type CGStats struct {
	Iterations int
	// Residual is ‖∇²y − x‖₂ / ‖x‖₂ at the end.
	Residual float64
}

// cgSolver is matrix-free conjugate gradients on −∇² (symmetric positive
// definite with zero ghost cells), starting from y = 0 and stopping per
// field when ‖r‖₂ ≤ tol·‖x‖₂, as phiflow does. It holds scratch: one per
// goroutine.
type cgSolver struct {
	ny, nx  int
	tol     float64
	maxIter int
	r, p, q []float64
}

func newCGSolver(ny, nx int, tol float64, maxIter int) *cgSolver {
	n := ny * nx
	return &cgSolver{ny: ny, nx: nx, tol: tol, maxIter: maxIter, r: make([]float64, n), p: make([]float64, n), q: make([]float64, n)}
}

// solve writes the solution of ∇²y = x into y (y must not alias x).
func (c *cgSolver) solve(y, x []float64) (CGStats, error) {
	// Solve A y = b with A = −∇², b = −x.
	clear(y)
	var bb float64
	for i, v := range x {
		c.r[i] = -v
		bb += v * v
	}
	copy(c.p, c.r)
	rr := bb
	stop := c.tol * c.tol * bb
	for it := 0; ; it++ {
		if rr <= stop {
			return CGStats{Iterations: it, Residual: relRes(rr, bb)}, nil
		}
		if it == c.maxIter {
			st := CGStats{Iterations: it, Residual: relRes(rr, bb)}
			return st, fmt.Errorf("%w: relative residual %.3g after %d iterations (tolerance %.3g)", ErrNotConverged, st.Residual, it, c.tol)
		}
		_ = grid.Laplace(c.q, c.p, c.ny, c.nx, grid.ZeroDirichlet)
		var pq float64
		for i := range c.q {
			c.q[i] = -c.q[i]
			pq += c.p[i] * c.q[i]
		}
		alpha := rr / pq
		var rr1 float64
		for i := range y {
			y[i] += alpha * c.p[i]
			c.r[i] -= alpha * c.q[i]
			rr1 += c.r[i] * c.r[i]
		}
		beta := rr1 / rr
		rr = rr1
		for i := range c.p {
			c.p[i] = c.r[i] + beta*c.p[i]
		}
	}
}

func relRes(rr, bb float64) float64 {
	if bb == 0 {
		return 0
	}
	return math.Sqrt(rr / bb)
}
