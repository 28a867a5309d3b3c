// Package symeig computes the eigen-decomposition of a small dense
// symmetric matrix, A = Uᵀ·Λ·U with the eigenvectors as the ROWS of U, in
// the classical way: Householder tridiagonalisation, the orthogonal
// factor formed explicitly, and implicit QL with Wilkinson-type shifts
// (EISPACK's tql2). It exists because gonum's mat.EigenSym takes 8.8 ms
// at 128 × 128 with vectors, most of it in a scalar rotation loop over
// column-strided vectors: here every rotation combines two contiguous
// rows, and the rotations of one QL sweep are applied in a single pass
// over the rows (the carried row stays in registers) by an AVX-512 or
// AVX2 kernel, with a pure-Go fallback (PHYSGRAD_NOASM=1, UseAsm(false)
// or -tags purego select it).
//
// The accuracy is that of LAPACK's dsyev: eigenvalues to a few ε·‖A‖
// absolute, orthogonal vectors to a few ε.
package symeig

import (
	"errors"
	"fmt"
	"math"
)

// ErrNoConvergence reports a QL iteration that did not converge (it does
// not happen for finite input; the limit guards against NaNs).
var ErrNoConvergence = errors.New("symeig: QL iteration did not converge")

// ErrNonFinite reports a NaN or infinite input entry.
var ErrNonFinite = errors.New("symeig: non-finite matrix entry")

// Eigen is a workspace and the result of the last Factor. It is not safe
// for concurrent use.
type Eigen struct {
	// N is the order of the last factorised matrix.
	N int
	// Values are the eigenvalues in ascending order.
	Values []float64
	// Vectors holds the eigenvectors as rows, N × N row-major: row i
	// belongs to Values[i]. Nil after a values-only Factor.
	Vectors []float64

	a, hv, tau, e, p, c, s []float64
	vecs                   []float64
	perm                   []int // sorted position → QL index
	// The QL rotations of a values-only Factor, sweep by sweep: sweep j
	// has cnt[j] rotations starting at row m[j], their (c, s) back to back
	// in rc, rs. They let ToEigenbasis and FromEigenbasis apply U without
	// forming it.
	rm, rcnt []int
	rc, rs   []float64
	t        []float64
}

// grow returns s with length n, reallocating only when it is too short.
func grow(s []float64, n int) []float64 {
	if cap(s) < n {
		return make([]float64, n)
	}
	return s[:n]
}

// Factor decomposes the symmetric n × n matrix a (row-major; only the
// lower triangle is read, a is not modified). With vectors false the
// eigenvectors are not formed, which is several times cheaper: the
// Householder reflectors and the QL rotations are kept instead, so
// ToEigenbasis and FromEigenbasis still apply U and Uᵀ to vectors, in
// O(n²) each.
func (e *Eigen) Factor(a []float64, n int, vectors bool) error {
	if n <= 0 || len(a) != n*n {
		return fmt.Errorf("symeig: %d values for a %d × %d matrix", len(a), n, n)
	}
	e.N = n
	e.a = grow(e.a, n*n)
	// Scale to max |a| = 1 so that the norms below cannot overflow or
	// underflow; the eigenvalues scale back exactly (a power of two).
	amax := 0.0
	for i := 0; i < n; i++ {
		for _, v := range a[i*n : i*n+i+1] {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return ErrNonFinite
			}
			amax = max(amax, math.Abs(v))
		}
	}
	scale := 1.0
	if amax > 0 {
		_, ex := math.Frexp(amax)
		scale = math.Ldexp(1, ex)
	}
	inv := 1 / scale
	for i := 0; i < n; i++ {
		src, dst := a[i*n:i*n+i+1], e.a[i*n:i*n+i+1]
		for j, v := range src {
			dst[j] = v * inv
		}
	}
	e.Values = grow(e.Values, n)
	e.e = grow(e.e, n)
	e.tau = grow(e.tau, n)
	e.p = grow(e.p, n)
	e.hv = grow(e.hv, n*n)
	e.tridiagonalise(n)
	var z []float64
	e.rm, e.rcnt, e.rc, e.rs = e.rm[:0], e.rcnt[:0], e.rc[:0], e.rs[:0]
	if vectors {
		e.vecs = grow(e.vecs, n*n)
		z = e.vecs
		e.formQT(z, n)
		e.Vectors = z
	} else {
		e.Vectors = nil
	}
	if err := e.ql(z, n); err != nil {
		return err
	}
	for i := range e.Values {
		e.Values[i] *= scale
	}
	e.sort(z, n)
	return nil
}

