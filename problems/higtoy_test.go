package problems

import (
	"math"
	"os"
	"testing"
	"time"

	"github.com/physgrad/physgrad/train"
)

// TestHIGToyMonitor checks the validation statistics against closed forms
// and the validation loss against the network's own forward pass.
func TestHIGToyMonitor(t *testing.T) {
	task, err := NewHIGToyTask(0.5)
	if err != nil {
		t.Fatal(err)
	}
	h := HIGToyHidden
	// W1 = 0, b1 = 0.3: every neuron is the constant tanh(0.3), no spread.
	p := make([]float64, 4*h+2)
	for j := 0; j < h; j++ {
		p[h+j] = 0.3
	}
	st, err := task.Monitor(p)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(st[0]-math.Tanh(0.3)) > 1e-13 || st[1] > 1e-15 {
		t.Errorf("saturated layer: mean %v std %v, want %v and 0", st[0], st[1], math.Tanh(0.3))
	}
	// W1 = 1, b1 = 0: tanh(t) on a symmetric grid has mean 0 and spread
	// √(mean tanh²(t)).
	for j := 0; j < h; j++ {
		p[j], p[h+j] = 1, 0
	}
	st, _ = task.Monitor(p)
	var sq float64
	for k := 0; k < HIGToyValidation; k++ {
		v := math.Tanh(-1 + 2*float64(k)/float64(HIGToyValidation-1))
		sq += v * v
	}
	if math.Abs(st[0]) > 1e-15 || math.Abs(st[1]-math.Sqrt(sq/HIGToyValidation)) > 1e-12 {
		t.Errorf("tanh(t): mean %v std %v, want 0 and %v", st[0], st[1], math.Sqrt(sq/HIGToyValidation))
	}
	// The validation loss of a trained-from-seed network equals the loss
	// of its Forward on the grid.
	net, _ := task.NewNet64(4)
	st, _ = task.Monitor(net.Params())
	in := make([]float64, HIGToyValidation)
	for k := range in {
		in[k] = -1 + 2*float64(k)/float64(HIGToyValidation-1)
	}
	out, y := make([]float64, 2*len(in)), make([]float64, 2*len(in))
	if err := net.Forward(out, in); err != nil {
		t.Fatal(err)
	}
	task.Forward(y, out, len(in))
	var loss float64
	for k, v := range in {
		d0, d1 := y[2*k]-math.Sin(6*v), y[2*k+1]-math.Cos(9*v)
		loss += 0.5 * (d0*d0 + d1*d1)
	}
	loss /= float64(len(in))
	if math.Abs(st[2]-loss) > 1e-12*loss {
		t.Errorf("val_loss %.15g, network forward %.15g", st[2], loss)
	}
	if _, err := task.Monitor(p[:5]); err == nil {
		t.Error("wrong parameter count accepted")
	}
	if _, err := NewHIGToyTask(math.NaN()); err == nil {
		t.Error("λ = NaN accepted")
	}
}

// TestHIGToyShortRun is the default-suite variant of R8: in 1500 equal
// steps (about 2 s) HIG's validation loss at λ = 0.01 is already ≤ 0.05
// and below Adam's and Gauss-Newton's.
func TestHIGToyShortRun(t *testing.T) {
	task, err := NewHIGToyTask(0.01)
	if err != nil {
		t.Fatal(err)
	}
	last := map[string][]float64{}
	for _, m := range []string{"adam", "gn", "hig"} {
		r := train.Run(task, train.Settings{Method: m, Steps: 1500})
		if r.Err != nil {
			t.Fatalf("%s: %v", m, r.Err)
		}
		first := r.Log[0].Extra
		last[m] = r.Log[len(r.Log)-1].Extra
		t.Logf("%s: val_loss %.4g → %.4g, act_std %.3g → %.3g (%.2f s)", m, first[2], last[m][2], first[1], last[m][1], r.Log[len(r.Log)-1].Seconds)
	}
	if last["hig"][2] > 0.05 {
		t.Errorf("λ = 0.01: hig val_loss %.4g > 0.05 after 1500 steps", last["hig"][2])
	}
	for _, m := range []string{"adam", "gn"} {
		if !(last["hig"][2] < last[m][2]) {
			t.Errorf("λ = 0.01: hig val_loss %.4g not below %s's %.4g", last["hig"][2], m, last[m][2])
		}
	}
}

