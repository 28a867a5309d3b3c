package problems

import (
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/physgrad/physgrad/physics/poisson"
	"github.com/physgrad/physgrad/train"
)

// The published comparisons at full size take minutes; they run only with
// PHYSGRAD_LONG=1 (PHYSGRAD_LONG_OUT=DIR also writes each run's CSV there,
// for docs/). See docs/training.md for the measured results.
func longRun(t *testing.T) {
	if os.Getenv("PHYSGRAD_LONG") != "1" {
		t.Skip("set PHYSGRAD_LONG=1 to run the full-size comparison")
	}
}

func trainAndLog(t *testing.T, name string, task train.Task, s train.Settings) *train.Result {
	t.Helper()
	r := train.Run(task, s)
	if r.Err != nil {
		t.Fatalf("%s %s: %v", name, s.Method, r.Err)
	}
	if dir := os.Getenv("PHYSGRAD_LONG_OUT"); dir != "" {
		d := filepath.Join(dir, name)
		os.MkdirAll(d, 0o755)
		if err := train.WriteLogCSV(filepath.Join(d, s.Method+".csv"), r.Log, nil); err != nil {
			t.Fatal(err)
		}
	}
	return r
}

func meanOf(log []train.StepLog, from, to int, f func(train.StepLog) float64) float64 {
	s := 0.0
	for _, e := range log[from : to+1] {
		s += f(e)
	}
	return s / float64(to-from+1)
}

// R6: batch 128, the authors' initial weights, one data stream, 150 steps
// per method. The authors' code here: SIP 11.4, Adam 21.3 mean x_l2 over
// steps 137–146.
func TestLongHeatSIPvsAdam(t *testing.T) {
	longRun(t)
	task, err := NewHeatTask(64)
	if err != nil {
		t.Fatal(err)
	}
	w, err := TorchUNetWeights()
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]float64{}
	for _, method := range []string{"sip", "adam"} {
		r := trainAndLog(t, "heat", task, train.Settings{Method: method, Steps: 150, InitWeights: w})
		m[method] = meanOf(r.Log, 137, 146, func(e train.StepLog) float64 { return e.XL2 })
		t.Logf("heat %s: mean x_l2 steps 137–146 = %.4g", method, m[method])
	}
	if !(m["sip"] <= 12) || !(1.5*m["sip"] <= m["adam"]) {
		t.Errorf("SIP %.4g, Adam %.4g: want SIP ≤ 12 and ≥ 1.5× below Adam", m["sip"], m["adam"])
	}
}

// R5: batch 128, the authors' initial weights (InitTorch) and one data
// stream for both, 150 steps. From step 50 on SIP's x_l1 ≤ 0.5× Adam's at
// every step (authors' code here: step 65 SIP 995, Adam 2298). With our
// own seed-0 draw the ratio is 0.51–0.56 over steps 50–72: the outcome
// depends on the initial output offset (docs/training.md), which the
// authors' draw has and ours lacks; TestLongPoissonOwnInit logs it.
func TestLongPoissonSIPvsAdam(t *testing.T) {
	longRun(t)
	task, err := NewPoissonTask(64, poisson.Exact)
	if err != nil {
		t.Fatal(err)
	}
	w, err := TorchUNetWeights()
	if err != nil {
		t.Fatal(err)
	}
	sip := trainAndLog(t, "poisson", task, train.Settings{Method: "sip", Steps: 150, InitWeights: w})
	adam := trainAndLog(t, "poisson", task, train.Settings{Method: "adam", Steps: 150, InitWeights: w})
	t.Logf("poisson x_l1 at step 65: SIP %.4g, Adam %.4g (authors 995, 2298)", sip.Log[65].XL1, adam.Log[65].XL1)
	for k := 50; k < 150; k++ {
		if !(sip.Log[k].XL1 <= 0.5*adam.Log[k].XL1) {
			t.Errorf("step %d: SIP x_l1 %.4g, Adam %.4g", k, sip.Log[k].XL1, adam.Log[k].XL1)
		}
	}
}

// R5 from our own seed-0 draw (InitSeed): logged, not asserted (see
// TestLongPoissonSIPvsAdam).
func TestLongPoissonOwnInit(t *testing.T) {
	longRun(t)
	task, err := NewPoissonTask(64, poisson.Exact)
	if err != nil {
		t.Fatal(err)
	}
	sip := trainAndLog(t, "poisson_seedinit", task, train.Settings{Method: "sip", Steps: 150})
	adam := trainAndLog(t, "poisson_seedinit", task, train.Settings{Method: "adam", Steps: 150})
	worst, at := 0.0, 0
	for k := 50; k < 150; k++ {
		if r := sip.Log[k].XL1 / adam.Log[k].XL1; r > worst {
			worst, at = r, k
		}
	}
	t.Logf("own init: step 65 SIP %.4g, Adam %.4g; largest SIP/Adam ratio from step 50 on %.3f at step %d",
		sip.Log[65].XL1, adam.Log[65].XL1, worst, at)
}

// R4: 120 s per method. ξ = 32: SIP's x_l1 below Adam's (authors 1.57e-2
// vs 3.45e-2, means of the last 1000 steps); ξ = 1: both below 2e-3.
func TestLongSineSIPvsAdam(t *testing.T) {
	longRun(t)
	for _, xi := range []float64{32, 1} {
		task, err := NewSineTask(xi, 0)
		if err != nil {
			t.Fatal(err)
		}
		m := map[string]float64{}
		for _, method := range []string{"sip", "adam"} {
			r := trainAndLog(t, "sin_xi"+strconv.FormatFloat(xi, 'g', -1, 64), task, train.Settings{Method: method, TimeLimit: 120 * time.Second})
			n := len(r.Log)
			m[method] = meanOf(r.Log, n-1000, n-1, func(e train.StepLog) float64 { return e.XL1 })
			t.Logf("sin ξ=%g %s: %d steps, x_l1 (last 1000) %.4g", xi, method, n, m[method])
		}
		if xi == 32 && !(m["sip"] < m["adam"]) {
			t.Errorf("ξ=32: SIP %.4g not below Adam %.4g", m["sip"], m["adam"])
		}
		if xi == 1 && !(m["sip"] < 2e-3 && m["adam"] < 2e-3) {
			t.Errorf("ξ=1: SIP %.4g, Adam %.4g, want both < 2e-3", m["sip"], m["adam"])
		}
	}
}
