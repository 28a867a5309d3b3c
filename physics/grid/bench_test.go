package grid

import "testing"

func BenchmarkRFFT2RoundTrip64(b *testing.B) {
	p, _ := NewRFFT2(64, 64)
	x := make([]float64, 64*64)
	for i := range x {
		x[i] = float64(i % 7)
	}
	spec := make([]complex128, p.SpectrumLen())
	b.ReportAllocs()
	for b.Loop() {
		_ = p.Forward(spec, x)
		_ = p.Inverse(x, spec)
	}
}
