package heat

import (
	"testing"
)

// BenchmarkForwardInverseBatch128 is the physics of one SIP training step
// of SPEC R6: diffusion plus damped inverse for 128 fields of 64×64. The
// authors' PyTorch code needs 0.088 s for this on 2 cores
// (refs/heat_step_timing.json).
func BenchmarkForwardInverseBatch128(b *testing.B) {
	const n = 128
	x, yt, err := exampleBatch(n, 1)
	if err != nil {
		b.Fatal(err)
	}
	bt, err := NewBatch(64, 64, Settings{}, 0)
	if err != nil {
		b.Fatal(err)
	}
	y := make([]float64, len(x))
	dx := make([]float64, len(x))
	b.ReportAllocs()
	for b.Loop() {
		if err := bt.ForwardInverse(y, dx, x, yt); err != nil {
			b.Fatal(err)
		}
	}
}
