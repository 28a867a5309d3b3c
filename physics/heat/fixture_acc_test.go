package heat

import (
	"math"
	"testing"
)

// TestFixtureOneCorrection runs the authors' SIP correction on their
// example, from the fixture's prediction and target, and compares every
// stored field to 1e-9 of its maximum.
func TestFixtureOneCorrection(t *testing.T) {
	fx := loadFixture(t)
	for _, floor := range []bool{false, true} {
		d, err := NewDiffuser(64, 64, Settings{NoFloor: !floor})
		if err != nil {
			t.Fatal(err)
		}
		y := make([]float64, 4096)
		if err := d.Forward(y, fx.col["prediction"]); err != nil {
			t.Fatal(err)
		}
		if e, at := relMaxErr(y, fx.col["y"]); e > 1e-9 {
			t.Errorf("y: relative error %.3g at %d", e, at)
		} else {
			t.Logf("y: max error %.3g of max", e)
		}
		r := sub(fx.col["y_target"], y)
		dx := make([]float64, 4096)
		info, err := d.DampedInverse(dx, r, fx.col["y_target"])
		if err != nil {
			t.Fatal(err)
		}
		if e, at := relMaxErr(dx, fx.col["dx"]); e > 1e-9 {
			t.Errorf("floor %v: dx relative error %.3g at %d", floor, e, at)
		} else {
			t.Logf("floor %v: dx max error %.3g of max", floor, e)
		}
		x1 := make([]float64, 4096)
		for i := range x1 {
			x1[i] = fx.col["prediction"][i] + dx[i]
		}
		x0l2 := halfL2(fx.col["prediction"], fx.col["x_gt"])
		x1l2 := halfL2(x1, fx.col["x_gt"])
		for _, c := range []struct {
			name      string
			got, want float64
		}{{"x-L2 before", x0l2, fx.summary.XL2Pred}, {"x-L2 after", x1l2, fx.summary.XL2PredPlusDx}, {"uncertainty out", info.UncertaintyOut, fx.summary.UncertaintyOut}} {
			if rel := math.Abs(c.got-c.want) / c.want; rel > 1e-6 {
				t.Errorf("floor %v: %s %.9g, want %.9g (rel %.2g)", floor, c.name, c.got, c.want, rel)
			} else {
				t.Logf("floor %v: %s %.9g vs %.9g (rel %.2g)", floor, c.name, c.got, c.want, rel)
			}
		}
	}
}
