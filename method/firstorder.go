package method

import "github.com/physgrad/physgrad/opt"

// firstOrder applies an optimiser from package opt to the adjoint gradient.
type firstOrder struct {
	name string
	eta  float64
	p    *Problem
	o    opt.Optimizer[float64]
	g    []float64
}

func init() {
	for _, n := range []string{"momentum", "adam", "rmsprop", "adagrad", "adadelta"} {
		name := n
		register(name, func(eta float64) Method { return &firstOrder{name: name, eta: eta} })
	}
	register("gd", func(eta float64) Method { return &firstOrder{name: "gd", eta: eta} })
}

func (m *firstOrder) Name() string { return m.name }

func (m *firstOrder) Init(p *Problem, x []float64) error {
	name := m.name
	if name == "gd" {
		name = "sgd"
	}
	o, err := opt.New[float64](name, opt.Settings{LR: m.eta})
	if err != nil {
		return err
	}
	m.p, m.o, m.g = p, o, make([]float64, len(x))
	return nil
}

func (m *firstOrder) Step(x []float64) error {
	if err := m.p.Gradient(m.g, x); err != nil {
		return err
	}
	return m.o.Update(x, m.g)
}
