package heat

import (
	"math"
	"testing"
)

// TestFixtureSpectra compares the per-frequency columns of the fixture.
// |FFT(r)| and the raw kernel must agree everywhere. The probability and
// the damped kernel are a function of |FFT(r)|; fed the fixture's own
// amplitudes they must agree everywhere to 1e-12 (which pins the float32
// 1e-6, the amplitude scale 64 and the dead zone). From our own FFT they
// agree to 1e-9 of their maximum wherever the amplitude is resolved
// (≥ 1e-8 of the largest); below that, |FFT(r)| is FFT round-off
// (~1e-13 absolute) that differs between any two FFT implementations, so
// p there is noise (it moves dx by < 1e-10 of its maximum, see
// TestFixtureOneCorrection).
func TestFixtureSpectra(t *testing.T) {
	fx := loadFixture(t)
	d, err := NewDiffuser(64, 64, Settings{NoFloor: true})
	if err != nil {
		t.Fatal(err)
	}
	r := sub(fx.col["y_target"], fx.col["y"])
	sp, err := d.Diagnose(r, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		got  []float64
	}{{"abs_fft_residual", sp.AbsFFT}, {"raw_kernel", sp.RawKernel}} {
		if e, at := relMaxErr(c.got, fx.col[c.name]); e > 1e-9 {
			t.Errorf("%s: error %.3g of max at %d", c.name, e, at)
		} else {
			t.Logf("%s: max error %.3g of max", c.name, e)
		}
	}

	// The formula on the fixture's amplitudes, every bin.
	absF := fx.col["abs_fft_residual"]
	kmax := maxAbs(fx.col["kernel"])
	var ep, ek float64
	for i := range absF {
		iy, ix := i/64, i%64
		ky, kx := float64((iy+32)%64-32)/64, float64((ix+32)%64-32)/64
		lg := 4 * math.Pi * math.Pi * DefaultAmount * (kx*kx + ky*ky)
		p := SignalProbability(absF[i], 64*math.Exp(-lg), sp.Info.Sigma)
		ep = math.Max(ep, math.Abs(p-fx.col["sig_prob"][i]))
		ek = math.Max(ek, math.Abs(KernelValue(lg, p)-fx.col["kernel"][i])/kmax)
	}
	if ep > 1e-12 || ek > 1e-12 {
		t.Errorf("formula on fixture |F|: probability error %.3g, kernel error %.3g of max", ep, ek)
	} else {
		t.Logf("formula on fixture |F|: probability error %.3g, kernel error %.3g of max", ep, ek)
	}

	// Our own FFT, resolved bins.
	fmax := maxAbs(absF)
	var rp, rk float64
	resolved := 0
	for i := range absF {
		if absF[i] < 1e-8*fmax {
			continue
		}
		resolved++
		rp = math.Max(rp, math.Abs(sp.SigProb[i]-fx.col["sig_prob"][i]))
		rk = math.Max(rk, math.Abs(sp.Kernel[i]-fx.col["kernel"][i])/kmax)
	}
	if rp > 1e-9 || rk > 1e-9 || resolved < 500 {
		t.Errorf("own FFT, %d resolved bins: probability error %.3g, kernel error %.3g of max", resolved, rp, rk)
	} else {
		t.Logf("own FFT, %d resolved bins: probability error %.3g, kernel error %.3g of max", resolved, rp, rk)
	}
}

// TestKernelLimits checks the closed forms at the ends: certain signal
// gives the full (capped) inverse, certain noise the forward gain, and the
// dead zone leaves amplitudes alone.
func TestKernelLimits(t *testing.T) {
	lg := 50.0
	if got := KernelValue(lg, 1); got != math.Exp(lg) {
		t.Errorf("p=1: %v, want e^50", got)
	}
	if got := KernelValue(150, 1); got != math.Exp(MaxLogKernel) {
		t.Errorf("p=1, log gain 150: %v, want e^88", got)
	}
	if got := KernelValue(lg, 0); got != math.Exp(-lg) {
		t.Errorf("p=0: %v, want e^-50", got)
	}
	for _, p := range []float64{0.5, 0.51, 0.67} {
		if got := KernelValue(lg, p); got != 1 {
			t.Errorf("p=%v: %v, want 1", p, got)
		}
	}
	if got, want := KernelValue(lg, 0.9), math.Exp(lg*0.8); math.Abs(got-want) > 1e-12*want {
		t.Errorf("p=0.9: %v, want %v", got, want)
	}
	// Equal priors: p = 1/(1+e^{½(F/a)²−½(F/σ)²}).
	if got, want := SignalProbability(1, 2, 0.5), 1/(1+math.Exp(0.125-2)); math.Abs(got-want) > 1e-15 {
		t.Errorf("p(1; 2, 0.5) = %v, want %v", got, want)
	}
	if SignalProbability(0, 1, 1) != 0.5 || SignalProbability(1e300, 1e-300, 1e-300) != 1 || SignalProbability(1e300, 1e-300, 1) != 0 {
		t.Error("degenerate probabilities wrong")
	}
	// The fast paths of kernelAt agree bitwise with the formula.
	d, _ := NewDiffuser(64, 64, Settings{})
	for b := 0; b < len(d.amp); b += 7 {
		for _, f := range []float64{1e-18, 1e-15, 1e-10, 1e-6, 1e-3, 1, 300} {
			for _, sig := range []float64{1e-15, 1e-5, 1} {
				want := KernelValue(d.logGain[b], SignalProbability(f, d.amp[b], sig))
				if got := d.kernelAt(b, f, sig); got != want {
					t.Fatalf("bin %d F %g σ %g: kernelAt %v, formula %v", b, f, sig, got, want)
				}
			}
		}
	}
}
