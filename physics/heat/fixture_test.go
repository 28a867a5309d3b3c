package heat

import (
	"compress/gzip"
	"encoding/csv"
	"encoding/json"
	"math"
	"os"
	"strconv"
	"testing"
)

// fixture is the authors' one-example reference (testdata/README.md).
type fixture struct {
	col     map[string][]float64
	summary struct {
		XL2Pred        float64 `json:"x_l2_pred"`
		XL2PredPlusDx  float64 `json:"x_l2_pred_plus_dx"`
		UncertaintyOut float64 `json:"uncertainty_out"`
	}
}

func loadFixture(t testing.TB) *fixture {
	t.Helper()
	f, err := os.Open("testdata/heat_physics_ref_item0.csv.gz")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(gz).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	fx := &fixture{col: map[string][]float64{}}
	for _, rec := range recs[1:] {
		for j, name := range recs[0] {
			v, err := strconv.ParseFloat(rec[j], 64)
			if err != nil {
				t.Fatal(err)
			}
			fx.col[name] = append(fx.col[name], v)
		}
	}
	b, err := os.ReadFile("testdata/heat_physics_ref_item0_summary.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &fx.summary); err != nil {
		t.Fatal(err)
	}
	return fx
}

// maxAbs returns max|v|.
func maxAbs(v []float64) float64 {
	var m float64
	for _, x := range v {
		m = math.Max(m, math.Abs(x))
	}
	return m
}

// relMaxErr returns max|got−want| / max|want|.
func relMaxErr(got, want []float64) (float64, int) {
	var e float64
	at := -1
	for i := range want {
		if d := math.Abs(got[i] - want[i]); d > e {
			e, at = d, i
		}
	}
	return e / maxAbs(want), at
}

func halfL2(a, b []float64) float64 {
	var s float64
	for i := range a {
		d := a[i] - b[i]
		s += d * d
	}
	return s / 2
}

func sub(a, b []float64) []float64 {
	out := make([]float64, len(a))
	for i := range a {
		out[i] = a[i] - b[i]
	}
	return out
}
