package inverse

import (
	"errors"
	"math"
	"testing"

	"github.com/physgrad/physgrad/physics/toy"
	"github.com/physgrad/physgrad/sim"
)

// cubic is y = x³ + x elementwise: invertible, with no inverse of its own.
type cubic struct{ n int }

func (c cubic) InputSize() int  { return c.n }
func (c cubic) OutputSize() int { return c.n }
func (c cubic) Forward(y, x []float64) error {
	for i, v := range x {
		y[i] = v*v*v + v
	}
	return nil
}

// squareWrongSign has the square toy's inverse with a sign error in x0.
type squareWrongSign struct{ toy.Square }

func (squareWrongSign) Inverse(x, y, x0 []float64) error {
	x[0], x[1] = -y[0], math.Sqrt(math.Abs(y[1]))
	if x0[1] < 0 {
		x[1] = -x[1]
	}
	return nil
}

// squareWrongBranch always returns the positive root.
type squareWrongBranch struct{ toy.Square }

func (squareWrongBranch) Inverse(x, y, x0 []float64) error {
	x[0], x[1] = y[0], math.Sqrt(y[1])
	return nil
}

// noSolution has no x with P(x) = y for y < 0.
type noSolution struct{}

func (noSolution) InputSize() int  { return 1 }
func (noSolution) OutputSize() int { return 1 }
func (noSolution) Forward(y, x []float64) error {
	y[0] = x[0]*x[0] + 1
	return nil
}

func TestSolveCubic(t *testing.T) {
	s := cubic{3}
	y := []float64{10, -2, 0.5} // x = 2, -1, ...
	x := make([]float64, 3)
	if err := Solve(s, x, y, []float64{1, 0, 0}, Settings{}); err != nil {
		t.Fatal(err)
	}
	if math.Abs(x[0]-2) > 1e-9 || math.Abs(x[1]+1) > 1e-9 {
		t.Errorf("x = %v, want (2, -1, ·)", x)
	}
	yy, _ := sim.Eval(s, x)
	if math.Abs(yy[2]-0.5) > 1e-9 {
		t.Errorf("residual %g", yy[2]-0.5)
	}
}

func TestSolveReportsResidual(t *testing.T) {
	x := make([]float64, 1)
	err := Solve(noSolution{}, x, []float64{-3}, []float64{0.5}, Settings{})
	var nc *NotConvergedError
	if !errors.As(err, &nc) {
		t.Fatalf("want NotConvergedError, got %v", err)
	}
	// The best reachable point is x = 0 with residual 4.
	if math.Abs(nc.Residual-4) > 1e-6 {
		t.Errorf("residual %g, want 4", nc.Residual)
	}
}

func TestSolvePicksNearestBranch(t *testing.T) {
	x := make([]float64, 2)
	if err := Solve(toy.Square{}, x, []float64{1, 4}, []float64{0.5, -1.5}, Settings{}); err != nil {
		t.Fatal(err)
	}
	if math.Abs(x[1]+2) > 1e-9 {
		t.Errorf("x1 = %g, want -2", x[1])
	}
}

func TestCheckPassesCorrectInverses(t *testing.T) {
	for name, s := range map[string]sim.Simulator{
		"square": toy.Square{}, "scaled": toy.Scaled{Alpha: 100}, "cubic (numeric)": cubic{4},
	} {
		rep, err := Check(s, CheckSettings{Seed: 1})
		if err != nil {
			t.Fatal(err)
		}
		if !rep.Passed() {
			for _, p := range rep.Points {
				if p.Problem != "" {
					t.Errorf("%s: %s at x_true %v", name, p.Problem, p.XTrue)
				}
			}
		}
		if rep.Analytic && rep.MaxDisagreement > 1e-6 {
			t.Errorf("%s: analytic and numerical inverse disagree by %g", name, rep.MaxDisagreement)
		}
	}
}

func TestCheckFindsWrongInverses(t *testing.T) {
	for name, s := range map[string]sim.Simulator{
		"sign error": squareWrongSign{}, "wrong branch": squareWrongBranch{},
	} {
		rep, err := Check(s, CheckSettings{Seed: 1})
		if err != nil {
			t.Fatal(err)
		}
		if rep.Failed < len(rep.Points)/4 {
			t.Errorf("%s: only %d of %d points failed", name, rep.Failed, len(rep.Points))
		}
	}
}
