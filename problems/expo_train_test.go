package problems

import (
	"testing"

	"github.com/physgrad/physgrad/physics/expo"
	"github.com/physgrad/physgrad/train"
)

// R3: in equal steps SIP reaches a lower x-error than DP on the low end of
// x ∈ [−12, 0], where exp's gradient vanishes. SIP here takes the Newton
// step clipped to 0.1 (the unclipped one is dominated by samples near the
// zero-curvature point h = 0, whose steps are unbounded).
func TestExpSIPBeatsDPOnLowEnd(t *testing.T) {
	low := map[string]float64{}
	for _, c := range []struct {
		name, method string
		step         expo.Step
	}{{"sip", "sip", expo.NewtonClipped}, {"sip-sign", "sip", expo.Sign}, {"dp", "adam", expo.Newton}} {
		task := &ExpTask{Step: c.step}
		r := train.Run(task, train.Settings{Method: c.method, Steps: 3000, Seed: 1})
		if r.Err != nil {
			t.Fatal(r.Err)
		}
		xs, errs, err := ExpError(r.Net, 121)
		if err != nil {
			t.Fatal(err)
		}
		s, n := 0.0, 0
		for i, x := range xs {
			if x <= -8 {
				s += errs[i]
				n++
			}
		}
		low[c.name] = s / float64(n)
		t.Logf("%s: mean |x error| on [-12, -8] = %.4g, over all %.4g", c.name, low[c.name], mean(errs))
	}
	for _, m := range []string{"sip", "sip-sign"} {
		if !(low[m] < 0.5*low["dp"]) {
			t.Errorf("low end: %s error %.4g not below half of DP's %.4g", m, low[m], low["dp"])
		}
	}
}

func mean(v []float64) float64 {
	s := 0.0
	for _, e := range v {
		s += e
	}
	return s / float64(len(v))
}
