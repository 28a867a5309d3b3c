package nn

import (
	"unsafe"

	"github.com/physgrad/physgrad/internal/gemm"
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
)

// Float is the element type of a network: float32 for training, float64
// for gradient checks.
type Float interface{ float32 | float64 }

// is32 reports whether T is float32.
func is32[T Float]() bool {
	var z T
	return unsafe.Sizeof(z) == 4
}

// as32 reinterprets a []T known to be []float32 (no copy).
func as32[T Float](s []T) []float32 {
	if len(s) == 0 {
		return nil
	}
	return unsafe.Slice((*float32)(unsafe.Pointer(unsafe.SliceData(s))), len(s))
}

// as64 reinterprets a []T known to be []float64 (no copy).
func as64[T Float](s []T) []float64 {
	if len(s) == 0 {
		return nil
	}
	return unsafe.Slice((*float64)(unsafe.Pointer(unsafe.SliceData(s))), len(s))
}

// mm is the one matrix product of the package, row-major like gemm.Sgemm:
// C = alpha·op(A)·op(B) + beta·C with op(A) m×k, op(B) k×n. float32 goes to
// internal/gemm (the fast kernel), float64 to gonum's blas64 (tests only).
func mm[T Float](transA, transB bool, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int) {
	mmOn(false, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

// mmSerial is mm on the calling goroutine only (gemm.SgemmSerial), for
// the per-chunk work of the layers, which parallelFor already spreads over
// the cores: nested splitting would only add hand-offs and preemption.
func mmSerial[T Float](transA, transB bool, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int) {
	mmOn(true, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

func mmOn[T Float](serial, transA, transB bool, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int) {
	if m == 0 || n == 0 {
		return
	}
	if k == 0 {
		// Empty inner dimension: C = beta·C (BLAS views reject k = 0).
		for i := 0; i < m; i++ {
			row := c[i*ldc : i*ldc+n]
			for j := range row {
				row[j] *= beta
			}
		}
		return
	}
	if is32[T]() && serial {
		gemm.SgemmSerial(transA, transB, m, n, k, float32(alpha), as32(a), lda, as32(b), ldb, float32(beta), as32(c), ldc)
		return
	}
	if is32[T]() {
		gemm.Sgemm(transA, transB, m, n, k, float32(alpha), as32(a), lda, as32(b), ldb, float32(beta), as32(c), ldc)
		return
	}
	ta, tb := blas.NoTrans, blas.NoTrans
	ar, ac := m, k
	if transA {
		ta, ar, ac = blas.Trans, k, m
	}
	br, bc := k, n
	if transB {
		tb, br, bc = blas.Trans, n, k
	}
	blas64.Gemm(ta, tb, float64(alpha),
		blas64.General{Rows: ar, Cols: ac, Stride: lda, Data: as64(a)},
		blas64.General{Rows: br, Cols: bc, Stride: ldb, Data: as64(b)},
		float64(beta), blas64.General{Rows: m, Cols: n, Stride: ldc, Data: as64(c)})
}
