package heat

import (
	"math"
	"testing"

	"github.com/physgrad/physgrad/physics/grid"
)

// TestRectanglesExactCoverage replays the draws of one sample and checks
// that the field's total equals Σ strength·(2hx)(2hy): with boxes kept
// inside the domain, fractional coverage must conserve each box's mass.
// Each cell must also be within [0, Σ strengths] and some cells must be
// partially covered (anti-aliased edges).
func TestRectanglesExactCoverage(t *testing.T) {
	for seed := uint64(0); seed < 20; seed++ {
		dst := make([]float64, 64*64)
		if err := Rectangles(dst, 64, 64, grid.SampleRNG(seed, 3)); err != nil {
			t.Fatal(err)
		}
		rng := grid.SampleRNG(seed, 3)
		count := MinBoxes + rng.IntN(MaxBoxes-MinBoxes+1)
		var mass, smax float64
		for range count {
			_, _ = rng.Float64(), rng.Float64()
			hx, hy := rng.Float64()*MaxHalfSize, rng.Float64()*MaxHalfSize
			s := rng.Float64()
			mass += s * 4 * hx * hy
			smax += s
		}
		var sum float64
		for _, v := range dst {
			if v < 0 || v > smax+1e-12 {
				t.Fatalf("seed %d: cell value %v outside [0, %v]", seed, v, smax)
			}
			sum += v
		}
		if math.Abs(sum-mass) > 1e-9*mass {
			t.Fatalf("seed %d: field sum %.12g, boxes' mass %.12g", seed, sum, mass)
		}
	}
}

// TestBoxEdgesAntiAliased: a box over [8.25, 12.75]×[2, 3.5] covers edge
// cells by their area fraction.
func TestBoxEdgesAntiAliased(t *testing.T) {
	dst := make([]float64, 16*16)
	addBox(dst, 16, 16, 10.5, 2.75, 2.25, 0.75, 2)
	wantX := map[int]float64{8: 0.75, 9: 1, 10: 1, 11: 1, 12: 0.75}
	wantY := map[int]float64{2: 1, 3: 0.5}
	for iy := 0; iy < 16; iy++ {
		for ix := 0; ix < 16; ix++ {
			want := 2 * wantX[ix] * wantY[iy]
			if got := dst[iy*16+ix]; math.Abs(got-want) > 1e-15 {
				t.Fatalf("cell (%d,%d) = %v, want %v", iy, ix, got, want)
			}
		}
	}
}

// TestRectangleBatchStatistics: E[sum] = E[count]·E[s]·E[4 hx hy] =
// 7 · 0.5 · 100 = 350 per sample (standard error ≈ 8 over 512 samples).
func TestRectangleBatchStatistics(t *testing.T) {
	const n = 512
	dst := make([]float64, n*4096)
	if err := RectangleBatch(dst, n, 64, 64, 42); err != nil {
		t.Fatal(err)
	}
	var total float64
	for _, v := range dst {
		total += v
	}
	mean := total / n
	if math.Abs(mean-350) > 0.08*350 {
		t.Errorf("mean field sum %.1f, want 350 ± 8 %%", mean)
	}
	again := make([]float64, 4096)
	_ = Rectangles(again, 64, 64, grid.SampleRNG(42, 7))
	for i, v := range again {
		if v != dst[7*4096+i] {
			t.Fatalf("sample 7 not reproducible from its own stream")
		}
	}
	other := make([]float64, 4096)
	_ = Rectangles(other, 64, 64, grid.SampleRNG(43, 7))
	if halfL2(other, again) == 0 {
		t.Error("different seeds give the same sample")
	}
}
