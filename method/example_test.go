package method_test

import (
	"fmt"
	"math"

	"github.com/physgrad/physgrad/loss"
	"github.com/physgrad/physgrad/method"
	"github.com/physgrad/physgrad/solve"
)

// cubeSim is a user-defined simulator y = x³ (elementwise) with an analytic
// local inverse. It needs no adjoint: physgrad falls back to finite
// differences where a gradient is wanted.
type cubeSim struct{}

func (cubeSim) InputSize() int  { return 2 }
func (cubeSim) OutputSize() int { return 2 }
func (cubeSim) Forward(y, x []float64) error {
	for i, v := range x {
		y[i] = v * v * v
	}
	return nil
}
func (cubeSim) Inverse(x, y, x0 []float64) error {
	for i, v := range y {
		x[i] = math.Cbrt(v)
	}
	return nil
}

// One physical-gradient step on a user-defined simulator: with η = 0.5 the
// output moves halfway to the target, y = (4.5, -4), so x = ∛y.
func Example_pgStep() {
	p := &method.Problem{Sim: cubeSim{}, Loss: loss.L2{Target: []float64{8, -8}}}
	m, _ := method.New("pg", 0.5)
	x := []float64{1, 0}
	if err := m.Init(p, x); err != nil {
		fmt.Println(err)
		return
	}
	if err := m.Step(x); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("x = (%.4f, %.4f)\n", x[0], x[1])
	// Output: x = (1.6510, -1.5874)
}

// A full optimisation run: PG against GD on the same problem.
func Example_run() {
	p := &method.Problem{Sim: cubeSim{}, Loss: loss.L2{Target: []float64{8, -8}}}
	for _, name := range []string{"pg", "gd"} {
		m, _ := method.New(name, 0.01)
		if name == "pg" {
			m, _ = method.New(name, 0.5)
		}
		r := solve.Run(p, m, []float64{1, 1}, solve.Settings{Steps: 20})
		fmt.Printf("%s: %s after %d steps, loss %.2g\n", name, r.Status, r.Step, r.Loss[len(r.Loss)-1])
	}
	// Output:
	// pg: done after 20 steps, loss 5.9e-11
	// gd: done after 20 steps, loss 32
}
