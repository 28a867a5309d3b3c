package sim

import (
	"errors"
	"fmt"

	"gonum.org/v1/gonum/mat"
)

// Chain is the composition P = P_n ∘ … ∘ P_1 of step simulators, itself a
// Simulator with every optional capability: the adjoint and Jacobian come
// from the steps' (through VJP and Jac, so missing capabilities fall back to
// finite differences), the inverse walks back through the steps' local
// inverses.
//
// A Chain holds no per-call state, so Forward, Trace, VJP, Jacobian and
// Inverse may be called concurrently provided the steps (and Fallback) allow
// it. Fallback must not be changed while calls are running.
type Chain struct {
	steps []Simulator

	// Fallback supplies a local inverse for a step that does not implement
	// Inverse (package inverse provides a numerical one). It is called on
	// every Inverse of the chain, once per such step. Nil means Inverse
	// fails on such a step.
	Fallback func(step Simulator) Inverse
}

// ErrNoInverse reports a chain step without a local inverse and no fallback.
var ErrNoInverse = errors.New("sim: step has no inverse")

// NewChain returns the chain applying steps[0] first. It needs at least one
// step, and each step's output size must equal the next step's input size.
func NewChain(steps ...Simulator) (*Chain, error) {
	if len(steps) == 0 {
		return nil, errors.New("sim: chain needs at least one step")
	}
	for k, s := range steps {
		if s == nil {
			return nil, fmt.Errorf("sim: chain step %d is nil", k)
		}
		if s.InputSize() < 0 || s.OutputSize() < 0 {
			return nil, fmt.Errorf("sim: chain step %d has negative size", k)
		}
		if k > 0 && steps[k-1].OutputSize() != s.InputSize() {
			return nil, fmt.Errorf("%w: chain step %d gives %d values but step %d takes %d",
				ErrSize, k-1, steps[k-1].OutputSize(), k, s.InputSize())
		}
	}
	return &Chain{steps: append([]Simulator(nil), steps...)}, nil
}

// Len is the number of steps.
func (c *Chain) Len() int { return len(c.steps) }

// Step returns step k (0-based, in application order).
func (c *Chain) Step(k int) Simulator { return c.steps[k] }

// InputSize is the first step's input size.
func (c *Chain) InputSize() int { return c.steps[0].InputSize() }

// OutputSize is the last step's output size.
func (c *Chain) OutputSize() int { return c.steps[len(c.steps)-1].OutputSize() }

// Forward writes P(x) into y.
func (c *Chain) Forward(y, x []float64) error {
	if err := CheckSizes(c, y, x); err != nil {
		return err
	}
	states, err := c.trace(x)
	if err != nil {
		return err
	}
	copy(y, states[len(states)-1])
	return nil
}

// Trace runs the chain on x and returns all n+1 states: states[0] is a copy
// of x, states[k] the output of step k-1, states[n] = P(x). The slices are
// newly allocated and belong to the caller.
func (c *Chain) Trace(x []float64) ([][]float64, error) {
	if len(x) != c.InputSize() {
		return nil, fmt.Errorf("%w: x has %d values, chain takes %d", ErrSize, len(x), c.InputSize())
	}
	return c.trace(x)
}

func (c *Chain) trace(x []float64) ([][]float64, error) {
	states := make([][]float64, len(c.steps)+1)
	states[0] = append([]float64(nil), x...)
	for k, s := range c.steps {
		states[k+1] = make([]float64, s.OutputSize())
		if err := s.Forward(states[k+1], states[k]); err != nil {
			return nil, fmt.Errorf("sim: chain step %d: %w", k, err)
		}
	}
	return states, nil
}

// VJP writes J(x)ᵀ·dy into dx by running the steps' VJPs backwards along
// the states of a forward pass from x.
func (c *Chain) VJP(dx, x, dy []float64) error {
	if len(dx) != c.InputSize() || len(x) != c.InputSize() || len(dy) != c.OutputSize() {
		return fmt.Errorf("%w: chain VJP needs dx and x of length %d and dy of length %d", ErrSize, c.InputSize(), c.OutputSize())
	}
	states, err := c.trace(x)
	if err != nil {
		return err
	}
	g := append([]float64(nil), dy...)
	for k := len(c.steps) - 1; k >= 0; k-- {
		prev := make([]float64, c.steps[k].InputSize())
		if err := VJP(c.steps[k], prev, states[k], g); err != nil {
			return fmt.Errorf("sim: chain step %d: %w", k, err)
		}
		g = prev
	}
	copy(dx, g)
	return nil
}

// Jacobian writes J_n(x_{n-1})···J_1(x_0) into jac, the step Jacobians taken
// along a forward pass from x.
func (c *Chain) Jacobian(jac *mat.Dense, x []float64) error {
	r, cols := jac.Dims()
	if r != c.OutputSize() || cols != c.InputSize() || len(x) != c.InputSize() {
		return fmt.Errorf("%w: chain Jacobian must be %d×%d for x of length %d", ErrSize, c.OutputSize(), c.InputSize(), c.InputSize())
	}
	states, err := c.trace(x)
	if err != nil {
		return err
	}
	var acc *mat.Dense
	for k, s := range c.steps {
		jk := mat.NewDense(s.OutputSize(), s.InputSize(), nil)
		if err := Jac(s, jk, states[k]); err != nil {
			return fmt.Errorf("sim: chain step %d: %w", k, err)
		}
		if acc == nil {
			acc = jk
			continue
		}
		var next mat.Dense
		next.Mul(jk, acc)
		acc = &next
	}
	jac.Copy(acc)
	return nil
}

// Inverse writes into x the chain's local inverse of y around x0. A forward
// pass from x0 records each step's input x0_{k-1}; then, from target_n = y,
// target_{k-1} = P_k⁻¹(target_k; x0_{k-1}) and x = target_0. A step without
// Inverse uses Fallback(step); with no Fallback, Inverse returns an error
// wrapping ErrNoInverse naming the step.
func (c *Chain) Inverse(x, y, x0 []float64) error {
	if len(x) != c.InputSize() || len(x0) != c.InputSize() || len(y) != c.OutputSize() {
		return fmt.Errorf("%w: chain Inverse needs x and x0 of length %d and y of length %d", ErrSize, c.InputSize(), c.OutputSize())
	}
	// Resolve every inverse before any work, so a missing one fails fast.
	invs := make([]Inverse, len(c.steps))
	for k, s := range c.steps {
		if inv, ok := s.(Inverse); ok {
			invs[k] = inv
			continue
		}
		if c.Fallback != nil {
			invs[k] = c.Fallback(s)
		}
		if invs[k] == nil {
			return fmt.Errorf("%w: chain step %d", ErrNoInverse, k)
		}
	}
	states, err := c.trace(x0)
	if err != nil {
		return err
	}
	target := append([]float64(nil), y...)
	for k := len(c.steps) - 1; k >= 0; k-- {
		prev := make([]float64, c.steps[k].InputSize())
		if err := invs[k].Inverse(prev, target, states[k]); err != nil {
			return fmt.Errorf("sim: chain step %d inverse: %w", k, err)
		}
		target = prev
	}
	copy(x, target)
	return nil
}
