package train

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/lapack"
	"gonum.org/v1/gonum/lapack/gonum"
)

// ErrSVD reports a singular value decomposition that did not converge.
var ErrSVD = errors.New("train: SVD did not converge")

// pinvSolver applies truncated powers of a matrix's pseudo-inverse,
//
//	A^{-p} g = V Σ^{-p} Uᵀ g,   A = U Σ Vᵀ (thin SVD),
//
// with singular values below τ·σmax set to zero (dropped, not clamped):
// p = ½ is the half-inverse of HIG, p = 1 Gauss-Newton's pseudo-inverse.
//
// The SVD is LAPACK's own route for a rectangular matrix, in gonum's
// implementation, without forming U and V: an LQ (wide A) or QR (tall A)
// factorisation reduces A to a square triangle T, T is bidiagonalised and
// the bidiagonal SVD (Dbdsqr) yields σ, Uᵀ applied to the one right-hand
// side and the right vectors of the small problem only. Forming the thin V
// of a 128 × 1,444 HIG Jacobian, as mat.SVD does, costs more than the whole
// factorisation. The results are those of the SVD to rounding (tested
// against mat.SVD).
//
// A pinvSolver keeps its scratch between calls and is not safe for
// concurrent use.
type pinvSolver struct {
	impl                     gonum.Implementation
	tau, tq, tp, d, e        []float64
	small, vt, c, y, w, work []float64
	// sv holds the singular values of the last apply, in decreasing order.
	sv []float64
}

// grow returns s with length n, reallocating only when it is too short.
func grow(s []float64, n int) []float64 {
	if cap(s) < n {
		return make([]float64, n)
	}
	return s[:n]
}

// apply writes A^{-p}·g into dst (n values) for the row-major m×n matrix a
// (overwritten: it holds the factorisation afterwards) and g (m values, not
// modified). It returns the number of singular values kept.
func (s *pinvSolver) apply(dst, a []float64, m, n int, g []float64, tau, p float64) (int, error) {
	if m <= 0 || n <= 0 || len(a) != m*n || len(g) != m || len(dst) != n {
		return 0, fmt.Errorf("train: pseudo-inverse of a %d×%d matrix with %d values, %d right-hand side and %d outputs", m, n, len(a), len(g), len(dst))
	}
	if !(tau >= 0 && tau < 1) {
		return 0, fmt.Errorf("train: singular-value cut τ = %v outside [0, 1)", tau)
	}
	k := min(m, n)
	s.tau = grow(s.tau, k)
	s.small = grow(s.small, k*k)
	s.c = grow(s.c, max(m, n))
	clear(s.small)
	if m < n {
		// A = L·Q with Q's rows orthonormal: A^{-p} = Qᵀ·L^{-p}.
		s.ensureWork(s.lqWork(m, n))
		s.blockedLQ(m, n, a)
		for i := 0; i < m; i++ {
			copy(s.small[i*k:i*k+i+1], a[i*n:i*n+i+1])
		}
		copy(s.c, g)
		if err := s.applySmall(dst[:k], s.c[:k], k, tau, p); err != nil {
			return 0, err
		}
		clear(dst[k:])
		// Unblocked: Dormlq's block reflector (Dlarft) costs more than it
		// saves for one right-hand side.
		s.impl.Dorml2(blas.Left, blas.Trans, n, 1, m, a, n, s.tau, dst, 1, s.work)
	} else {
		// A = Q·R with Q's columns orthonormal: A^{-p} = R^{-p}·Qᵀ.
		s.ensureWork(s.qrWork(m, n))
		s.impl.Dgeqrf(m, n, a, n, s.tau, s.work, len(s.work))
		for i := 0; i < n; i++ {
			copy(s.small[i*k+i:i*k+k], a[i*n+i:i*n+n])
		}
		c := s.c[:m]
		copy(c, g)
		s.impl.Dormqr(blas.Left, blas.Trans, m, 1, n, a, n, s.tau, c, 1, s.work, len(s.work))
		if err := s.applySmall(dst, c[:k], k, tau, p); err != nil {
			return 0, err
		}
	}
	kept := 0
	for _, v := range s.sv {
		if v >= tau*s.sv[0] && v > 0 {
			kept++
		}
	}
	return kept, nil
}

