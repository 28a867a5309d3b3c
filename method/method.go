// Package method holds physgrad's update rules for simulator inputs x, all
// behind one interface: first-order optimisers on the adjoint gradient (gd,
// momentum, adam, rmsprop, adagrad, adadelta), Newton, Gauss-Newton, the
// inverse gradient (ig), physical gradients with an analytic (pg) or a
// numerical (pg-numeric) local inverse, and gonum's BFGS and L-BFGS.
//
// A method states what it needs when it is initialised on a Problem; a
// method that cannot run says why in one line (ErrNotApplicable).
package method

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"gonum.org/v1/gonum/mat"

	"github.com/physgrad/physgrad/loss"
	"github.com/physgrad/physgrad/sim"
)

// Problem is what a method optimises: L(P(x)).
type Problem struct {
	Sim  sim.Simulator
	Loss loss.Loss
	// Hessian, if set, writes the Hessian of L(P(x)) in x. Newton uses it
	// and falls back to finite differences of the gradient without it.
	Hessian func(h *mat.SymDense, x []float64) error
	// YStep tunes the y-space Newton step of pg and ig.
	YStep loss.StepSettings
}

// Objective returns L(P(x)) and, into y if non-nil, P(x).
func (p *Problem) Objective(x, y []float64) (float64, error) {
	if y == nil {
		y = make([]float64, p.Sim.OutputSize())
	}
	if err := p.Sim.Forward(y, x); err != nil {
		return 0, err
	}
	return p.Loss.Value(y), nil
}

// Gradient writes ∂L(P(x))/∂x = Jᵀ ∂L/∂y into g, using the simulator's
// adjoint or the fallbacks of sim.VJP.
func (p *Problem) Gradient(g, x []float64) error {
	y := make([]float64, p.Sim.OutputSize())
	if err := p.Sim.Forward(y, x); err != nil {
		return err
	}
	gy := make([]float64, len(y))
	p.Loss.Gradient(gy, y)
	return sim.VJP(p.Sim, g, x, gy)
}

// Method is one update rule.
type Method interface {
	// Name is the registry name.
	Name() string
	// Init prepares a run from x and checks that the problem offers what
	// the method needs; it returns an ErrNotApplicable error otherwise.
	Init(p *Problem, x []float64) error
	// Step advances x in place by one iteration. It returns ErrConverged
	// when the method has stopped by itself (x is then unchanged).
	Step(x []float64) error
}

// ErrNotApplicable wraps the reason why a method cannot run on a problem.
var ErrNotApplicable = errors.New("not applicable")

// ErrConverged is returned by Step when the method has terminated by itself.
var ErrConverged = errors.New("converged")

func notApplicable(method, format string, a ...any) error {
	return fmt.Errorf("%s: %w: %s", method, ErrNotApplicable, fmt.Sprintf(format, a...))
}

type constructor func(eta float64) Method

var registry = map[string]constructor{}

func register(name string, c constructor) { registry[name] = c }

// New returns the named method with step size eta (learning rate for the
// first-order rules, η for newton, gn, ig and pg; unused by bfgs and lbfgs).
func New(name string, eta float64) (Method, error) {
	c, ok := registry[name]
	if !ok {
		return nil, fmt.Errorf("unknown method %q (known: %s)", name, strings.Join(Names(), ", "))
	}
	return c(eta), nil
}

// Names lists the registered methods in sorted order.
func Names() []string {
	n := make([]string, 0, len(registry))
	for k := range registry {
		n = append(n, k)
	}
	sort.Strings(n)
	return n
}

// UsesStepSize reports whether the named method takes a step size.
func UsesStepSize(name string) bool { return name != "bfgs" && name != "lbfgs" }
