package report

import (
	"math"
	"os"
	"path/filepath"
	"testing"
)

func TestFieldRowWritesBothFormats(t *testing.T) {
	ny, nx := 16, 20
	a, b := make([]float64, ny*nx), make([]float64, ny*nx)
	for i := range a {
		a[i] = math.Sin(float64(i) / 7)
		b[i] = float64(i % nx)
	}
	base := filepath.Join(t.TempDir(), "row")
	if err := FieldRow(base, []string{"a", "b"}, [][]float64{a, b}, ny, nx); err != nil {
		t.Fatal(err)
	}
	for _, ext := range []string{".png", ".svg"} {
		if fi, err := os.Stat(base + ext); err != nil || fi.Size() < 1000 {
			t.Errorf("%s: %v", ext, err)
		}
	}
	if err := FieldRow(base, []string{"a"}, [][]float64{a[:5]}, ny, nx); err == nil {
		t.Error("wrong field size accepted")
	}
}

// Degenerate data must still plot: zeros on a log axis, a single point,
// no positive value at all.
func TestCurvesDegenerateData(t *testing.T) {
	dir := t.TempDir()
	for name, s := range map[string][]Series{
		"zeros":  {{Name: "a", X: []float64{0, 1}, Y: []float64{0, 0}}},
		"single": {{Name: "a", X: []float64{0}, Y: []float64{3}}},
		"mixed":  {{Name: "a", X: []float64{0, 1, 2}, Y: []float64{5, 0, math.NaN()}}, {Name: "b"}},
		"empty":  nil,
	} {
		p, err := Curves(name, "x", "y", s, true)
		if err != nil {
			t.Fatal(err)
		}
		if err := Save(p, 300, 200, filepath.Join(dir, name)); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}
