package poisson

import (
	"math"

	"gonum.org/v1/gonum/dsp/fourier"
)

// dstSolver solves ∇²y = x exactly: the sine functions
// sin(π(i+1)(p+1)/(n+1)) diagonalise the 1D zero-Dirichlet second
// difference with eigenvalues 2cos(π(p+1)/(n+1)) − 2, so a 2D DST-I,
// a division by the summed eigenvalues and a second DST-I solve the system
// to round-off. It holds scratch: one per goroutine.
type dstSolver struct {
	ny, nx int
	row    *fourier.DST
	col    *fourier.DST
	inv    []float64 // 1/(λ_p+λ_q) scaled by the DST normalisation
	colBuf []float64
	work   []float64
}

func newDSTSolver(ny, nx int) *dstSolver {
	s := &dstSolver{ny: ny, nx: nx, row: fourier.NewDST(nx), col: fourier.NewDST(ny),
		inv: make([]float64, ny*nx), colBuf: make([]float64, ny), work: make([]float64, ny*nx)}
	// FFTPACK's DST-I is unnormalised: applying it twice multiplies by 2(n+1).
	norm := 1 / (4 * float64(ny+1) * float64(nx+1))
	for p := 0; p < ny; p++ {
		ly := 2*math.Cos(math.Pi*float64(p+1)/float64(ny+1)) - 2
		for q := 0; q < nx; q++ {
			lx := 2*math.Cos(math.Pi*float64(q+1)/float64(nx+1)) - 2
			s.inv[p*nx+q] = norm / (ly + lx)
		}
	}
	return s
}

// transform applies the 2D DST-I to a in place.
func (s *dstSolver) transform(a []float64) {
	for iy := 0; iy < s.ny; iy++ {
		r := a[iy*s.nx : (iy+1)*s.nx]
		s.row.Transform(r, r)
	}
	for ix := 0; ix < s.nx; ix++ {
		for iy := range s.colBuf {
			s.colBuf[iy] = a[iy*s.nx+ix]
		}
		s.col.Transform(s.colBuf, s.colBuf)
		for iy, v := range s.colBuf {
			a[iy*s.nx+ix] = v
		}
	}
}

// solve writes the solution of ∇²y = x into y (y may alias x).
func (s *dstSolver) solve(y, x []float64) {
	w := s.work
	copy(w, x)
	s.transform(w)
	for i, v := range s.inv {
		w[i] *= v
	}
	s.transform(w)
	copy(y, w)
}
