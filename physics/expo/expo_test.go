package expo

import (
	"math"
	"testing"
)

func TestSIPStepIsNewtonWherePositiveCurvature(t *testing.T) {
	for _, c := range []struct{ x, y float64 }{{-3, math.Exp(-4)}, {-10, math.Exp(-11)}, {-1, math.Exp(-0.5)}} {
		yh := math.Exp(c.x)
		g := (yh - c.y) * yh
		h := 2*yh*yh - c.y*yh
		if h <= 0 {
			t.Fatalf("test point needs h > 0")
		}
		if d := SIPStep(Newton, c.x, c.y); math.Abs(d+g/h) > 1e-12*math.Abs(g/h) {
			t.Errorf("x=%g: step %g, Newton %g", c.x, d, -g/h)
		}
		// One Newton step moves an exponential with a low-end target by
		// O(1) in x regardless of how small exp(x) is.
		if d := SIPStep(Newton, c.x, c.y); !(math.Abs(d) > 0.2) {
			t.Errorf("x=%g: Newton step %g is not O(1)", c.x, d)
		}
	}
	// Downhill where the curvature is negative (y > 2ŷ): the step must
	// increase x towards log y.
	if d := SIPStep(Newton, -5, math.Exp(-2)); !(d > 0) {
		t.Errorf("negative-curvature step %g points uphill", d)
	}
	if d := SIPStep(NewtonClipped, -5, math.Exp(-2)); d != 0.1 {
		t.Errorf("clipped step %g, want 0.1", d)
	}
	if d := SIPStep(Sign, -5, math.Exp(-6)); d != -0.1 {
		t.Errorf("sign step %g, want -0.1", d)
	}
}