// TestHIGToyEqualTime is R8's acceptance: 60 s per method (PHYSGRAD_LONG=1
// only). At λ = 0.01 HIG's final loss is ≤ 0.02 while Adam's and
// Gauss-Newton's stay ≥ 0.1; at λ = 1 all three are ≤ 0.02 (published).
// Losses are validation losses (fixed grid) at the end of the run.
func TestHIGToyEqualTime(t *testing.T) {
	if testing.Short() || os.Getenv("PHYSGRAD_LONG") != "1" {
		t.Skip("60 s per method; set PHYSGRAD_LONG=1")
	}
	for _, lambda := range []float64{0.01, 1} {
		task, err := NewHIGToyTask(lambda)
		if err != nil {
			t.Fatal(err)
		}
		final := map[string]float64{}
		for _, m := range []string{"adam", "gn", "hig"} {
			r := train.Run(task, train.Settings{Method: m, TimeLimit: 60 * time.Second})
			if r.Err != nil {
				t.Fatalf("%s: %v", m, r.Err)
			}
			e := r.Log[len(r.Log)-1]
			final[m] = e.Extra[2]
			t.Logf("λ=%g %s: %d steps, val_loss %.4g, batch loss %.4g, act_mean %.3f act_std %.3f (initial %.3f) act_sat %.2f",
				lambda, m, len(r.Log), e.Extra[2], e.Loss, e.Extra[0], e.Extra[1], r.Log[0].Extra[1], e.Extra[3])
		}
		if final["hig"] > 0.02 {
			t.Errorf("λ=%g: hig ends at %.4g > 0.02", lambda, final["hig"])
		}
		if lambda == 1 && final["adam"] > 0.02 {
			t.Errorf("λ=1: adam ends at %.4g > 0.02", final["adam"])
		}
		if lambda == 0.01 && final["adam"] < 0.1 {
			t.Errorf("λ=0.01: adam ends at %.4g < 0.1", final["adam"])
		}
		// Gauss-Newton at its default (task τ, η = DefaultGNRate): stalls at
		// λ = 0.01, converges at λ = 1, as published. (Its saturation, the
		// published mechanism, shows only for the undamped step; see
		// docs/higtoy.md.)
		if lambda == 0.01 && final["gn"] < 0.1 {
			t.Errorf("λ=0.01: gn ends at %.4g < 0.1", final["gn"])
		}
		if lambda == 1 && final["gn"] > 0.02 {
			t.Errorf("λ=1: gn ends at %.4g > 0.02", final["gn"])
		}
	}
}

// The saturation statistics on networks with known activations: hidden
// biases 10 and input weights 0 make every activation tanh(10) (all
// saturated, stuck: act_std 0, act_sat 1); weights and biases 0 make them 0
// (none saturated).
func TestHIGToyMonitorSaturation(t *testing.T) {
	task, err := NewHIGToyTask(1)
	if err != nil {
		t.Fatal(err)
	}
	h := HIGToyHidden
	p := make([]float64, 4*h+2)
	for j := 0; j < h; j++ {
		p[h+j] = 10
	}
	st, err := task.Monitor(p)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(st[0]-math.Tanh(10)) > 1e-12 || st[1] > 1e-6 || st[3] != 1 {
		t.Errorf("saturated network: act_mean %v, act_std %v, act_sat %v", st[0], st[1], st[3])
	}
	clear(p)
	if st, _ = task.Monitor(p); st[0] != 0 || st[1] != 0 || st[3] != 0 {
		t.Errorf("zero network: act_mean %v, act_std %v, act_sat %v", st[0], st[1], st[3])
	}
}

// The undamped Gauss-Newton step (η = 1, cut at the numerical rank)
// saturates every hidden neuron of R8 within a few hundred steps, at both
// λ: the published saturation, visible in the logged act_sat (the default
// damped GN does not; docs/higtoy.md).
func TestHIGToyUndampedGNSaturates(t *testing.T) {
	for _, lambda := range []float64{0.01, 1} {
		task, err := NewHIGToyTask(lambda)
		if err != nil {
			t.Fatal(err)
		}
		r := train.Run(task, train.Settings{Method: "gn", LR: 1, Tau: 1.1e-13, Steps: 600})
		if r.Err != nil {
			t.Fatal(r.Err)
		}
		first, last := r.Log[0].Extra, r.Log[len(r.Log)-1].Extra
		t.Logf("λ=%g: act_sat %.2f → %.2f, act_std %.3f → %.3f, val_loss %.3g → %.3g", lambda, first[3], last[3], first[1], last[1], first[2], last[2])
		if !(last[3] >= 0.99) || first[3] > 0.5 {
			t.Errorf("λ=%g: act_sat %.2f → %.2f, want a start below 0.5 and ≥ 0.99 at the end", lambda, first[3], last[3])
		}
	}
}
