package f64

import (
	"math"
	"math/rand/v2"
	"testing"
)

// The kernels against plain loops, with and without assembly, for all
// lengths around the vector widths.
func TestKernels(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	vec := func(n int) []float64 {
		v := make([]float64, n)
		for i := range v {
			v[i] = r.NormFloat64()
		}
		return v
	}
	for _, on := range []bool{true, false} {
		prev := UseAsm(on)
		for n := 0; n <= 70; n++ {
			x, y, w := vec(n), vec(n), vec(n)
			var want, mag float64
			for i := range x {
				want += x[i] * y[i]
				mag += math.Abs(x[i] * y[i])
			}
			if got := Dot(x, y); math.Abs(got-want) > 1e-15*(mag+1) {
				t.Fatalf("asm %v, n %d: Dot %v, want %v", on, n, got, want)
			}
			y1, y2 := append([]float64(nil), y...), append([]float64(nil), y...)
			Axpy(y1, 0.3, x)
			Axpy2(y2, -0.7, x, 1.9, w)
			for i := range y {
				if d := y1[i] - (y[i] + 0.3*x[i]); math.Abs(d) > 1e-15*4 {
					t.Fatalf("asm %v, n %d: Axpy[%d] off by %g", on, n, i, d)
				}
				if d := y2[i] - (y[i] - 0.7*x[i] + 1.9*w[i]); math.Abs(d) > 1e-15*8 {
					t.Fatalf("asm %v, n %d: Axpy2[%d] off by %g", on, n, i, d)
				}
			}
		}
		UseAsm(prev)
	}
}
