//go:build amd64 && !purego

package f64

import (
	"os"
	"sync/atomic"

	"golang.org/x/sys/cpu"
)

var asm atomic.Bool

func init() {
	asm.Store(cpu.X86.HasAVX512F && os.Getenv("PHYSGRAD_NOASM") != "1")
}

// UseAsm switches the AVX-512 kernels on (if the CPU has them) or off and
// returns whether they were on.
func UseAsm(on bool) (prev bool) {
	return asm.Swap(on && cpu.X86.HasAVX512F)
}

//go:noescape
func dotAVX512(x, y *float64, n int) float64

//go:noescape
func axpyAVX512(y, x *float64, n int, a float64)

//go:noescape
func axpy2AVX512(y, x, w *float64, n int, a, b float64)

// The wrappers run the multiple-of-8 head and return how far they got.

func dotAsm(x, y []float64) (float64, int) {
	n := len(x) &^ 7
	if n == 0 || !asm.Load() {
		return 0, 0
	}
	return dotAVX512(&x[0], &y[0], n), n
}

func axpyAsm(y []float64, a float64, x []float64) int {
	n := len(y) &^ 7
	if n == 0 || !asm.Load() {
		return 0
	}
	axpyAVX512(&y[0], &x[0], n, a)
	return n
}

func axpy2Asm(y []float64, a float64, x []float64, b float64, w []float64) int {
	n := len(y) &^ 7
	if n == 0 || !asm.Load() {
		return 0
	}
	axpy2AVX512(&y[0], &x[0], &w[0], n, a, b)
	return n
}
