package heat

import "math"

// Published constants of the authors' inverse, kept fixed.
const (
	// DefaultAmount is ν·t of SPEC R6.
	DefaultAmount = 8.0
	// MaxLogKernel caps the exponent of the inverse kernel: e^88 ≈ 1.65e38
	// is the largest power of e below the float32 maximum, where the
	// authors' raw kernel saturates (fixture: raw_kernel max 1.6516e38).
	MaxLogKernel = 88.0
	// ActionThreshold: between signal probability 0.5 and this value the
	// kernel is 1 (neither amplified nor damped), as in the authors' code.
	ActionThreshold = 0.68
)

// DefaultRelUncertainty is the per-cell uncertainty as a fraction of
// |y* − y|. The authors write 1e-6, but phiflow holds it as a float32, and
// the fixture's probabilities fit float32(1e-6) = 9.99999997e-7 exactly
// (float64 1e-6 is off by 2.5e-9 relative in σ, 1.1e-9 in probability).
var DefaultRelUncertainty = float64(float32(1e-6))

// DefaultPrecision is the relative precision of an observation (float64
// round-off) used for the noise floor.
const DefaultPrecision = 1e-16

// Settings configure diffusion and its damped inverse. The zero value
// means the published defaults.
type Settings struct {
	// Amount is ν·t (default 8).
	Amount float64
	// RelUncertainty is the per-cell uncertainty of y* as a fraction of
	// |y* − y| (default DefaultRelUncertainty).
	RelUncertainty float64
	// Precision is the observation's own relative precision; the noise
	// estimate gets a floor of Precision·max|y*| per cell, summed in
	// quadrature with the RelUncertainty term (default 1e-16). Without
	// it, iterating the inverse on a fixed observation shrinks the noise
	// estimate with the residual until round-off is amplified by up to
	// e^88 (SPEC R6). It changes nothing in a single correction.
	Precision float64
	// NoFloor drops the precision floor: the authors' inverse as published.
	NoFloor bool
	// SignalScale is the expected signal amplitude at k = 0 before
	// diffusion; the expected amplitude at k is SignalScale·exp(-(2π)²|k|²νt).
	// Default sqrt(ny·nx), which is 64 on the 64×64 grid: the value the
	// fixture's probabilities fit to 1e-9.
	SignalScale float64
}

// withDefaults fills zero fields for an ny×nx grid.
func (s Settings) withDefaults(ny, nx int) Settings {
	if s.Amount == 0 {
		s.Amount = DefaultAmount
	}
	if s.RelUncertainty == 0 {
		s.RelUncertainty = DefaultRelUncertainty
	}
	if s.Precision == 0 {
		s.Precision = DefaultPrecision
	}
	if s.SignalScale == 0 {
		s.SignalScale = math.Sqrt(float64(ny * nx))
	}
	return s
}
