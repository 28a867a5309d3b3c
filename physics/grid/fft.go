package grid

import (
	"fmt"

	"gonum.org/v1/gonum/dsp/fourier"
)

// FFTFreq returns numpy.fft.fftfreq(n): the sample frequencies in cycles
// per cell, 0, 1/n, …, then the negative half.
func FFTFreq(n int) []float64 {
	f := make([]float64, n)
	for i := range f {
		f[i] = float64(FreqIndex(i, n)) / float64(n)
	}
	return f
}

// FreqIndex returns the signed integer frequency of FFT bin i of n, as numpy
// orders them: 0 … ceil(n/2)-1, then -floor(n/2) … -1.
func FreqIndex(i, n int) int {
	if i < (n+1)/2 {
		return i
	}
	return i - n
}

// RFFT2 is a reusable plan for 2D Fourier transforms of real ny×nx fields.
// The spectrum keeps the non-negative x frequencies only: ny rows of
// nx/2+1 coefficients, row-major (bin (iy, jx) at iy*(nx/2+1)+jx). The
// negative x frequencies follow from Hermitian symmetry, which is why the
// half spectrum is exact for real data and costs half the work.
//
// Power-of-two sides use the package's radix-2 transform (see pow2): rows
// two at a time as one complex sequence (row a + i·row b, separated by
// symmetry), columns all at once. Other sides use gonum's FFTPACK plans
// (real FFT for rows, complex for columns).
// A plan holds scratch space: use one per goroutine.
type RFFT2 struct {
	ny, nx, nh int
	rowP       *pow2
	row        *fourier.FFT
	rowBuf     []complex128
	cols       columnFFT
}

// NewRFFT2 returns a plan for ny×nx fields.
func NewRFFT2(ny, nx int) (*RFFT2, error) {
	if err := CheckShape(ny, nx); err != nil {
		return nil, err
	}
	p := &RFFT2{ny: ny, nx: nx, nh: nx/2 + 1}
	if isPow2(nx) {
		p.rowP = newPow2(nx)
		p.rowBuf = make([]complex128, nx)
	} else {
		p.row = fourier.NewFFT(nx)
	}
	p.cols = newColumnFFT(ny)
	return p, nil
}

// Dims returns ny, nx.
func (p *RFFT2) Dims() (ny, nx int) { return p.ny, p.nx }

// SpectrumLen is the length of a half spectrum: ny·(nx/2+1).
func (p *RFFT2) SpectrumLen() int { return p.ny * p.nh }

func (p *RFFT2) check(spec []complex128, field []float64) error {
	if len(field) != p.ny*p.nx || len(spec) != p.ny*p.nh {
		return fmt.Errorf("%w: RFFT2 %d×%d needs %d values and %d coefficients, got %d and %d",
			ErrShape, p.ny, p.nx, p.ny*p.nx, p.ny*p.nh, len(field), len(spec))
	}
	return nil
}

// Forward writes the unnormalised 2D DFT of src (ny·nx values) into spec
// (SpectrumLen values): rows first, then columns.
func (p *RFFT2) Forward(spec []complex128, src []float64) error {
	if err := p.check(spec, src); err != nil {
		return err
	}
	nx, nh := p.nx, p.nh
	if p.rowP == nil {
		for iy := 0; iy < p.ny; iy++ {
			p.row.Coefficients(spec[iy*nh:(iy+1)*nh], src[iy*nx:(iy+1)*nx])
		}
	} else {
		z := p.rowBuf
		for iy := 0; iy < p.ny; iy += 2 {
			a := src[iy*nx : (iy+1)*nx]
			if iy+1 == p.ny {
				for i, v := range a {
					z[i] = complex(v, 0)
				}
				p.rowP.seq(z, true)
				copy(spec[iy*nh:(iy+1)*nh], z)
				break
			}
			b := src[(iy+1)*nx : (iy+2)*nx]
			for i := range a {
				z[i] = complex(a[i], b[i])
			}
			p.rowP.seq(z, true)
			sa, sb := spec[iy*nh:(iy+1)*nh], spec[(iy+1)*nh:(iy+2)*nh]
			for k := range sa {
				zk, zm := z[k], z[(nx-k)&(nx-1)]
				// A_k = (Z_k + conj Z_-k)/2, B_k = (Z_k − conj Z_-k)/(2i).
				sa[k] = complex(0.5*(real(zk)+real(zm)), 0.5*(imag(zk)-imag(zm)))
				sb[k] = complex(0.5*(imag(zk)+imag(zm)), 0.5*(real(zm)-real(zk)))
			}
		}
	}
	p.columns(spec, true)
	return nil
}

