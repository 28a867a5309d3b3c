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
func reluSumDotAVX2(dy, x *float32, n int, fs, fb float32, mean float64) (s1, s2 float64)

//go:noescape
func reluBNGradAVX2(dx, dy, x *float32, n int, fs, fb, s, a, mu, c float32)

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

func reluSumDotAsm(dy, x []float32, fs, fb float32, mean float64) (s1, s2 float64, done int) {
	n := len(dy) &^ 7
	if !useAVX2 || n == 0 {
		return 0, 0, 0
	}
	_ = x[n-1]
	s1, s2 = reluSumDotAVX2(&dy[0], &x[0], n, fs, fb, mean)
	return s1, s2, n
}

func reluBNGradAsm(dx, dy, x []float32, fs, fb, s, a, mu, c float32) int {
	n := len(dx) &^ 7
	if !useAVX2 || n == 0 {
		return 0
	}
	_, _ = dy[n-1], x[n-1]
	reluBNGradAVX2(&dx[0], &dy[0], &x[0], n, fs, fb, s, a, mu, c)
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

//go:noescape
func pad1RowsAVX2(dst, src *float32, h, w int, circular int)

//go:noescape
func lerpRowAVX2(dst, a, b *float32, n int, p, q float32)

//go:noescape
func axpyRowAVX2(dst, x *float32, n int, a float32)

// pad1RowsAsm writes rows 1…h of the 1-cell padded plane dst from the
// h×w plane src; false if it did nothing (no AVX2, w not a multiple of 8).
func pad1RowsAsm(dst, src []float32, h, w int, circular bool) bool {
	if !useAVX2 || w%8 != 0 || h == 0 {
		return false
	}
	_ = src[h*w-1]
	_ = dst[(h+1)*(w+2)+w+1]
	c := 0
	if circular {
		c = 1
	}
	pad1RowsAVX2(&dst[0], &src[0], h, w, c)
	return true
}

// lerpRowAsm writes dst = p·a + q·b over the multiple-of-8 head and
// returns its length.
func lerpRowAsm(dst, a, b []float32, p, q float32) int {
	n := len(dst) &^ 7
	if !useAVX2 || n == 0 {
		return 0
	}
	_, _ = a[n-1], b[n-1]
	lerpRowAVX2(&dst[0], &a[0], &b[0], n, p, q)
	return n
}

// axpyRowAsm adds a·x to dst over the multiple-of-8 head and returns its
// length.
func axpyRowAsm(dst, x []float32, a float32) int {
	n := len(dst) &^ 7
	if !useAVX2 || n == 0 {
		return 0
	}
	_ = x[n-1]
	axpyRowAVX2(&dst[0], &x[0], n, a)
	return n
}
