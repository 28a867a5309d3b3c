package heat

import (
	"fmt"

	"github.com/physgrad/physgrad/physics/grid"
	"github.com/physgrad/physgrad/sim"
)

// Batch diffuses and inverts batches of fields (back to back, each ny·nx
// row-major) in parallel. Items are independent and split into
// grid.Chunks fixed chunks, so results are bitwise identical for any
// GOMAXPROCS. After the first call a Batch does not allocate. It is not
// safe for concurrent use.
type Batch struct {
	ny, nx int
	pool   *grid.Pool
	ds     []*Diffuser // one per worker

	// arguments of the running call, read by the item functions
	y, dx, x, yt []float64
	fwd, fwdInv  func(worker, i int)
}

// NewBatch returns a Batch for ny×nx fields on workers goroutines (<= 0:
// GOMAXPROCS), with settings s for the inverse (zero fields: defaults).
func NewBatch(ny, nx int, s Settings, workers int) (*Batch, error) {
	b := &Batch{ny: ny, nx: nx, pool: grid.NewPool(workers)}
	for w := 0; w < b.pool.Workers(); w++ {
		d, err := NewDiffuser(ny, nx, s)
		if err != nil {
			return nil, err
		}
		b.ds = append(b.ds, d)
	}
	b.fwd = b.forwardItem
	b.fwdInv = b.forwardInverseItem
	return b, nil
}

func (b *Batch) count(name string, vs ...[]float64) (int, error) {
	n, err := grid.BatchCount(vs[0], b.ny*b.nx)
	if err != nil {
		return 0, fmt.Errorf("heat: %s: %w", name, err)
	}
	for _, v := range vs[1:] {
		if len(v) != len(vs[0]) {
			return 0, fmt.Errorf("%w: heat %s: batch slices of %d and %d values", sim.ErrSize, name, len(vs[0]), len(v))
		}
	}
	return n, nil
}

func (b *Batch) field(v []float64, i int) []float64 {
	c := b.ny * b.nx
	return v[i*c : (i+1)*c]
}

// Forward diffuses every field of x into y.
func (b *Batch) Forward(y, x []float64) error {
	n, err := b.count("Forward", x, y)
	if err != nil {
		return err
	}
	b.y, b.x = y, x
	b.pool.Run(n, b.fwd)
	b.y, b.x = nil, nil
	return nil
}

func (b *Batch) forwardItem(w, i int) {
	_ = b.ds[w].Forward(b.field(b.y, i), b.field(b.x, i))
}

// ForwardInverse is the physics of one SIP training step: y = P(x) and
// dx = DampedInverse(yTarget − y) per field, with the noise floor from
// yTarget unless the settings say NoFloor.
func (b *Batch) ForwardInverse(y, dx, x, yTarget []float64) error {
	n, err := b.count("ForwardInverse", x, y, dx, yTarget)
	if err != nil {
		return err
	}
	b.y, b.dx, b.x, b.yt = y, dx, x, yTarget
	b.pool.Run(n, b.fwdInv)
	b.y, b.dx, b.x, b.yt = nil, nil, nil, nil
	return nil
}

func (b *Batch) forwardInverseItem(w, i int) {
	d := b.ds[w]
	y, dx, yt := b.field(b.y, i), b.field(b.dx, i), b.field(b.yt, i)
	_ = d.Forward(y, b.field(b.x, i))
	for j := range dx {
		dx[j] = yt[j] - y[j]
	}
	_, _ = d.DampedInverse(dx, dx, yt)
}