// Inverse writes the inverse 2D DFT of spec into dst, normalised by
// 1/(ny·nx) like numpy.fft.ifft2, so Inverse∘Forward is the identity. The
// result is the real part of the inverse of the Hermitian-extended
// spectrum. spec is used as scratch and overwritten.
func (p *RFFT2) Inverse(dst []float64, spec []complex128) error {
	if err := p.check(spec, dst); err != nil {
		return err
	}
	p.columns(spec, false)
	nx, nh := p.nx, p.nh
	scale := 1 / float64(p.ny*p.nx)
	if p.rowP == nil {
		for iy := 0; iy < p.ny; iy++ {
			out := dst[iy*nx : (iy+1)*nx]
			p.row.Sequence(out, spec[iy*nh:(iy+1)*nh])
			for i := range out {
				out[i] *= scale
			}
		}
		return nil
	}
	z := p.rowBuf
	for iy := 0; iy < p.ny; iy += 2 {
		sa := spec[iy*nh : (iy+1)*nh]
		sb := sa[:0]
		if iy+1 < p.ny {
			sb = spec[(iy+1)*nh : (iy+2)*nh]
		}
		for k := 0; k < nx; k++ {
			// Hermitian extension: A_{-k} = conj A_k. At the self-conjugate
			// bins only the real part belongs to a real row.
			var ar, ai, br, bi float64
			switch {
			case k == 0 || 2*k == nx:
				ar = real(sa[k])
				if len(sb) > 0 {
					br = real(sb[k])
				}
			case k < nh:
				ar, ai = real(sa[k]), imag(sa[k])
				if len(sb) > 0 {
					br, bi = real(sb[k]), imag(sb[k])
				}
			default:
				ar, ai = real(sa[nx-k]), -imag(sa[nx-k])
				if len(sb) > 0 {
					br, bi = real(sb[nx-k]), -imag(sb[nx-k])
				}
			}
			z[k] = complex(ar-bi, ai+br) // Z_k = A_k + i·B_k
		}
		p.rowP.seq(z, false)
		out := dst[iy*nx : (iy+1)*nx]
		for i, v := range z {
			out[i] = real(v) * scale
		}
		if len(sb) > 0 {
			out = dst[(iy+1)*nx : (iy+2)*nx]
			for i, v := range z {
				out[i] = imag(v) * scale
			}
		}
	}
	return nil
}

// columns transforms every column of the half spectrum in place.
func (p *RFFT2) columns(spec []complex128, forward bool) { p.cols.apply(spec, p.nh, forward) }

// columnFFT transforms the columns of a row-major array of ny rows: all at
// once by the radix-2 transform for a power-of-two ny, else column by
// column with FFTPACK through a gathered buffer. RFFT2 and FFT2 share it.
type columnFFT struct {
	p   *pow2
	fft *fourier.CmplxFFT
	buf []complex128
}

func newColumnFFT(ny int) columnFFT {
	if isPow2(ny) {
		return columnFFT{p: newPow2(ny)}
	}
	return columnFFT{fft: fourier.NewCmplxFFT(ny), buf: make([]complex128, ny)}
}

// apply transforms the width columns of a (ny·width values) in place.
func (c *columnFFT) apply(a []complex128, width int, forward bool) {
	if c.p != nil {
		c.p.cols(a, width, forward)
		return
	}
	buf := c.buf
	for j := 0; j < width; j++ {
		for iy := range buf {
			buf[iy] = a[iy*width+j]
		}
		if forward {
			c.fft.Coefficients(buf, buf)
		} else {
			c.fft.Sequence(buf, buf)
		}
		for iy, v := range buf {
			a[iy*width+j] = v
		}
	}
}

// FullSpectrum expands a half spectrum to all ny×nx bins (row-major, numpy
// order) by Hermitian symmetry, for comparison with full-FFT references.
func (p *RFFT2) FullSpectrum(full, half []complex128) error {
	if len(full) != p.ny*p.nx || len(half) != p.ny*p.nh {
		return fmt.Errorf("%w: FullSpectrum needs %d and %d values", ErrShape, p.ny*p.nx, p.ny*p.nh)
	}
	for iy := 0; iy < p.ny; iy++ {
		for ix := 0; ix < p.nx; ix++ {
			if ix < p.nh {
				full[iy*p.nx+ix] = half[iy*p.nh+ix]
				continue
			}
			my := (p.ny - iy) % p.ny
			v := half[my*p.nh+p.nx-ix]
			full[iy*p.nx+ix] = complex(real(v), -imag(v))
		}
	}
	return nil
}

// FFT2 is a reusable plan for 2D complex transforms of ny×nx arrays, in
// place, with the same transforms as RFFT2 (pow2 where the side allows,
// FFTPACK otherwise). A plan holds scratch space: use one per goroutine.
type FFT2 struct {
	ny, nx int
	rowP   *pow2
	row    *fourier.CmplxFFT
	cols   columnFFT
}

// NewFFT2 returns a complex 2D plan for ny×nx arrays.
func NewFFT2(ny, nx int) (*FFT2, error) {
	if err := CheckShape(ny, nx); err != nil {
		return nil, err
	}
	p := &FFT2{ny: ny, nx: nx}
	if isPow2(nx) {
		p.rowP = newPow2(nx)
	} else {
		p.row = fourier.NewCmplxFFT(nx)
	}
	p.cols = newColumnFFT(ny)
	return p, nil
}

// Forward replaces a (ny·nx values, row-major) by its unnormalised 2D DFT.
func (p *FFT2) Forward(a []complex128) error { return p.transform(a, true) }

// Inverse replaces a by its inverse 2D DFT normalised by 1/(ny·nx).
func (p *FFT2) Inverse(a []complex128) error {
	if err := p.transform(a, false); err != nil {
		return err
	}
	s := complex(1/float64(p.ny*p.nx), 0)
	for i := range a {
		a[i] *= s
	}
	return nil
}

func (p *FFT2) transform(a []complex128, forward bool) error {
	if len(a) != p.ny*p.nx {
		return fmt.Errorf("%w: FFT2 %d×%d needs %d values, got %d", ErrShape, p.ny, p.nx, p.ny*p.nx, len(a))
	}
	for iy := 0; iy < p.ny; iy++ {
		r := a[iy*p.nx : (iy+1)*p.nx]
		switch {
		case p.rowP != nil:
			p.rowP.seq(r, forward)
		case forward:
			p.row.Coefficients(r, r)
		default:
			p.row.Sequence(r, r)
		}
	}
	p.cols.apply(a, p.nx, forward)
	return nil
}
