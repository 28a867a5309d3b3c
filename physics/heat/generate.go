package heat

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/physgrad/physgrad/physics/grid"
)

// Rectangle generator constants of SPEC R6 (the authors'
// generate_heat_example).
const (
	MinBoxes    = 4    // boxes per field, at least
	MaxBoxes    = 10   // and at most
	MaxHalfSize = 10.0 // half-sizes are uniform in [0, MaxHalfSize] cells per axis
	CentreSpan  = 0.8  // centres are uniform in the middle 80 % of each axis
)

// Rectangles writes one sample into dst (ny·nx cells, row-major): a sum
// of MinBoxes…MaxBoxes axis-aligned boxes, centres uniform in the middle
// 80 % of the domain, half-sizes uniform in [0, 10] per axis, centres then
// clipped so each box stays inside the domain, strengths uniform in [0, 1].
// Each cell gets strength × the fraction of its area the box covers, which
// anti-aliases the edges. Draw order per box: centre x, centre y, half x,
// half y, strength.
func Rectangles(dst []float64, ny, nx int, rng *rand.Rand) error {
	if err := grid.CheckShape(ny, nx); err != nil {
		return err
	}
	if len(dst) != ny*nx {
		return fmt.Errorf("%w: %d values for %d×%d", grid.ErrShape, len(dst), ny, nx)
	}
	clear(dst)
	count := MinBoxes + rng.IntN(MaxBoxes-MinBoxes+1)
	for range count {
		px := (rng.Float64()-0.5)*float64(nx)*CentreSpan + float64(nx)/2
		py := (rng.Float64()-0.5)*float64(ny)*CentreSpan + float64(ny)/2
		hx := rng.Float64() * MaxHalfSize
		hy := rng.Float64() * MaxHalfSize
		s := rng.Float64()
		px = clamp(px, hx, float64(nx)-hx)
		py = clamp(py, hy, float64(ny)-hy)
		addBox(dst, ny, nx, px, py, hx, hy, s)
	}
	return nil
}

// addBox adds strength s times the fractional coverage of each cell by the
// box centred at (px, py) with half-sizes (hx, hy).
func addBox(dst []float64, ny, nx int, px, py, hx, hy, s float64) {
	x0 := max(0, int(math.Floor(px-hx)))
	x1 := min(nx-1, int(math.Ceil(px+hx)))
	y0 := max(0, int(math.Floor(py-hy)))
	y1 := min(ny-1, int(math.Ceil(py+hy)))
	for iy := y0; iy <= y1; iy++ {
		oy := overlap(float64(iy), py-hy, py+hy) * s
		if oy == 0 {
			continue
		}
		row := dst[iy*nx : (iy+1)*nx]
		for ix := x0; ix <= x1; ix++ {
			row[ix] += oy * overlap(float64(ix), px-hx, px+hx)
		}
	}
}

// overlap is the length of [i, i+1] ∩ [lo, hi].
func overlap(i, lo, hi float64) float64 {
	return math.Max(0, math.Min(i+1, hi)-math.Max(i, lo))
}

// clamp limits v to [lo, hi]; when the box is wider than the domain
// (lo > hi) it is centred.
func clamp(v, lo, hi float64) float64 {
	if lo > hi {
		return (lo + hi) / 2
	}
	return math.Min(math.Max(v, lo), hi)
}

// RectangleBatch writes n seeded samples (see Rectangles) back to back into
// dst, sample i from grid.SampleRNG(seed, i).
func RectangleBatch(dst []float64, n, ny, nx int, seed uint64) error {
	if len(dst) != n*ny*nx {
		return fmt.Errorf("%w: %d values for %d fields of %d×%d", grid.ErrShape, len(dst), n, ny, nx)
	}
	for i := range n {
		if err := Rectangles(dst[i*ny*nx:(i+1)*ny*nx], ny, nx, grid.SampleRNG(seed, i)); err != nil {
			return err
		}
	}
	return nil
}
