package symeig

import (
	"math"

	"github.com/physgrad/physgrad/internal/f64"
)

// tridiagonalise reduces the lower triangle of e.a to T = Hₙ₋₃···H₀·A·H₀···Hₙ₋₃
// (LAPACK's dsytd2, lower, top-down): T's diagonal goes to e.Values, its
// sub-diagonal to e.e (e[k] = T[k+1,k], e[n−1] = 0), reflector k's vector
// to e.hv[k·n+k+1:(k+1)·n] (leading 1 explicit) and its factor to e.tau[k].
// Every inner loop runs along a row of the triangle: the product A₂₂·v and
// the rank-2 update are row dot products and row axpys.
func (e *Eigen) tridiagonalise(n int) {
	a, d, sub := e.a, e.Values, e.e
	for k := 0; k+2 < n; k++ {
		m := n - k - 1
		v := e.hv[k*n+k+1 : (k+1)*n]
		for i := range v {
			v[i] = a[(k+1+i)*n+k]
		}
		d[k] = a[k*n+k]
		alpha := v[0]
		xn := 0.0
		for _, x := range v[1:] {
			xn += x * x
		}
		if xn == 0 {
			e.tau[k], sub[k] = 0, alpha
			clear(v)
			continue
		}
		beta := -math.Copysign(math.Sqrt(alpha*alpha+xn), alpha)
		tau := (beta - alpha) / beta
		f := 1 / (alpha - beta)
		v[0] = 1
		for i := 1; i < m; i++ {
			v[i] *= f
		}
		e.tau[k], sub[k] = tau, beta
		// p = τ·A₂₂·v from the lower triangle.
		p := e.p[:m]
		clear(p)
		for i := 0; i < m; i++ {
			row := a[(k+1+i)*n+k+1 : (k+1+i)*n+k+2+i]
			vi := v[i]
			p[i] += dot(row[:i], v[:i]) + row[i]*vi
			axpy(p[:i], vi, row[:i])
		}
		for i := range p {
			p[i] *= tau
		}
		// w = p − ½τ(pᵀv)·v; A₂₂ ← A₂₂ − v·wᵀ − w·vᵀ.
		axpy(p, -0.5*tau*dot(p, v), v)
		for i := 0; i < m; i++ {
			row := a[(k+1+i)*n+k+1 : (k+1+i)*n+k+2+i]
			axpy2(row, -v[i], p[:i+1], -p[i], v[:i+1])
		}
	}
	switch {
	case n == 1:
		d[0], sub[0] = a[0], 0
	default:
		d[n-2], d[n-1] = a[(n-2)*n+n-2], a[(n-1)*n+n-1]
		sub[n-2], sub[n-1] = a[(n-1)*n+n-2], 0
	}
}

// formQT writes Qᵀ = Hₙ₋₃···H₀ into z (n × n), accumulated as
// z ← z·H_k for k = n−3 … 0 from the identity: each step is a dot product
// and an axpy per row, and rows above k+1 are untouched.
func (e *Eigen) formQT(z []float64, n int) {
	clear(z)
	for i := 0; i < n; i++ {
		z[i*n+i] = 1
	}
	for k := n - 3; k >= 0; k-- {
		tau := e.tau[k]
		if tau == 0 {
			continue
		}
		v := e.hv[k*n+k+1 : (k+1)*n]
		for i := k + 1; i < n; i++ {
			row := z[i*n+k+1 : (i+1)*n]
			axpy(row, -tau*dot(row, v), v)
		}
	}
}

// The vector kernels (AVX-512 where available).
var (
	dot   = f64.Dot
	axpy  = f64.Axpy
	axpy2 = f64.Axpy2
)
