package grid

import "fmt"

// Laplace writes the 5-point Laplacian of src into dst (both ny·nx values,
// unit cells): the sum over both axes of v[i-1] + v[i+1] - 2v[i], with the
// neighbours outside the grid given by bc. For ZeroDirichlet this is
// phiflow's math.laplace with zero padding; the operator is symmetric
// either way. dst and src must not overlap.
func Laplace(dst, src []float64, ny, nx int, bc Boundary) error {
	if err := CheckShape(ny, nx); err != nil {
		return err
	}
	if len(dst) != ny*nx || len(src) != ny*nx {
		return fmt.Errorf("%w: Laplace on %d×%d needs %d values, got %d and %d", ErrShape, ny, nx, ny*nx, len(dst), len(src))
	}
	for iy := 0; iy < ny; iy++ {
		up, down := iy-1, iy+1
		if bc == Periodic {
			up, down = wrap(up, ny), wrap(down, ny)
		}
		row := src[iy*nx : (iy+1)*nx]
		out := dst[iy*nx : (iy+1)*nx]
		for ix := 0; ix < nx; ix++ {
			var s float64
			if up >= 0 && up < ny {
				s += src[up*nx+ix]
			}
			if down >= 0 && down < ny {
				s += src[down*nx+ix]
			}
			l, r := ix-1, ix+1
			if bc == Periodic {
				l, r = wrap(l, nx), wrap(r, nx)
			}
			if l >= 0 {
				s += row[l]
			}
			if r < nx {
				s += row[r]
			}
			out[ix] = s - 4*row[ix]
		}
	}
	return nil
}