// applySmall writes M^{-p}·h into z for the k×k matrix in s.small
// (destroyed); h is overwritten. A non-finite entry anywhere in A ends up
// in M (the Householder norms propagate it), so M is where it is caught.
func (s *pinvSolver) applySmall(z, h []float64, k int, tau, p float64) error {
	if !finite64(s.small) || !finite64(h) {
		return fmt.Errorf("%w in the Jacobian or the loss gradient", ErrNonFinite)
	}
	s.d, s.e = grow(s.d, k), grow(s.e, k)
	s.tq, s.tp = grow(s.tq, k), grow(s.tp, k)
	s.vt = grow(s.vt, k*k)
	s.y, s.w = grow(s.y, k), grow(s.w, k)
	s.ensureWork(s.brdWork(k))
	m := s.small
	// M = Q_b·B·P_bᵀ with B upper bidiagonal.
	s.impl.Dgebrd(k, k, m, k, s.d, s.e, s.tq, s.tp, s.work, len(s.work))
	s.impl.Dormbr(lapack.ApplyQ, blas.Left, blas.Trans, k, 1, k, m, k, s.tq, h, 1, s.work, len(s.work))
	// B = Q_B·Σ·P_Bᵀ: h ← Q_Bᵀ·h, vt ← P_Bᵀ.
	clear(s.vt)
	for i := 0; i < k; i++ {
		s.vt[i*k+i] = 1
	}
	if !s.impl.Dbdsqr(blas.Upper, k, k, 0, 1, s.d, s.e[:max(k-1, 1)], s.vt, k, nil, 1, h, 1, s.work) {
		return fmt.Errorf("%w (%d×%d bidiagonal)", ErrSVD, k, k)
	}
	s.sv = s.d
	// w = Σ^{-p}·h with the small singular values dropped.
	lim := tau * s.d[0]
	for i, v := range s.d {
		if v > 0 && v >= lim {
			s.w[i] = h[i] / math.Pow(v, p)
		} else {
			s.w[i] = 0
		}
	}
	// z = P_b·P_B·w.
	blas64.Gemv(blas.Trans, 1, blas64.General{Rows: k, Cols: k, Stride: k, Data: s.vt}, blas64.Vector{N: k, Inc: 1, Data: s.w}, 0, blas64.Vector{N: k, Inc: 1, Data: z})
	s.impl.Dormbr(lapack.ApplyP, blas.Left, blas.NoTrans, k, 1, k, m, k, s.tp, z, 1, s.work, len(s.work))
	return nil
}

// lqBlock is the panel width of blockedLQ.
const lqBlock = 16

// blockedLQ is Dgelqf without its crossover: gonum switches to the
// unblocked (matrix-vector) code below 128 rows, which is exactly the HIG
// Jacobian's height, and the blocked code is about twice as fast there.
func (s *pinvSolver) blockedLQ(m, n int, a []float64) {
	k := min(m, n)
	nb := lqBlock
	work := s.work
	i := 0
	for ; i+nb < k; i += nb {
		s.impl.Dgelq2(nb, n-i, a[i*n+i:], n, s.tau[i:], work)
		s.impl.Dlarft(lapack.Forward, lapack.RowWise, n-i, nb, a[i*n+i:], n, s.tau[i:], work, nb)
		s.impl.Dlarfb(blas.Right, blas.NoTrans, lapack.Forward, lapack.RowWise, m-i-nb, n-i, nb,
			a[i*n+i:], n, work, nb, a[(i+nb)*n+i:], n, work[nb*nb:], nb)
	}
	s.impl.Dgelq2(m-i, n-i, a[i*n+i:], n, s.tau[i:], work)
}

// ensureWork grows the LAPACK workspace to n values.
func (s *pinvSolver) ensureWork(n int) {
	n = max(n, 1)
	if len(s.work) < n {
		s.work = make([]float64, n)
	}
}

// The workspace queries (lwork = -1) of the routines each path calls.
// lqWork covers blockedLQ (Dorml2 needs one value for one right-hand side).
func (s *pinvSolver) lqWork(m, n int) int {
	need := lqBlock*lqBlock + m*lqBlock + max(m, n)
	return max(need, s.brdWork(m))
}

func (s *pinvSolver) qrWork(m, n int) int {
	var q [1]float64
	s.impl.Dgeqrf(m, n, nil, n, nil, q[:], -1)
	need := int(q[0])
	s.impl.Dormqr(blas.Left, blas.Trans, m, 1, n, nil, n, nil, nil, 1, q[:], -1)
	return max(need, int(q[0]), s.brdWork(n))
}

func (s *pinvSolver) brdWork(k int) int {
	var q [1]float64
	s.impl.Dgebrd(k, k, nil, k, nil, nil, nil, nil, q[:], -1)
	need := int(q[0])
	s.impl.Dormbr(lapack.ApplyQ, blas.Left, blas.Trans, k, 1, k, nil, k, nil, nil, 1, q[:], -1)
	need = max(need, int(q[0]))
	s.impl.Dormbr(lapack.ApplyP, blas.Left, blas.NoTrans, k, 1, k, nil, k, nil, nil, 1, q[:], -1)
	return max(need, int(q[0]), 4*(k-1))
}
