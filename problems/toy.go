// Package problems is physgrad's catalogue of reference problems (SPEC
// R1–R9): each entry bundles a simulator, a loss, a start or data generator,
// a metric and the published default settings.
package problems

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"gonum.org/v1/gonum/mat"

	"github.com/physgrad/physgrad/loss"
	"github.com/physgrad/physgrad/method"
	"github.com/physgrad/physgrad/physics/toy"
)

// Toy is a two-dimensional optimisation problem with a known optimum.
type Toy struct {
	// Name is the catalogue name ("square", "scaled").
	Name string
	// Problem is the simulator, loss and analytic composite Hessian.
	Problem *method.Problem
	// Start is the published start.
	Start []float64
	// Alpha is the scale of the scaling toy (1 for the square toy).
	Alpha float64
	// Optimum is the minimiser of the loss.
	Optimum []float64
	// Eta holds the default step size per method (the published ones
	// where published: gd 0.01, newton 1/3, pg 0.3).
	Eta map[string]float64
}

// defaultEta returns the toy step sizes. gd, newton and pg are the
// published ones; the others are ours, chosen to be stable on R1 from (3, 3).
func defaultEta() map[string]float64 {
	return map[string]float64{
		"gd": 0.01, "momentum": 0.01, "adam": 0.1, "rmsprop": 0.01, "adagrad": 0.5, "adadelta": 1,
		"newton": 1.0 / 3, "gn": 1.0 / 6, "ig": 0.3, "pg": 0.3, "pg-numeric": 0.3,
		"bfgs": 0, "lbfgs": 0,
	}
}

// Square is R1: y = (x0, x1²), L = |y|², start (3, 3).
func Square() *Toy {
	return &Toy{
		Name:  "square",
		Alpha: 1,
		Problem: &method.Problem{
			Sim:  toy.Square{},
			Loss: loss.SquaredNorm{},
			// L = x0² + x1⁴.
			Hessian: func(h *mat.SymDense, x []float64) error {
				h.SetSym(0, 0, 2)
				h.SetSym(0, 1, 0)
				h.SetSym(1, 1, 12*x[1]*x[1])
				return nil
			},
		},
		Start:   []float64{3, 3},
		Optimum: []float64{0, 0},
		Eta:     defaultEta(),
	}
}

// Scaled is R2: y = (x0, α·x1), L = |y|², start (3, 3).
func Scaled(alpha float64) (*Toy, error) {
	if alpha == 0 || math.IsNaN(alpha) || math.IsInf(alpha, 0) {
		return nil, fmt.Errorf("alpha must be a finite non-zero number, got %v", alpha)
	}
	return &Toy{
		Name:  "scaled",
		Alpha: alpha,
		Problem: &method.Problem{
			Sim:  toy.Scaled{Alpha: alpha},
			Loss: loss.SquaredNorm{},
			// L = x0² + α²x1².
			Hessian: func(h *mat.SymDense, x []float64) error {
				h.SetSym(0, 0, 2)
				h.SetSym(0, 1, 0)
				h.SetSym(1, 1, 2*alpha*alpha)
				return nil
			},
		},
		Start:   []float64{3, 3},
		Optimum: []float64{0, 0},
		Eta:     defaultEta(),
	}, nil
}

// ToyNames lists the toy problems.
func ToyNames() []string { return []string{"scaled", "square"} }

// NewToy returns the named toy; alpha is used by "scaled" only.
func NewToy(name string, alpha float64) (*Toy, error) {
	switch name {
	case "square":
		return Square(), nil
	case "scaled":
		return Scaled(alpha)
	}
	n := ToyNames()
	sort.Strings(n)
	return nil, fmt.Errorf("unknown problem %q (known: %s)", name, strings.Join(n, ", "))
}

// DiagonalAlignment is dot(u/|u|, (1, 1)) for the first update u = x0 − x1,
// the measure of how directly an update heads for the optimum (SPEC R1).
func DiagonalAlignment(x0, x1 []float64) float64 {
	u0, u1 := x0[0]-x1[0], x0[1]-x1[1]
	n := math.Hypot(u0, u1)
	return (u0 + u1) / n
}
