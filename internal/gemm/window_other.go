//go:build !amd64 || purego

package gemm

const winAsm = false

func winMMAsm(m, k, rows, w int, a []float32, lda int, b []float32, off []int32, ldb int, bias []float32, add bool, c []float32, ldc int) {
	panic("gemm: no window assembly")
}

func winDotAsm(m, n, rows, w int, a []float32, lda int, b []float32, off []int32, ldb int, c []float32, ldc int) {
	panic("gemm: no window assembly")
}
