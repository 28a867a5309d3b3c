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
