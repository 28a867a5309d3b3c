package problems

import (
	"testing"

	"github.com/physgrad/physgrad/train"
)

func TestSineSIPBeatsAdamIllConditioned(t *testing.T) {
	task, err := NewSineTask(32, 0)
	if err != nil {
		t.Fatal(err)
	}
	final := map[string]float64{}
	for _, m := range []string{"sip", "adam"} {
		r := train.Run(task, train.Settings{Method: m, Steps: 3000, Seed: 0})
		if r.Err != nil {
			t.Fatal(r.Err)
		}
		// Mean over the last 200 steps, as the refs average trailing steps.
		s := 0.0
		for _, e := range r.Log[len(r.Log)-200:] {
			s += e.XL1
		}
		final[m] = s / 200
		t.Logf("%s: x_l1 %.4g (step 0: %.4g), %.2f ms/step", m, final[m], r.Log[0].XL1, 1e3*r.Log[len(r.Log)-1].Seconds/float64(len(r.Log)))
	}
	if !(final["sip"] < final["adam"]) {
		t.Errorf("ξ=32: SIP x_l1 %.4g not below Adam's %.4g", final["sip"], final["adam"])
	}
}
