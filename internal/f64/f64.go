// Package f64 has the few float64 vector kernels of the small dense
// factorisations (internal/symeig) and of nn's Gram matrix: dot product,
// axpy and a two-term axpy, in AVX-512 assembly on CPUs that have it and
// in Go otherwise (PHYSGRAD_NOASM=1, UseAsm(false) or -tags purego select
// Go, like internal/gemm). The assembly uses fused multiply-adds and eight
// partial sums, so its results differ from the Go loops' by rounding.
package f64

// Dot returns x·y over len(x) values (len(y) ≥ len(x)).
func Dot(x, y []float64) float64 {
	y = y[:len(x)]
	s, i := dotAsm(x, y)
	var s0, s1, s2, s3 float64
	for ; i+4 <= len(x); i += 4 {
		xx, yy := x[i:i+4:i+4], y[i:i+4:i+4]
		s0 += xx[0] * yy[0]
		s1 += xx[1] * yy[1]
		s2 += xx[2] * yy[2]
		s3 += xx[3] * yy[3]
	}
	for ; i < len(x); i++ {
		s0 += x[i] * y[i]
	}
	return s + ((s0 + s1) + (s2 + s3))
}

// Axpy does y += a·x over len(y) values (len(x) ≥ len(y)).
func Axpy(y []float64, a float64, x []float64) {
	x = x[:len(y)]
	i := axpyAsm(y, a, x)
	for ; i+4 <= len(y); i += 4 {
		xx, yy := x[i:i+4:i+4], y[i:i+4:i+4]
		yy[0] += a * xx[0]
		yy[1] += a * xx[1]
		yy[2] += a * xx[2]
		yy[3] += a * xx[3]
	}
	for ; i < len(y); i++ {
		y[i] += a * x[i]
	}
}

// Axpy2 does y += a·x + b·w over len(y) values.
func Axpy2(y []float64, a float64, x []float64, b float64, w []float64) {
	x, w = x[:len(y)], w[:len(y)]
	i := axpy2Asm(y, a, x, b, w)
	for ; i < len(y); i++ {
		y[i] += a*x[i] + b*w[i]
	}
}
