//go:build !amd64 || purego

package f64

func dotAsm(x, y []float64) (float64, int)                                     { return 0, 0 }
func axpyAsm(y []float64, a float64, x []float64) int                          { return 0 }
func axpy2Asm(y []float64, a float64, x []float64, b float64, w []float64) int { return 0 }

// UseAsm reports false: there is no assembly here.
func UseAsm(on bool) (prev bool) { return false }