// sort orders the eigenvalues ascending, moving the vector rows along.
func (e *Eigen) sort(z []float64, n int) {
	d := e.Values
	if cap(e.perm) < n {
		e.perm = make([]int, n)
	}
	e.perm = e.perm[:n]
	for i := range e.perm {
		e.perm[i] = i
	}
	for i := 0; i < n-1; i++ {
		k := i
		for j := i + 1; j < n; j++ {
			if d[j] < d[k] {
				k = j
			}
		}
		if k == i {
			continue
		}
		d[i], d[k] = d[k], d[i]
		e.perm[i], e.perm[k] = e.perm[k], e.perm[i]
		if z != nil {
			ri, rk := z[i*n:(i+1)*n], z[k*n:(k+1)*n]
			for j := range ri {
				ri[j], rk[j] = rk[j], ri[j]
			}
		}
	}
}

// ToEigenbasis writes y = U·g (n values each): y[i] is the component of g
// along the eigenvector of Values[i].
func (e *Eigen) ToEigenbasis(y, g []float64) {
	n := e.N
	y, g = y[:n], g[:n]
	if e.Vectors != nil {
		for i := range y {
			y[i] = dot(e.Vectors[i*n:(i+1)*n], g)
		}
		return
	}
	e.t = grow(e.t, n)
	t := e.t
	copy(t, g)
	// Qᵀ·g = Hₙ₋₃···H₀·g.
	for k := 0; k+2 < n; k++ {
		if tau := e.tau[k]; tau != 0 {
			v := e.hv[k*n+k+1 : (k+1)*n]
			axpy(t[k+1:], -tau*dot(v, t[k+1:]), v)
		}
	}
	// The rotations in the order QL applied them to the rows.
	off := 0
	for j, m := range e.rm {
		cnt := e.rcnt[j]
		cs, ss := e.rc[off:off+cnt], e.rs[off:off+cnt]
		for k, c := range cs {
			s, i := ss[k], m-1-k
			x, y := t[i], t[i+1]
			t[i+1], t[i] = s*x+c*y, c*x-s*y
		}
		off += cnt
	}
	for i, p := range e.perm {
		y[i] = t[p]
	}
}

// FromEigenbasis writes g = Uᵀ·y, the inverse of ToEigenbasis.
func (e *Eigen) FromEigenbasis(g, y []float64) {
	n := e.N
	y, g = y[:n], g[:n]
	if e.Vectors != nil {
		clear(g)
		for i, yi := range y {
			axpy(g, yi, e.Vectors[i*n:(i+1)*n])
		}
		return
	}
	e.t = grow(e.t, n)
	t := e.t
	for i, p := range e.perm {
		t[p] = y[i]
	}
	off := len(e.rc)
	for j := len(e.rm) - 1; j >= 0; j-- {
		m, cnt := e.rm[j], e.rcnt[j]
		off -= cnt
		cs, ss := e.rc[off:off+cnt], e.rs[off:off+cnt]
		for k := cnt - 1; k >= 0; k-- {
			c, s, i := cs[k], ss[k], m-1-k
			x, y := t[i], t[i+1]
			t[i], t[i+1] = c*x+s*y, c*y-s*x
		}
	}
	// Q·t = H₀···Hₙ₋₃·t.
	for k := n - 3; k >= 0; k-- {
		if tau := e.tau[k]; tau != 0 {
			v := e.hv[k*n+k+1 : (k+1)*n]
			axpy(t[k+1:], -tau*dot(v, t[k+1:]), v)
		}
	}
	copy(g, t)
}
