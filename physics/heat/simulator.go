package heat

import (
	"sync"

	"github.com/physgrad/physgrad/sim"
)

// Simulator is diffusion on a periodic ny×nx grid as a sim.Simulator on the
// flattened field (row-major), with an adjoint (VJP) and the damped inverse
// as its local inverse. It is safe for concurrent use: each call borrows a
// Diffuser from a pool, so steady-state calls do not allocate.
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

// New returns the heat simulator for ny×nx fields with settings s (zero
// fields take the published defaults; the noise floor is on unless
// s.NoFloor, as iterated reconstruction needs it).
func New(ny, nx int, s Settings) (*Simulator, error) {
	d, err := NewDiffuser(ny, nx, s)
	if err != nil {
		return nil, err
	}
	h := &Simulator{ny: ny, nx: nx, s: d.Settings()}
	h.pool.New = func() any {
		d, _ := NewDiffuser(ny, nx, h.s) // settings already validated
		return d
	}
	h.pool.Put(d)
	return h, nil
}

// Dims returns ny, nx.
func (h *Simulator) Dims() (ny, nx int) { return h.ny, h.nx }

// Settings returns the settings in use, defaults filled in.
func (h *Simulator) Settings() Settings { return h.s }

// InputSize is ny·nx.
func (h *Simulator) InputSize() int { return h.ny * h.nx }

// OutputSize is ny·nx.
func (h *Simulator) OutputSize() int { return h.ny * h.nx }

func (h *Simulator) get() *Diffuser  { return h.pool.Get().(*Diffuser) }
func (h *Simulator) put(d *Diffuser) { h.pool.Put(d) }

// Forward writes the diffused x into y.
func (h *Simulator) Forward(y, x []float64) error {
	if err := sim.CheckSizes(h, y, x); err != nil {
		return err
	}
	d := h.get()
	defer h.put(d)
	return d.Forward(y, x)
}

// VJP writes Jᵀdy into dx; diffusion is linear and self-adjoint, so this is
// the diffusion of dy whatever x is.
func (h *Simulator) VJP(dx, x, dy []float64) error {
	if err := sim.CheckSizes(h, dy, dx); err != nil {
		return err
	}
	d := h.get()
	defer h.put(d)
	return d.Adjoint(dx, dy)
}

// Inverse writes x = x0 + DampedInverse(y − P(x0)) into x: the authors'
// inverse step, with the noise floor taken from the observation y. x may
// alias x0.
func (h *Simulator) Inverse(x, y, x0 []float64) error {
	if err := sim.CheckSizes(h, y, x); err != nil {
		return err
	}
	if err := sim.CheckSizes(h, y, x0); err != nil {
		return err
	}
	d := h.get()
	defer h.put(d)
	r := d.scratch()
	if err := d.Forward(r, x0); err != nil {
		return err
	}
	for i := range r {
		r[i] = y[i] - r[i]
	}
	if _, err := d.DampedInverse(r, r, y); err != nil {
		return err
	}
	for i := range x {
		x[i] = x0[i] + r[i]
	}
	return nil
}
