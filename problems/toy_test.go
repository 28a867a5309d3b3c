package problems

import (
	"encoding/csv"
	"math"
	"os"
	"strconv"
	"testing"

	"github.com/physgrad/physgrad/method"
	"github.com/physgrad/physgrad/solve"
)

func runToy(t *testing.T, tp *Toy, name string, eta float64, start []float64, steps int) *solve.Result {
	t.Helper()
	m, err := method.New(name, eta)
	if err != nil {
		t.Fatal(err)
	}
	r := solve.Run(tp.Problem, m, start, solve.Settings{Steps: steps, KeepIterates: true})
	if r.Err != nil && r.Status != solve.Diverged {
		t.Fatalf("%s: %v", name, r.Err)
	}
	return r
}

// refIterates reads the float64 iterates of the authors' toy re-run.
func refIterates(t *testing.T) map[string][][2]float64 {
	f, err := os.Open("testdata/toy_iterates.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][][2]float64{}
	for _, r := range rows[1:] {
		x0, _ := strconv.ParseFloat(r[4], 64)
		x1, _ := strconv.ParseFloat(r[5], 64)
		out[r[0]] = append(out[r[0]], [2]float64{x0, x1})
	}
	return out
}

func TestSquareMatchesPublishedIterates(t *testing.T) {
	ref := refIterates(t)
	tp := Square()
	cases := []struct {
		method, refName string
		final           [2]float64
		align           float64
	}{
		{"gd", "GD", [2]float64{2.4512184, 0.9617115}, 1.053930},
		{"newton", "Newton", [2]float64{0.0520246, 0.9238384}, 1.264911},
		{"pg", "PG_analytic", [2]float64{0.0847426, 0.50421}, 1.356443},
	}
	for _, c := range cases {
		r := runToy(t, tp, c.method, tp.Eta[c.method], tp.Start, 10)
		want := ref[c.refName]
		if len(want) != 11 || len(r.X) != 11 {
			t.Fatalf("%s: %d reference and %d computed iterates, want 11", c.method, len(want), len(r.X))
		}
		for i := range want {
			for j := 0; j < 2; j++ {
				if d := math.Abs(r.X[i][j] - want[i][j]); d > 1e-9 {
					t.Errorf("%s iterate %d x%d = %.12g, reference %.12g", c.method, i-1, j, r.X[i][j], want[i][j])
				}
			}
		}
		for j := 0; j < 2; j++ {
			if d := math.Abs(r.Final[j] - c.final[j]); d > 1e-6 {
				t.Errorf("%s final x%d = %.9g, published %.9g", c.method, j, r.Final[j], c.final[j])
			}
		}
		if a := DiagonalAlignment(r.X[0], r.X[1]); math.Abs(a-c.align) > 1e-6 {
			t.Errorf("%s first-update alignment %.7f, published %.6f", c.method, a, c.align)
		}
	}
}

func TestSquarePGNumericMatchesAnalytic(t *testing.T) {
	tp := Square()
	a := runToy(t, tp, "pg", 0.3, tp.Start, 10)
	n := runToy(t, tp, "pg-numeric", 0.3, tp.Start, 10)
	if len(n.X) != len(a.X) {
		t.Fatalf("pg-numeric took %d iterates, pg %d", len(n.X), len(a.X))
	}
	for i := range a.X {
		for j := range a.X[i] {
			if d := math.Abs(a.X[i][j] - n.X[i][j]); d > 1e-5 {
				t.Errorf("iterate %d x%d: pg %.9g pg-numeric %.9g", i, j, a.X[i][j], n.X[i][j])
			}
		}
	}
}

func TestSquarePGStaysOnNegativeBranch(t *testing.T) {
	tp := Square()
	for _, name := range []string{"pg", "pg-numeric"} {
		r := runToy(t, tp, name, 0.3, []float64{3, -3}, 10)
		for i, x := range r.X {
			if !(x[1] < 0) {
				t.Fatalf("%s iterate %d left the negative branch: %v", name, i, x)
			}
		}
		// Mirror image of the run from (3, 3).
		if d := math.Abs(r.Final[1] + 0.50421); d > 1e-5 {
			t.Errorf("%s final x1 = %.7f, want -0.50421", name, r.Final[1])
		}
	}
}

func TestScaledInvariance(t *testing.T) {
	start := []float64{2, -1.5}
	for _, alpha := range []float64{0.01, 1, 100} {
		tp, err := Scaled(alpha)
		if err != nil {
			t.Fatal(err)
		}
		var base [][]float64
		for _, name := range []string{"pg", "ig", "newton"} {
			r := runToy(t, tp, name, 0.3, start, 10)
			if base == nil {
				base = r.X
				// Each step is x ← (1 − η)x.
				for i, x := range r.X {
					f := math.Pow(0.7, float64(i))
					if math.Abs(x[0]-f*start[0]) > 1e-12 || math.Abs(x[1]-f*start[1]) > 1e-12 {
						t.Fatalf("α=%g %s iterate %d = %v, want %v·start", alpha, name, i, x, f)
					}
				}
				continue
			}
			for i := range base {
				for j := range base[i] {
					if d := math.Abs(r.X[i][j] - base[i][j]); d > 1e-9 {
						t.Errorf("α=%g: %s iterate %d differs from pg by %g", alpha, name, i, d)
					}
				}
			}
		}
		if alpha == 100 {
			long := runToy(t, tp, "gd", 0.01, start, 200)
			if long.Status != solve.Diverged {
				t.Errorf("gd at α=100 with η=0.01: status %v, want diverged", long.Status)
			}
		}
	}
	// GD's trajectory depends on α.
	tp1, _ := Scaled(1)
	tp2, _ := Scaled(0.01)
	a := runToy(t, tp1, "gd", 0.01, start, 10).Final
	b := runToy(t, tp2, "gd", 0.01, start, 10).Final
	if math.Abs(a[1]-b[1]) < 0.1 {
		t.Errorf("gd final x1 is %g at α=1 and %g at α=0.01; expected them to differ", a[1], b[1])
	}
}

func TestEveryMethodReducesSquareLoss(t *testing.T) {
	tp := Square()
	for _, name := range method.Names() {
		m, _ := method.New(name, tp.Eta[name])
		r := solve.Run(tp.Problem, m, tp.Start, solve.Settings{Steps: 5})
		if r.Err != nil {
			t.Errorf("%s on square: %v", name, r.Err)
		}
		if r.Loss[len(r.Loss)-1] >= r.Loss[0] {
			t.Errorf("%s on square did not reduce the loss: %v", name, r.Loss)
		}
	}
}
