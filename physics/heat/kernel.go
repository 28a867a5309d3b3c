package heat

import "math"

// SignalProbability is the probability that a Fourier amplitude absF is
// signal rather than noise, with equal priors: signal amplitudes are
// Gaussian with scale amp (the expected diffused amplitude), noise with
// scale sigma. The likelihoods exp(-½(F/amp)²) and exp(-½(F/σ)²) are
// compared through their log ratio so that neither underflow nor 0/0 can
// occur: p = 1/(1 + exp(½(F/amp)² − ½(F/σ)²)).
func SignalProbability(absF, amp, sigma float64) float64 {
	if absF == 0 {
		return 0.5
	}
	d := 0.5*(absF/amp)*(absF/amp) - 0.5*(absF/sigma)*(absF/sigma)
	if math.IsNaN(d) {
		// Both likelihoods vanish (F ≫ amp and F ≫ σ): the wider law wins.
		if sigma > amp {
			return 0
		}
		return 1
	}
	return 1 / (1 + math.Exp(d))
}

// KernelValue is the damped inverse kernel at a frequency whose inverse
// log-gain is logGain = (2π)²|k|²νt and whose signal probability is p:
// exp(logGain·2(p − ½)), i.e. the full inverse at p = 1, the forward
// diffusion (strong damping) at p = 0, and 1 in between 0.5 and
// ActionThreshold. The exponent is capped at MaxLogKernel.
func KernelValue(logGain, p float64) float64 {
	if p > 0.5 && p < ActionThreshold {
		return 1
	}
	return math.Exp(math.Min(logGain*2*(p-0.5), MaxLogKernel))
}

// RawKernel is the undamped inverse kernel exp(min(logGain, MaxLogKernel)).
func RawKernel(logGain float64) float64 {
	return math.Exp(math.Min(logGain, MaxLogKernel))
}
