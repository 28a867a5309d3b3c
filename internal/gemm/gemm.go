// Package gemm is physgrad's float32 matrix-multiply kernel, the one place
// the network code spends its time. Row-major throughout:
//
//	C = alpha·op(A)·op(B) + beta·C,   op(A) m×k, op(B) k×n, C m×n.
//
// The work is cache-blocked (k in kc blocks, B in kc×nc blocks, A in mc×kc
// blocks), the blocks are packed into micro-panels unless the caller's
// layout already is one, and register-tiled micro-kernels do the FMAs:
// AVX-512 (8×48 tile, or 24×16 for thin C) or AVX2+FMA (4×24, 12×8) in Go
// assembly on amd64, a 4×4 Go kernel elsewhere. A·Bᵀ with long k (the
// weight gradient of an im2col convolution) uses an AVX-512 dot-product
// kernel that needs no packing. WindowMM and WindowDot are the products of
// a stride-1 convolution read straight from a padded input through an
// offset table (no im2col matrix).
//
// Results are deterministic: every element of C is computed by exactly one
// goroutine with a fixed k order, and the partition of C into chunks
// depends only on the shape, so the bits do not depend on GOMAXPROCS, and
// Sgemm and SgemmSerial agree exactly.
//
// Set PHYSGRAD_NOASM=1 (read at init), call UseAsm(false), or build with
// -tags purego to run the portable kernels.
package gemm

import "fmt"

// Sgemm computes C = alpha·op(A)·op(B) + beta·C for row-major matrices.
// transA/transB select op(X) = Xᵀ. lda, ldb, ldc are row strides. Large
// products are split over up to GOMAXPROCS goroutines. When beta == 0, C
// is only written (NaNs in it are overwritten). It panics if a stride or
// slice is too small for the stated shape, like an out-of-range index.
func Sgemm(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	run(false, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

// SgemmSerial is Sgemm on the calling goroutine only, for callers that
// parallelise over independent products themselves. Its results are
// bitwise identical to Sgemm's.
func SgemmSerial(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	run(true, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

func run(serial, transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	if m < 0 || n < 0 || k < 0 {
		panic(fmt.Sprintf("gemm: negative dimension m=%d n=%d k=%d", m, n, k))
	}
	checkMat("C", false, m, n, c, ldc)
	if m == 0 || n == 0 {
		return
	}
	if alpha == 0 || k == 0 {
		scale(m, n, beta, c, ldc)
		return
	}
	checkMat("A", transA, m, k, a, lda)
	checkMat("B", transB, k, n, b, ldb)
	dispatch(serial, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

// checkMat panics unless x holds an r×cl matrix op(X) (stored transposed
// if trans) with row stride ld.
func checkMat(name string, trans bool, r, cl int, x []float32, ld int) {
	if trans {
		r, cl = cl, r
	}
	if ld < max(1, cl) {
		panic(fmt.Sprintf("gemm: ld%s=%d < %d columns", name, ld, cl))
	}
	if r > 0 && cl > 0 && len(x) < (r-1)*ld+cl {
		panic(fmt.Sprintf("gemm: len(%s)=%d too short for %d×%d with stride %d", name, len(x), r, cl, ld))
	}
}

// scale sets C = beta·C (C = 0 when beta == 0, whatever C held).
func scale(m, n int, beta float32, c []float32, ldc int) {
	if beta == 1 {
		return
	}
	for i := 0; i < m; i++ {
		row := c[i*ldc : i*ldc+n]
		if beta == 0 {
			clear(row)
			continue
		}
		for j := range row {
			row[j] *= beta
		}
	}
}
