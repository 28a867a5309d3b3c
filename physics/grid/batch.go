package grid

import "fmt"

// Batch is N fields of NY×NX cells stored back to back: field b starts at
// Data[b*NY*NX].
type Batch struct {
	N, NY, NX int
	BC        Boundary
	Data      []float64
}

// NewBatch returns n zero fields of ny×nx cells.
func NewBatch(n, ny, nx int, bc Boundary) (*Batch, error) {
	if err := CheckShape(ny, nx); err != nil {
		return nil, err
	}
	if n < 0 {
		return nil, fmt.Errorf("%w: batch of %d fields", ErrShape, n)
	}
	return &Batch{N: n, NY: ny, NX: nx, BC: bc, Data: make([]float64, n*ny*nx)}, nil
}

// Cells is the number of cells of one field.
func (b *Batch) Cells() int { return b.NY * b.NX }

// Slice returns the data of field i (shared, not copied).
func (b *Batch) Slice(i int) []float64 {
	c := b.Cells()
	return b.Data[i*c : (i+1)*c : (i+1)*c]
}

// Field returns field i as a Field sharing the batch's storage.
func (b *Batch) Field(i int) *Field {
	return &Field{NY: b.NY, NX: b.NX, BC: b.BC, Data: b.Slice(i)}
}

// BatchCount returns how many fields of cells values fill data, or an error
// if len(data) is not a positive multiple of cells.
func BatchCount(data []float64, cells int) (int, error) {
	if cells <= 0 || len(data) == 0 || len(data)%cells != 0 {
		return 0, fmt.Errorf("%w: %d values is not a whole number of %d-cell fields", ErrShape, len(data), cells)
	}
	return len(data) / cells, nil
}
