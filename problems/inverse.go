package problems

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"

	"github.com/physgrad/physgrad/physics/poisson"
	"github.com/physgrad/physgrad/physics/sine"
	"github.com/physgrad/physgrad/sim"
)

// InverseCase is a simulator with a sampler of realistic inputs, for
// checking its local inverse.
type InverseCase struct {
	Sim sim.Simulator
	// Sample draws a true x; nil means uniform in [-2, 2] per component.
	Sample func(r *rand.Rand, x []float64)
}

// inverseCases maps names to constructors; alpha is used by "scaled".
var inverseCases = map[string]func(alpha float64) (InverseCase, error){
	"square": func(float64) (InverseCase, error) { return InverseCase{Sim: Square().Problem.Sim}, nil },
	"scaled": func(alpha float64) (InverseCase, error) {
		tp, err := Scaled(alpha)
		if err != nil {
			return InverseCase{}, err
		}
		return InverseCase{Sim: tp.Problem.Sim}, nil
	},
}

func init() {
	inverseCases["sin"] = func(float64) (InverseCase, error) {
		s, err := sine.New(32, 30)
		if err != nil {
			return InverseCase{}, err
		}
		// Near the origin of x', where a network's predictions start.
		return InverseCase{Sim: s, Sample: func(r *rand.Rand, x []float64) {
			x[0], x[1] = 4*r.Float64()-2, 0.01*(2*r.Float64()-1)
		}}, nil
	}
	// A 16×16 grid keeps the numerical comparison (a finite-difference
	// Jacobian of 256 columns) quick.
	inverseCases["poisson"] = func(float64) (InverseCase, error) {
		p, err := poisson.New(16, 16, poisson.Settings{})
		if err != nil {
			return InverseCase{}, err
		}
		return InverseCase{Sim: p, Sample: func(r *rand.Rand, x []float64) {
			poisson.FieldBatch(x, 1, 16, 16, r.Uint64())
		}}, nil
	}
}

// RegisterInverseCase adds a problem to check-inverse.
func RegisterInverseCase(name string, c func(alpha float64) (InverseCase, error)) {
	inverseCases[name] = c
}

// InverseProblemNames lists the problems with an inverse to check.
func InverseProblemNames() []string {
	var n []string
	for k := range inverseCases {
		n = append(n, k)
	}
	sort.Strings(n)
	return n
}

// InverseProblem returns the named inverse-check case.
func InverseProblem(name string, alpha float64) (InverseCase, error) {
	c, ok := inverseCases[name]
	if !ok {
		return InverseCase{}, fmt.Errorf("unknown problem %q (known: %s)", name, strings.Join(InverseProblemNames(), ", "))
	}
	return c(alpha)
}
