//go:build !amd64 || purego

package nn

// Without assembly every kernel is done in Go.

func sumSqAsm(x []float32) (s1, s2 float64, done int) { return 0, 0, 0 }
func reluSumDotAsm(dy, x []float32, fs, fb float32, mean float64) (s1, s2 float64, done int) {
	return 0, 0, 0
}
func reluBNGradAsm(dx, dy, x []float32, fs, fb, s, a, mu, c float32) int { return 0 }
func affineReLUAsm(y, x []float32, a, b float32) int                     { return 0 }
func outerAsm(dst, d, a []float32) bool                                  { return false }
func pad1RowsAsm(dst, src []float32, h, w int, circular bool) bool       { return false }
func lerpRowAsm(dst, a, b []float32, p, q float32) int                   { return 0 }
func axpyRowAsm(dst, x []float32, a float32) int                         { return 0 }

// useAVX2 mirrors the amd64 switch; there is no assembly to turn on here.
var useAVX2 = false
