package heat

import (
	"fmt"
	"math"

	"github.com/physgrad/physgrad/physics/grid"
	"github.com/physgrad/physgrad/sim"
)

// Diffuser diffuses fields on one periodic ny×nx grid and applies the
// damped inverse. It holds precomputed per-frequency tables and FFT scratch,
// so it never allocates after construction; use one per goroutine.
type Diffuser struct {
	ny, nx int
	s      Settings
	fft    *grid.RFFT2
	// Per half-spectrum bin: log inverse gain (2π)²|k|²νt, forward gain
	// exp(-that), raw inverse kernel, expected signal amplitude, and the
	// bin's multiplicity in the full spectrum (1 or 2).
	logGain, gain, raw, amp, mult []float64
	spec                          []complex128
	buf                           []float64 // scratch field for callers in this package
}

// NewDiffuser returns a Diffuser for ny×nx fields with settings s (zero
// fields take the defaults).
func NewDiffuser(ny, nx int, s Settings) (*Diffuser, error) {
	fft, err := grid.NewRFFT2(ny, nx)
	if err != nil {
		return nil, err
	}
	s = s.withDefaults(ny, nx)
	if !(s.Amount > 0) || !(s.RelUncertainty > 0) || !(s.Precision > 0) || !(s.SignalScale > 0) {
		return nil, fmt.Errorf("heat: settings must be positive: %+v", s)
	}
	nh := nx/2 + 1
	n := ny * nh
	d := &Diffuser{ny: ny, nx: nx, s: s, fft: fft,
		logGain: make([]float64, n), gain: make([]float64, n), raw: make([]float64, n), amp: make([]float64, n), mult: make([]float64, n),
		spec: make([]complex128, n), buf: make([]float64, ny*nx)}
	c := 4 * math.Pi * math.Pi * s.Amount
	for iy := 0; iy < ny; iy++ {
		ky := float64(grid.FreqIndex(iy, ny)) / float64(ny)
		for jx := 0; jx < nh; jx++ {
			kx := float64(jx) / float64(nx)
			b := iy*nh + jx
			d.logGain[b] = c * (ky*ky + kx*kx)
			d.gain[b] = math.Exp(-d.logGain[b])
			d.raw[b] = RawKernel(d.logGain[b])
			d.amp[b] = s.SignalScale * d.gain[b]
			d.mult[b] = 2
			if jx == 0 || 2*jx == nx {
				d.mult[b] = 1
			}
		}
	}
	return d, nil
}

// scratch returns a field-sized buffer owned by d.
func (d *Diffuser) scratch() []float64 { return d.buf }

// Cells is ny·nx.
func (d *Diffuser) Cells() int { return d.ny * d.nx }

// Settings returns the settings in use, defaults filled in.
func (d *Diffuser) Settings() Settings { return d.s }

func (d *Diffuser) check(name string, vs ...[]float64) error {
	for _, v := range vs {
		if v != nil && len(v) != d.ny*d.nx {
			return fmt.Errorf("%w: heat %s on %d×%d needs %d values, got %d", sim.ErrSize, name, d.ny, d.nx, d.ny*d.nx, len(v))
		}
	}
	return nil
}

// Forward writes the diffused x into y (they may be the same slice).
func (d *Diffuser) Forward(y, x []float64) error {
	if err := d.check("Forward", y, x); err != nil {
		return err
	}
	_ = d.fft.Forward(d.spec, x)
	for b, g := range d.gain {
		d.spec[b] *= complex(g, 0)
	}
	return d.fft.Inverse(y, d.spec)
}

// Adjoint writes the adjoint of diffusion applied to dy into dx. Diffusion
// is a real symmetric convolution, so this is diffusion again.
func (d *Diffuser) Adjoint(dx, dy []float64) error { return d.Forward(dx, dy) }

// kernelAt is KernelValue(logGain, SignalProbability(absF, amp, sig)) for
// half-spectrum bin b, bitwise, but skips both exponentials where the
// probability rounds to exactly 1 or 0 (most bins): for a log-likelihood
// ratio d ≤ -37.5, e^d < 2^-53 so 1/(1+e^d) is 1 and the kernel is the raw
// kernel; for d ≥ 710, e^d overflows, p is 0 and the kernel is the forward
// gain exp(-logGain).
func (d *Diffuser) kernelAt(b int, absF, sig float64) float64 {
	if absF == 0 {
		return 1 // p = 0.5
	}
	fa, fs := absF/d.amp[b], absF/sig
	switch r := 0.5*fa*fa - 0.5*fs*fs; {
	case r <= -37.5:
		return d.raw[b]
	case r >= 710:
		return d.gain[b]
	}
	return KernelValue(d.logGain[b], SignalProbability(absF, d.amp[b], sig))
}

