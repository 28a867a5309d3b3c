package poisson

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/physgrad/physgrad/physics/grid"
)

// Random-field constants of the authors' data (phiflow Noise() defaults).
const (
	// NoiseScale multiplies the frequencies: k = NoiseScale·fftfreq(n).
	NoiseScale = 10.0
	// NoiseCutoff removes modes with k² ≤ NoiseCutoff (13 modes on 64×64:
	// n_x² + n_y² ≤ 4).
	NoiseCutoff = 0.1
)

// Generator draws smooth random fields like phiflow's Noise(scale=10,
// smoothness=1) on unit cells: complex white noise times 1/k² with
// k = 10·fftfreq per axis, modes with k² ≤ 0.1 removed, the real part of
// the inverse FFT, then each sample divided by its standard deviation and
// shifted to mean 0. It holds scratch: one per goroutine.
type Generator struct {
	ny, nx int
	filter []float64
	fft    *grid.FFT2
	buf    []complex128
}

// NewGenerator returns a generator for ny×nx fields.
func NewGenerator(ny, nx int) (*Generator, error) {
	fft, err := grid.NewFFT2(ny, nx)
	if err != nil {
		return nil, err
	}
	g := &Generator{ny: ny, nx: nx, fft: fft, filter: make([]float64, ny*nx), buf: make([]complex128, ny*nx)}
	fy, fx := grid.FFTFreq(ny), grid.FFTFreq(nx)
	for iy := range fy {
		for ix := range fx {
			ky, kx := NoiseScale*fy[iy], NoiseScale*fx[ix]
			if k2 := ky*ky + kx*kx; k2 > NoiseCutoff {
				g.filter[iy*nx+ix] = 1 / k2
			}
		}
	}
	return g, nil
}

// Sample writes one field into dst (ny·nx values). The draws are the real
// parts of all cells, then the imaginary parts, standard normal.
func (g *Generator) Sample(dst []float64, rng *rand.Rand) error {
	if len(dst) != g.ny*g.nx {
		return fmt.Errorf("%w: %d values for %d×%d", grid.ErrShape, len(dst), g.ny, g.nx)
	}
	for i := range g.buf {
		g.buf[i] = complex(rng.NormFloat64(), 0)
	}
	for i := range g.buf {
		g.buf[i] = complex(real(g.buf[i]), rng.NormFloat64()) * complex(g.filter[i], 0)
	}
	if err := g.fft.Inverse(g.buf); err != nil {
		return err
	}
	n := float64(len(dst))
	var mean float64
	for i, v := range g.buf {
		dst[i] = real(v)
		mean += dst[i]
	}
	mean /= n
	var ss float64
	for _, v := range dst {
		ss += (v - mean) * (v - mean)
	}
	std := math.Sqrt(ss / n)
	mean = 0
	for i := range dst {
		dst[i] /= std
		mean += dst[i]
	}
	mean /= n
	for i := range dst {
		dst[i] -= mean
	}
	return nil
}

// FieldBatch writes n seeded samples back to back into dst, sample i from
// grid.SampleRNG(seed, i).
func FieldBatch(dst []float64, n, ny, nx int, seed uint64) error {
	if len(dst) != n*ny*nx {
		return fmt.Errorf("%w: %d values for %d fields of %d×%d", grid.ErrShape, len(dst), n, ny, nx)
	}
	g, err := NewGenerator(ny, nx)
	if err != nil {
		return err
	}
	for i := range n {
		if err := g.Sample(dst[i*ny*nx:(i+1)*ny*nx], grid.SampleRNG(seed, i)); err != nil {
			return err
		}
	}
	return nil
}
