package symeig

import "math"

// ql diagonalises the tridiagonal T in (e.Values, e.e) by implicit QL
// with shifts (EISPACK tql2, as in JAMA), accumulating the rotations into
// the rows of z when z is not nil. Convergence is tested against ε times
// the largest |d|+|e| seen, so eigenvalues are accurate to a few ε·‖T‖
// absolute.
//
// Each QL sweep over [l, m] generates its rotations from d and e alone;
// they are collected and applied to z in one pass (rotate), which is where
// the O(n³) work of the decomposition is.
func (e *Eigen) ql(z []float64, n int) error {
	d, sub := e.Values, e.e
	e.c, e.s = grow(e.c, n), grow(e.s, n)
	cs, ss := e.c, e.s
	const eps = 0x1p-52
	maxIter, iter := 30*n, 0
	f, tst1 := 0.0, 0.0
	for l := 0; l < n; l++ {
		tst1 = max(tst1, math.Abs(d[l])+math.Abs(sub[l]))
		m := l
		for m < n-1 && math.Abs(sub[m]) > eps*tst1 {
			m++
		}
		for m > l {
			if iter++; iter > maxIter {
				return ErrNoConvergence
			}
			// Shift: the eigenvalue of the leading 2 × 2 block nearer d[l].
			g := d[l]
			p := (d[l+1] - g) / (2 * sub[l])
			r := math.Hypot(p, 1)
			if p < 0 {
				r = -r
			}
			d[l] = sub[l] / (p + r)
			d[l+1] = sub[l] * (p + r)
			dl1 := d[l+1]
			h := g - d[l]
			for i := l + 2; i < n; i++ {
				d[i] -= h
			}
			f += h
			// Implicit QL sweep from m−1 up to l.
			p = d[m]
			c, c2, c3 := 1.0, 1.0, 1.0
			el1 := sub[l+1]
			s, s2 := 0.0, 0.0
			cnt := 0
			for i := m - 1; i >= l; i-- {
				c3, c2, s2 = c2, c, s
				g = c * sub[i]
				h = c * p
				r = hypot(p, sub[i])
				sub[i+1] = s * r
				s, c = sub[i]/r, p/r
				p = c*d[i] - s*g
				d[i+1] = h + s*(c*g+s*d[i])
				cs[cnt], ss[cnt] = c, s
				cnt++
			}
			if z != nil {
				rotate(z, n, m, cs[:cnt], ss[:cnt])
			} else {
				e.rm, e.rcnt = append(e.rm, m), append(e.rcnt, cnt)
				e.rc, e.rs = append(e.rc, cs[:cnt]...), append(e.rs, ss[:cnt]...)
			}
			p = -s * s2 * c3 * el1 * sub[l] / dl1
			sub[l] = s * p
			d[l] = c * p
			if math.Abs(sub[l]) <= eps*tst1 {
				break
			}
		}
		d[l] += f
		sub[l] = 0
	}
	return nil
}

// hypot is √(a²+b²), by the plain formula where it cannot over- or
// underflow (the matrix is scaled to max |a| = 1, so almost always).
func hypot(a, b float64) float64 {
	r := math.Sqrt(a*a + b*b)
	if r > 0x1p-500 && r < 0x1p500 {
		return r
	}
	return math.Hypot(a, b)
}

// rotate applies the rotations (c[k], s[k]) of one QL sweep to the rows of
// z (n × n): rotation k combines rows i = m−1−k and i+1 as
//
//	row[i+1] ← s·row[i] + c·row[i+1],  row[i] ← c·row[i] − s·row[i+1].
//
// Row i's new value is only combined further with row i−1, so a pass down
// the columns carries it in registers: one load and one store per element
// and rotation instead of two of each.
func rotate(z []float64, n, m int, c, s []float64) {
	if len(c) == 0 {
		return
	}
	_ = z[(m-len(c))*n : (m+1)*n]
	j := rotateAsm(z, n, m, c, s)
	rotateGo(z, n, m, c, s, j)
}

// rotateGo is rotate on the columns j0 … n−1, four at a time.
func rotateGo(z []float64, n, m int, c, s []float64, j0 int) {
	s = s[:len(c)]
	j := j0
	for ; j+4 <= n; j += 4 {
		b := z[m*n+j : m*n+j+4 : m*n+j+4]
		y0, y1, y2, y3 := b[0], b[1], b[2], b[3]
		for k, ck := range c {
			sk := s[k]
			o := (m-k-1)*n + j
			x := z[o : o+4 : o+4]
			dst := z[o+n : o+n+4 : o+n+4]
			x0, x1, x2, x3 := x[0], x[1], x[2], x[3]
			dst[0], dst[1], dst[2], dst[3] = sk*x0+ck*y0, sk*x1+ck*y1, sk*x2+ck*y2, sk*x3+ck*y3
			y0, y1, y2, y3 = ck*x0-sk*y0, ck*x1-sk*y1, ck*x2-sk*y2, ck*x3-sk*y3
		}
		o := (m-len(c))*n + j
		t := z[o : o+4 : o+4]
		t[0], t[1], t[2], t[3] = y0, y1, y2, y3
	}
	for ; j < n; j++ {
		y := z[m*n+j]
		for k, ck := range c {
			sk := s[k]
			o := (m-k-1)*n + j
			x := z[o]
			z[o+n] = sk*x + ck*y
			y = ck*x - sk*y
		}
		z[(m-len(c))*n+j] = y
	}
}
