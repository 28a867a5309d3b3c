package grid

import (
	"errors"
	"fmt"
)

// Boundary says what lies outside the grid.
type Boundary int

const (
	// Periodic wraps around: cell -1 is cell n-1.
	Periodic Boundary = iota
	// ZeroDirichlet surrounds the grid with ghost cells of value 0.
	ZeroDirichlet
)

// String names the boundary for messages.
func (b Boundary) String() string {
	switch b {
	case Periodic:
		return "periodic"
	case ZeroDirichlet:
		return "zero-Dirichlet"
	}
	return fmt.Sprintf("Boundary(%d)", int(b))
}

// ErrShape reports a grid size or data length that does not fit.
var ErrShape = errors.New("grid: bad shape")

// Field is a scalar field on NY×NX unit cells stored row-major:
// cell (iy, ix) is Data[iy*NX+ix].
type Field struct {
	NY, NX int
	BC     Boundary
	Data   []float64
}

// NewField returns a zero field of ny×nx cells.
func NewField(ny, nx int, bc Boundary) (*Field, error) {
	if err := CheckShape(ny, nx); err != nil {
		return nil, err
	}
	return &Field{NY: ny, NX: nx, BC: bc, Data: make([]float64, ny*nx)}, nil
}

// FieldFrom wraps data (not copied) as an ny×nx field.
func FieldFrom(ny, nx int, bc Boundary, data []float64) (*Field, error) {
	if err := CheckShape(ny, nx); err != nil {
		return nil, err
	}
	if len(data) != ny*nx {
		return nil, fmt.Errorf("%w: %d values for a %d×%d field", ErrShape, len(data), ny, nx)
	}
	return &Field{NY: ny, NX: nx, BC: bc, Data: data}, nil
}

// CheckShape returns an error unless ny and nx are positive.
func CheckShape(ny, nx int) error {
	if ny <= 0 || nx <= 0 {
		return fmt.Errorf("%w: %d×%d", ErrShape, ny, nx)
	}
	return nil
}

// At returns cell (iy, ix); indices outside the grid follow the boundary
// (wrapped when periodic, 0 for zero Dirichlet).
func (f *Field) At(iy, ix int) float64 {
	if iy < 0 || iy >= f.NY || ix < 0 || ix >= f.NX {
		if f.BC == ZeroDirichlet {
			return 0
		}
		iy, ix = wrap(iy, f.NY), wrap(ix, f.NX)
	}
	return f.Data[iy*f.NX+ix]
}

// Set writes cell (iy, ix), which must lie inside the grid.
func (f *Field) Set(iy, ix int, v float64) { f.Data[iy*f.NX+ix] = v }

// Clone returns a deep copy.
func (f *Field) Clone() *Field {
	return &Field{NY: f.NY, NX: f.NX, BC: f.BC, Data: append([]float64(nil), f.Data...)}
}

func wrap(i, n int) int {
	i %= n
	if i < 0 {
		i += n
	}
	return i
}
