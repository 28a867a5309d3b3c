package method

import (
	"github.com/physgrad/physgrad/inverse"
	"github.com/physgrad/physgrad/loss"
	"github.com/physgrad/physgrad/sim"
)

// physicalGradient takes Δx = P⁻¹(y0 + Δy; x0) − x0 with Δy the y-space
// Newton step. "pg" needs the simulator's own inverse; "pg-numeric" always
// uses the numerical inverse of package inverse, started from x0.
type physicalGradient struct {
	name    string
	eta     float64
	numeric bool
	// Inverse settings of pg-numeric.
	Settings inverse.Settings
	p        *Problem
	inv      sim.Inverse
	y, dy, t []float64
	xn       []float64
}

func init() {
	register("pg", func(eta float64) Method { return &physicalGradient{name: "pg", eta: eta} })
	register("pg-numeric", func(eta float64) Method { return &physicalGradient{name: "pg-numeric", eta: eta, numeric: true} })
}

func (m *physicalGradient) Name() string { return m.name }

func (m *physicalGradient) Init(p *Problem, x []float64) error {
	if m.numeric {
		m.inv = inverse.Numeric{Sim: p.Sim, Settings: m.Settings}
	} else {
		inv, ok := p.Sim.(sim.Inverse)
		if !ok {
			return notApplicable(m.name, "the simulator has no local inverse (use pg-numeric for a numerical one)")
		}
		m.inv = inv
	}
	m.p = p
	n := p.Sim.OutputSize()
	m.y, m.dy, m.t = make([]float64, n), make([]float64, n), make([]float64, n)
	m.xn = make([]float64, len(x))
	return nil
}

func (m *physicalGradient) Step(x []float64) error {
	if err := m.p.Sim.Forward(m.y, x); err != nil {
		return err
	}
	if err := loss.Step(m.p.Loss, m.dy, m.y, m.eta, m.p.YStep); err != nil {
		return err
	}
	for i := range m.t {
		m.t[i] = m.y[i] + m.dy[i]
	}
	if err := m.inv.Inverse(m.xn, m.t, x); err != nil {
		return err
	}
	copy(x, m.xn)
	return nil
}
