package method_test

import (
	"errors"
	"math"
	"runtime"
	"testing"
	"time"

	"github.com/physgrad/physgrad/loss"
	"github.com/physgrad/physgrad/method"
	"github.com/physgrad/physgrad/solve"
)

// proj maps R³ to R²: y = (x0 + x1, x2); no inverse, non-square Jacobian.
type proj struct{}

func (proj) InputSize() int  { return 3 }
func (proj) OutputSize() int { return 2 }
func (proj) Forward(y, x []float64) error {
	y[0], y[1] = x[0]+x[1], x[2]
	return nil
}

func TestNotApplicableSaysWhy(t *testing.T) {
	p := &method.Problem{Sim: proj{}, Loss: loss.L2{Target: []float64{1, 2}}}
	for name, want := range map[string]string{
		"ig": "ig: not applicable: the Jacobian is 2×3, not square",
		"pg": "pg: not applicable: the simulator has no local inverse (use pg-numeric for a numerical one)",
	} {
		m, _ := method.New(name, 1)
		r := solve.Run(p, m, []float64{0, 0, 0}, solve.Settings{Steps: 3})
		if r.Status != solve.NotApplicable || !errors.Is(r.Err, method.ErrNotApplicable) || r.Err.Error() != want {
			t.Errorf("%s: status %v, err %q; want %q", name, r.Status, r.Err, want)
		}
	}
}

func TestFallbacksOnPlainSimulator(t *testing.T) {
	// Only Forward: gradients by finite differences, pg-numeric by LM.
	p := &method.Problem{Sim: proj{}, Loss: loss.L2{Target: []float64{1, 2}}}
	for _, name := range []string{"gd", "adam", "newton", "gn", "pg-numeric", "lbfgs", "bfgs"} {
		eta, steps := 0.5, 40
		switch name {
		case "newton":
			eta = 1
		case "adam":
			eta, steps = 0.05, 400
		}
		m, _ := method.New(name, eta)
		r := solve.Run(p, m, []float64{0, 0, 0}, solve.Settings{Steps: steps})
		if r.Err != nil {
			if name == "newton" {
				// JᵀJ of a 2×3 Jacobian is singular: Newton must say so.
				continue
			}
			t.Errorf("%s: %v", name, r.Err)
			continue
		}
		if l := r.Loss[len(r.Loss)-1]; l > 1e-6 {
			t.Errorf("%s: final loss %g", name, l)
		}
	}
	// pg-numeric with η = 1 solves in one step, staying nearest to x0:
	// the minimum-norm change puts x0 = x1 = 0.5.
	m, _ := method.New("pg-numeric", 1)
	r := solve.Run(p, m, []float64{0, 0, 0}, solve.Settings{Steps: 1, KeepIterates: true})
	x := r.X[1]
	if math.Abs(x[0]-0.5) > 1e-8 || math.Abs(x[1]-0.5) > 1e-8 || math.Abs(x[2]-2) > 1e-8 {
		t.Errorf("pg-numeric one step: x = %v, want (0.5, 0.5, 2)", x)
	}
}

func TestQuasiNewtonStopsItsGoroutine(t *testing.T) {
	p := &method.Problem{Sim: proj{}, Loss: loss.L2{Target: []float64{1, 2}}}
	before := runtime.NumGoroutine()
	for i := 0; i < 20; i++ {
		m, _ := method.New("lbfgs", 0)
		solve.Run(p, m, []float64{0, 0, 0}, solve.Settings{Steps: 1})
	}
	time.Sleep(10 * time.Millisecond)
	if after := runtime.NumGoroutine(); after > before+2 {
		t.Errorf("%d goroutines before, %d after 20 short L-BFGS runs", before, after)
	}
}
