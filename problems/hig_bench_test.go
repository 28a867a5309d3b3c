package problems

import (
	"runtime"
	"testing"

	"github.com/physgrad/physgrad/physics/oscillator"
	"github.com/physgrad/physgrad/train"
)

// R7's HIG step with the published batch of 32: a 128 × 1,444 stacked
// Jacobian (network ∘ physics, per sample) and its half-inverse. Targets:
// ≤ 5 ms per step, ≤ 0.5 ms for the Jacobian alone.

func oscHIGTrainer(b *testing.B) *train.JacobianTrainer {
	task, err := NewOscillatorTask(oscillator.Default(), OscillatorStates)
	if err != nil {
		b.Fatal(err)
	}
	tr, err := train.NewJacobianTrainer(task, train.Settings{Method: "hig"})
	if err != nil {
		b.Fatal(err)
	}
	return tr
}

// BenchmarkOscillatorHIGStep times one full HIG step.
func BenchmarkOscillatorHIGStep(b *testing.B) {
	tr := oscHIGTrainer(b)
	step := 0
	for b.Loop() {
		if _, err := tr.Step(step); err != nil {
			b.Fatal(err)
		}
		step++
	}
}

// BenchmarkOscillatorHIGJacobian times the batch, forward passes and the
// stacked per-sample Jacobian of one step: the step without the SVD.
func BenchmarkOscillatorHIGJacobian(b *testing.B) {
	tr := oscHIGTrainer(b)
	step := 0
	for b.Loop() {
		if _, _, _, err := tr.Jacobian(step); err != nil {
			b.Fatal(err)
		}
		step++
	}
}

// BenchmarkOscillatorStackedJacobian times the per-sample Jacobians alone:
// the physics Jacobians and the 128 network rows they weight.
func BenchmarkOscillatorStackedJacobian(b *testing.B) {
	tr := oscHIGTrainer(b)
	if _, _, _, err := tr.Jacobian(0); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := tr.StackedJacobian(); err != nil {
			b.Fatal(err)
		}
	}
}

// TestOscillatorHIGDeterministic: the same HIG steps give bitwise the same
// weights with GOMAXPROCS 1 and 2 (the LQ's matrix products run in
// parallel inside gonum).
func TestOscillatorHIGDeterministic(t *testing.T) {
	task, err := NewOscillatorTask(oscillator.Default(), OscillatorStates)
	if err != nil {
		t.Fatal(err)
	}
	var params [2][]float64
	for i, procs := range []int{1, 2} {
		old := runtime.GOMAXPROCS(procs)
		r := train.Run(task, train.Settings{Method: "hig", Steps: 5})
		runtime.GOMAXPROCS(old)
		if r.Err != nil {
			t.Fatal(r.Err)
		}
		params[i] = r.Net64.Params()
	}
	for j := range params[0] {
		if params[0][j] != params[1][j] {
			t.Fatalf("weight %d: %v with GOMAXPROCS=1, %v with 2", j, params[0][j], params[1][j])
		}
	}
}
