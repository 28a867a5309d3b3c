package poisson

import (
	"fmt"
	"sync"

	"github.com/physgrad/physgrad/physics/grid"
	"github.com/physgrad/physgrad/sim"
)

// Method selects the forward solver.
type Method int

const (
	// Exact is the sine-transform solver: exact to round-off (relative
	// residual ~5e-14, far inside the authors' 1e-5; the solutions differ
	// from CG's by < 1e-5 relative) and about 10× faster than CG on
	// 64×64. The default.
	Exact Method = iota
	// CG is the authors' conjugate gradients to Settings.Tol.
	CG
)

// String names the method.
func (m Method) String() string {
	switch m {
	case Exact:
		return "exact"
	case CG:
		return "cg"
	}
	return fmt.Sprintf("Method(%d)", int(m))
}

// Settings configure the forward solve. The zero value is the exact solver.
type Settings struct {
	Method Method
	// Tol is CG's relative residual target (default 1e-5).
	Tol float64
	// MaxIter is CG's iteration limit (default 1000).
	MaxIter int
}

func (s Settings) withDefaults() Settings {
	if s.Tol == 0 {
		s.Tol = DefaultTol
	}
	if s.MaxIter == 0 {
		s.MaxIter = DefaultMaxIter
	}
	return s
}

// Solver solves ∇²y = x on one ny×nx grid with its own scratch; use one
// per goroutine.
type Solver struct {
	ny, nx int
	s      Settings
	dst    *dstSolver
	cg     *cgSolver
	buf    []float64
}

// NewSolver returns a solver for ny×nx grids.
func NewSolver(ny, nx int, s Settings) (*Solver, error) {
	if err := grid.CheckShape(ny, nx); err != nil {
		return nil, err
	}
	s = s.withDefaults()
	if !(s.Tol > 0) || s.MaxIter < 0 {
		return nil, fmt.Errorf("poisson: CG tolerance must be positive and the iteration limit non-negative: %+v", s)
	}
	v := &Solver{ny: ny, nx: nx, s: s, buf: make([]float64, ny*nx)}
	switch s.Method {
	case Exact:
		v.dst = newDSTSolver(ny, nx)
	case CG:
		v.cg = newCGSolver(ny, nx, s.Tol, s.MaxIter)
	default:
		return nil, fmt.Errorf("poisson: unknown method %v", s.Method)
	}
	return v, nil
}

func (v *Solver) check(vs ...[]float64) error {
	for _, a := range vs {
		if len(a) != v.ny*v.nx {
			return fmt.Errorf("%w: Poisson on %d×%d needs %d values, got %d", sim.ErrSize, v.ny, v.nx, v.ny*v.nx, len(a))
		}
	}
	return nil
}

// Solve writes the solution of ∇²y = x into y (y may alias x). With CG it
// returns the iteration count and final residual, and ErrNotConverged
// (wrapped, with the residual) if the limit is reached; the exact solver
// returns zero stats (its residual is round-off, see the tests).
func (v *Solver) Solve(y, x []float64) (CGStats, error) {
	if err := v.check(y, x); err != nil {
		return CGStats{}, err
	}
	if v.dst != nil {
		v.dst.solve(y, x)
		return CGStats{}, nil
	}
	out := y
	if &y[0] == &x[0] {
		out = v.buf
	}
	st, err := v.cg.solve(out, x)
	copy(y, out)
	return st, err
}

// Laplace writes ∇²y (5-point, zero ghost cells) into x.
func Laplace(x, y []float64, ny, nx int) error {
	return grid.Laplace(x, y, ny, nx, grid.ZeroDirichlet)
}

// Simulator is y = (∇²)⁻¹x on an ny×nx zero-Dirichlet grid as a
// sim.Simulator on the flattened field, with adjoint and exact inverse.
// It is safe for concurrent use (solvers come from a pool).
type Simulator struct {
	ny, nx int
	s      Settings
	pool   sync.Pool
}

var (
	_ sim.Simulator = (*Simulator)(nil)
	_ sim.Adjoint   = (*Simulator)(nil)
	_ sim.Inverse   = (*Simulator)(nil)
)

// New returns the Poisson simulator for ny×nx fields.
func New(ny, nx int, s Settings) (*Simulator, error) {
	v, err := NewSolver(ny, nx, s)
	if err != nil {
		return nil, err
	}
	p := &Simulator{ny: ny, nx: nx, s: v.s}
	p.pool.New = func() any {
		v, _ := NewSolver(ny, nx, p.s) // settings already validated
		return v
	}
	p.pool.Put(v)
	return p, nil
}

// Dims returns ny, nx.
func (p *Simulator) Dims() (ny, nx int) { return p.ny, p.nx }

// Settings returns the settings in use, defaults filled in.
func (p *Simulator) Settings() Settings { return p.s }

// InputSize is ny·nx.
func (p *Simulator) InputSize() int { return p.ny * p.nx }

// OutputSize is ny·nx.
func (p *Simulator) OutputSize() int { return p.ny * p.nx }

func (p *Simulator) solve(y, x []float64) error {
	v := p.pool.Get().(*Solver)
	defer p.pool.Put(v)
	_, err := v.Solve(y, x)
	return err
}

// Forward writes the solution of ∇²y = x into y.
func (p *Simulator) Forward(y, x []float64) error {
	if err := sim.CheckSizes(p, y, x); err != nil {
		return err
	}
	return p.solve(y, x)
}

// VJP writes Jᵀdy into dx. J = (∇²)⁻¹ is symmetric because the
// zero-Dirichlet Laplacian is, so this is the same solve applied to dy.
func (p *Simulator) VJP(dx, x, dy []float64) error {
	if err := sim.CheckSizes(p, dy, dx); err != nil {
		return err
	}
	return p.solve(dx, dy)
}

// Inverse writes x = ∇²y, the exact inverse (x0 is not needed: the
// problem is linear and the inverse unique).
func (p *Simulator) Inverse(x, y, x0 []float64) error {
	if err := sim.CheckSizes(p, y, x); err != nil {
		return err
	}
	return Laplace(x, y, p.ny, p.nx)
}
