//go:build amd64 && !purego

package symeig

import (
	"math"
	"math/rand/v2"
	"testing"

	"golang.org/x/sys/cpu"
)

// The AVX2 kernel (not the default on AVX-512 machines) agrees with the
// Go one on a sweep over 131 columns (32 whole blocks and a tail).
func TestRotateAVX2(t *testing.T) {
	if !cpu.X86.HasAVX2 || !cpu.X86.HasFMA {
		t.Skip("no AVX2+FMA")
	}
	r := rand.New(rand.NewPCG(9, 10))
	const n, m, cnt = 131, 90, 60
	z := make([]float64, n*n)
	for i := range z {
		z[i] = r.NormFloat64()
	}
	c, s := make([]float64, cnt), make([]float64, cnt)
	for k := range c {
		th := r.Float64() * 2 * math.Pi
		c[k], s[k] = math.Cos(th), math.Sin(th)
	}
	want := append([]float64(nil), z...)
	rotateGo(want, n, m, c, s, 0)
	old := isa.Load()
	isa.Store(1)
	rotate(z, n, m, c, s)
	isa.Store(old)
	for i := range z {
		if math.Abs(z[i]-want[i]) > 1e-13 {
			t.Fatalf("entry %d: AVX2 %v, Go %v", i, z[i], want[i])
		}
	}
}