// InverseInfo describes one damped inverse.
type InverseInfo struct {
	// Sigma is the noise scale per Fourier amplitude: the per-cell
	// uncertainties summed in quadrature.
	Sigma float64
	// UncertaintyOut is the propagated uncertainty of the correction,
	// Sigma·‖kernel‖₂/sqrt(ny·nx) over the full spectrum (the authors'
	// second return value; 0.5432 on the fixture).
	UncertaintyOut float64
}

// sigma returns the noise scale for residual r and observation yObs.
func (d *Diffuser) sigma(r, yObs []float64) float64 {
	u := d.s.RelUncertainty
	var s2 float64
	for _, v := range r {
		e := u * math.Abs(v)
		s2 += e * e
	}
	if !d.s.NoFloor && yObs != nil {
		var m float64
		for _, v := range yObs {
			if a := math.Abs(v); a > m {
				m = a
			}
		}
		f := d.s.Precision * m
		s2 += float64(len(r)) * f * f
	}
	return math.Sqrt(s2)
}

// DampedInverse writes into dx the authors' damped inverse of the residual
// r = y* − P(x): each Fourier amplitude of r is multiplied by the inverse
// gain exp(+(2π)²|k|²νt), damped by the probability that the amplitude is
// signal rather than noise (see SignalProbability and KernelValue). The
// noise scale comes from RelUncertainty·|r| per cell, floored by
// Precision·max|yObs| unless NoFloor is set or yObs is nil. dx may alias r.
func (d *Diffuser) DampedInverse(dx, r, yObs []float64) (InverseInfo, error) {
	if err := d.check("DampedInverse", dx, r, yObs); err != nil {
		return InverseInfo{}, err
	}
	sig := d.sigma(r, yObs)
	_ = d.fft.Forward(d.spec, r)
	var k2 float64
	for b, v := range d.spec {
		k := d.kernelAt(b, math.Hypot(real(v), imag(v)), sig)
		k2 += d.mult[b] * k * k
		d.spec[b] = v * complex(k, 0)
	}
	if err := d.fft.Inverse(dx, d.spec); err != nil {
		return InverseInfo{}, err
	}
	return InverseInfo{Sigma: sig, UncertaintyOut: sig * math.Sqrt(k2) / math.Sqrt(float64(d.ny*d.nx))}, nil
}

// Spectra are per-frequency diagnostics of a damped inverse on the full
// ny×nx spectrum (row-major, numpy fftfreq order), as in the authors'
// reference fixture.
type Spectra struct {
	AbsFFT    []float64 // |FFT(r)|, unnormalised
	RawKernel []float64 // exp(min((2π)²|k|²νt, 88))
	Kernel    []float64 // damped kernel
	SigProb   []float64 // probability of signal
	Info      InverseInfo
}

// Diagnose computes the Spectra of the damped inverse of r (allocates;
// meant for tests and reports).
func (d *Diffuser) Diagnose(r, yObs []float64) (*Spectra, error) {
	if err := d.check("Diagnose", r, yObs); err != nil {
		return nil, err
	}
	sig := d.sigma(r, yObs)
	_ = d.fft.Forward(d.spec, r)
	n := d.ny * d.nx
	full := make([]complex128, n)
	if err := d.fft.FullSpectrum(full, d.spec); err != nil {
		return nil, err
	}
	sp := &Spectra{AbsFFT: make([]float64, n), RawKernel: make([]float64, n), Kernel: make([]float64, n), SigProb: make([]float64, n)}
	c := 4 * math.Pi * math.Pi * d.s.Amount
	var k2 float64
	for iy := 0; iy < d.ny; iy++ {
		ky := float64(grid.FreqIndex(iy, d.ny)) / float64(d.ny)
		for ix := 0; ix < d.nx; ix++ {
			kx := float64(grid.FreqIndex(ix, d.nx)) / float64(d.nx)
			i := iy*d.nx + ix
			lg := c * (ky*ky + kx*kx)
			f := math.Hypot(real(full[i]), imag(full[i]))
			p := SignalProbability(f, d.s.SignalScale*math.Exp(-lg), sig)
			sp.AbsFFT[i], sp.SigProb[i] = f, p
			sp.RawKernel[i] = RawKernel(lg)
			sp.Kernel[i] = KernelValue(lg, p)
			k2 += sp.Kernel[i] * sp.Kernel[i]
		}
	}
	sp.Info = InverseInfo{Sigma: sig, UncertaintyOut: sig * math.Sqrt(k2) / math.Sqrt(float64(n))}
	return sp, nil
}
