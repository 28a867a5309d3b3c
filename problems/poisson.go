package problems

import (
	"fmt"

	"github.com/physgrad/physgrad/nn"
	"github.com/physgrad/physgrad/physics/poisson"
	"github.com/physgrad/physgrad/train"
)

// PoissonTask is R5 as a training task: the U-Net maps y* (the solution of
// ∇²y* = x on a 64×64 zero-Dirichlet grid) to the smooth random field x.
// SIP's inverse is exact: x̃ = x − ∇²(y − y*). No mean correction.
type PoissonTask struct {
	plainOutput
	N      int
	batch  *poisson.Batch
	solver poisson.Method
	lap    []float64
}

var _ train.Task = (*PoissonTask)(nil)

// NewPoissonTask returns R5 on an n×n grid with the given forward solver:
// poisson.Exact (sine transform) or poisson.CG, the authors' conjugate
// gradients to 1e-5 relative residual (also used for the adjoint solve).
func NewPoissonTask(n int, solver poisson.Method) (*PoissonTask, error) {
	if n < 8 || n%8 != 0 {
		return nil, fmt.Errorf("poisson: grid size must be a multiple of 8, got %d", n)
	}
	b, err := poisson.NewBatch(n, n, poisson.Settings{Method: solver}, 0)
	if err != nil {
		return nil, err
	}
	return &PoissonTask{N: n, batch: b, solver: solver}, nil
}

// Config names the solver, so that checkpoints resume only the same physics.
func (t *PoissonTask) Config() string { return "solver=" + t.solver.String() }

// Name is "poisson".
func (t *PoissonTask) Name() string { return "poisson" }

// XSize is N².
func (t *PoissonTask) XSize() int { return t.N * t.N }

// YSize is N².
func (t *PoissonTask) YSize() int { return t.N * t.N }

// NewNet builds the authors' U-Net(1, 1).
func (t *PoissonTask) NewNet(seed uint64) (*nn.Net[float32], error) {
	return nn.NewUNet[float32](nn.UNetConfig{In: 1, Out: 1, Height: t.N, Width: t.N, Seed: seed})
}

// Batch generates smooth random fields x and solves for y*; the input is y*.
func (t *PoissonTask) Batch(seed uint64, step, batch int, in []float32, xTrue, yTarget []float64) error {
	if err := poisson.FieldBatch(xTrue, batch, t.N, t.N, stepSeed(seed, step)); err != nil {
		return err
	}
	if _, err := t.batch.Solve(yTarget, xTrue); err != nil {
		return err
	}
	for i, v := range yTarget {
		in[i] = float32(v)
	}
	return nil
}

// Forward solves ∇²y = x per field.
func (t *PoissonTask) Forward(y, x []float64, batch int) error {
	_, err := t.batch.Solve(y, x)
	return err
}

// VJP is another solve: the discrete Laplacian is symmetric.
func (t *PoissonTask) VJP(dx, x, dy []float64, batch int) error {
	_, err := t.batch.Solve(dx, dy)
	return err
}

// SIPTarget is x − ∇²(y − y*).
func (t *PoissonTask) SIPTarget(xt, x, y, yTarget []float64, batch int) error {
	if len(t.lap) != len(y) {
		t.lap = make([]float64, len(y))
	}
	for i := range y {
		t.lap[i] = y[i] - yTarget[i]
	}
	if err := t.batch.Laplace(xt, t.lap); err != nil {
		return err
	}
	for i := range xt {
		xt[i] = x[i] - xt[i]
	}
	return nil
}

// Metrics: batch means of Σ|x − x*|, ½Σ(x − x*)², ½Σ(y − y*)².
func (t *PoissonTask) Metrics(x, xTrue, y, yTarget []float64, batch int) train.Metrics {
	return fieldMetrics(x, xTrue, y, yTarget, batch)
}

// Conventions: loss.sum().backward(), L2 proxy, Adam 1e-3, batch 128.
func (t *PoissonTask) Conventions() train.Conventions {
	return train.Conventions{LR: 1e-3, Batch: 128}
}
