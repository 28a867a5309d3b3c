package poisson

import (
	"fmt"

	"github.com/physgrad/physgrad/physics/grid"
	"github.com/physgrad/physgrad/sim"
)

// Batch solves and differentiates batches of fields (back to back, each
// ny·nx row-major) in parallel, in grid.Chunks fixed chunks: results are
// bitwise identical for any GOMAXPROCS. Not safe for concurrent use.
type Batch struct {
	ny, nx int
	pool   *grid.Pool
	vs     []*Solver

	y, x  []float64
	stats []CGStats
	errs  []error
	solve func(worker, i int)
}

// NewBatch returns a Batch on workers goroutines (<= 0: GOMAXPROCS).
func NewBatch(ny, nx int, s Settings, workers int) (*Batch, error) {
	b := &Batch{ny: ny, nx: nx, pool: grid.NewPool(workers)}
	for w := 0; w < b.pool.Workers(); w++ {
		v, err := NewSolver(ny, nx, s)
		if err != nil {
			return nil, err
		}
		b.vs = append(b.vs, v)
	}
	b.solve = b.solveItem
	return b, nil
}

// Solve solves ∇²y = x for every field and returns the per-field stats.
// The error, if any, is that of the first field (by index) that failed.
func (b *Batch) Solve(y, x []float64) ([]CGStats, error) {
	n, err := grid.BatchCount(x, b.ny*b.nx)
	if err != nil {
		return nil, fmt.Errorf("poisson: %w", err)
	}
	if len(y) != len(x) {
		return nil, fmt.Errorf("%w: poisson batch of %d values into %d", sim.ErrSize, len(x), len(y))
	}
	b.y, b.x = y, x
	b.stats, b.errs = make([]CGStats, n), make([]error, n)
	b.pool.Run(n, b.solve)
	b.y, b.x = nil, nil
	for i, e := range b.errs {
		if e != nil {
			return b.stats, fmt.Errorf("field %d: %w", i, e)
		}
	}
	return b.stats, nil
}

func (b *Batch) solveItem(w, i int) {
	c := b.ny * b.nx
	b.stats[i], b.errs[i] = b.vs[w].Solve(b.y[i*c:(i+1)*c], b.x[i*c:(i+1)*c])
}

// Laplace writes ∇²y of every field into x.
func (b *Batch) Laplace(x, y []float64) error {
	n, err := grid.BatchCount(y, b.ny*b.nx)
	if err != nil {
		return fmt.Errorf("poisson: %w", err)
	}
	if len(x) != len(y) {
		return fmt.Errorf("%w: poisson batch of %d values into %d", sim.ErrSize, len(y), len(x))
	}
	c := b.ny * b.nx
	for i := range n {
		_ = Laplace(x[i*c:(i+1)*c], y[i*c:(i+1)*c], b.ny, b.nx)
	}
	return nil
}
