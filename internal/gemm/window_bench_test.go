package gemm

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// BenchmarkWindow times the windowed products at the U-Net's 3×3 layer
// shapes (one sample): forward/input-gradient WindowMM (m out channels,
// k = cin·9) and weight-gradient WindowDot (m = cout, n = cin·9).
func BenchmarkWindow(b *testing.B) {
	for _, s := range []struct{ m, cin, hw int }{{16, 16, 64}, {16, 32, 64}, {32, 16, 64}, {16, 16, 32}, {16, 32, 32}, {16, 16, 16}} {
		rng := rand.New(rand.NewPCG(1, 1))
		cw := newConvWindow(rng, s.cin, s.hw, s.hw, 3)
		k := len(cw.off)
		a := randSlice(rng, s.m*k)
		c := make([]float32, s.m*s.hw*s.hw)
		flops := 2 * float64(s.m*k*s.hw*s.hw)
		b.Run(fmt.Sprintf("MM/%dx%d/%dx%d", s.m, k, s.hw, s.hw), func(b *testing.B) {
			b.ReportAllocs()
			rate(b, true, flops, func() { WindowMM(s.m, k, s.hw, s.hw, a, k, cw.b, cw.off, cw.ldb, nil, false, c, s.hw*s.hw) })
		})
		dy := randSlice(rng, s.m*s.hw*s.hw)
		gw := make([]float32, s.m*k)
		b.Run(fmt.Sprintf("Dot/%dx%d/%dx%d", s.m, k, s.hw, s.hw), func(b *testing.B) {
			b.ReportAllocs()
			rate(b, true, flops, func() { WindowDot(s.m, k, s.hw, s.hw, dy, s.hw*s.hw, cw.b, cw.off, cw.ldb, gw, k) })
		})
	}
}
