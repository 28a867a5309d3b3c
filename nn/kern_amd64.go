//go:build amd64 && !purego

package nn

import (
	"os"

	"golang.org/x/sys/cpu"
)

// useAVX2 selects the assembly kernels (AVX2+FMA; x/sys/cpu checks that
// the OS saves the ymm state). PHYSGRAD_NOASM=1 turns them off, like the
// gemm package.
var useAVX2 = cpu.X86.HasAVX2 && cpu.X86.HasFMA && os.Getenv("PHYSGRAD_NOASM") == ""

//go:noescape
func sumSqAVX2(x *float32, n int) (s1, s2 float64)

//go:noescape
func reluSumDotAVX2(dy, y, x *float32, n int, mean float64) (s1, s2 float64)

//go:noescape
func reluBNGradAVX2(dx, dy, y, x *float32, n int, s, a, mu, c float32)

//go:noescape
func affineReLUAVX2(y, x *float32, n int, a, b float32)

//go:noescape
func outerAVX2(dst, d *float32, nd int, a *float32, na int)

// outerAsm writes dst[j·len(a)+i] = d[j]·a[i]; false if it did nothing.
func outerAsm(dst, d, a []float32) bool {
	if !useAVX2 || len(d) == 0 || len(a) == 0 {
		return false
	}
	_ = dst[len(d)*len(a)-1]
	outerAVX2(&dst[0], &d[0], len(d), &a[0], len(a))
	return true
}

// The wrappers run the multiple-of-8 head in assembly and return how many
// elements they did; the callers finish the tail in Go.

func sumSqAsm(x []float32) (s1, s2 float64, done int) {
	n := len(x) &^ 7
	if !useAVX2 || n == 0 {
		return 0, 0, 0
	}
	s1, s2 = sumSqAVX2(&x[0], n)
	return s1, s2, n
}

func reluSumDotAsm(dy, y, x []float32, mean float64) (s1, s2 float64, done int) {
	n := len(dy) &^ 7
	if !useAVX2 || n == 0 {
		return 0, 0, 0
	}
	_, _ = y[n-1], x[n-1]
	s1, s2 = reluSumDotAVX2(&dy[0], &y[0], &x[0], n, mean)
	return s1, s2, n
}

func reluBNGradAsm(dx, dy, y, x []float32, s, a, mu, c float32) int {
	n := len(dx) &^ 7
	if !useAVX2 || n == 0 {
		return 0
	}
	_, _, _ = dy[n-1], y[n-1], x[n-1]
	reluBNGradAVX2(&dx[0], &dy[0], &y[0], &x[0], n, s, a, mu, c)
	return n
}

func affineReLUAsm(y, x []float32, a, b float32) int {
	n := len(x) &^ 7
	if !useAVX2 || n == 0 {
		return 0
	}
	_ = y[n-1]
	affineReLUAVX2(&y[0], &x[0], n, a, b)
	return n
}
