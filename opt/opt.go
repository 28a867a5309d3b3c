// Package opt holds the stateful first-order optimisers of physgrad (SGD with
// momentum, Adam, RMSprop, Adagrad, Adadelta) with PyTorch's default
// hyper-parameters and update formulas. One implementation serves both
// simulator inputs (float64) and network weights (float32).
//
// The optimisers keep their state in exported fields so that a checkpoint
// can encode them (encoding/gob) and continue bit for bit.
package opt

import (
	"fmt"
	"math"
	"sort"
	"strings"
)

// Float is the element type an optimiser works on.
type Float interface{ ~float32 | ~float64 }

// Optimizer updates parameters in place from their gradient.
type Optimizer[T Float] interface {
	// Name is the optimiser's registry name ("adam", …).
	Name() string
	// Update applies one step: params ← params − step(grads). The first call
	// fixes the number of parameters; later calls must use the same length.
	Update(params, grads []T) error
	// Reset forgets all state, as if newly constructed.
	Reset()
}

// Settings are the hyper-parameters of all optimisers; a zero field takes the
// optimiser's PyTorch default (see Defaults).
type Settings struct {
	LR       float64 // learning rate
	Momentum float64 // sgd
	Beta1    float64 // adam
	Beta2    float64 // adam
	Alpha    float64 // rmsprop smoothing
	Rho      float64 // adadelta smoothing
	Eps      float64 // denominator guard
}

// Defaults returns PyTorch's defaults for the named optimiser.
func Defaults(name string) (Settings, error) {
	switch name {
	case "sgd":
		return Settings{LR: 1e-3}, nil // PyTorch has no default lr for SGD; 1e-3 is ours.
	case "momentum":
		return Settings{LR: 1e-3, Momentum: 0.9}, nil
	case "adam":
		return Settings{LR: 1e-3, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8}, nil
	case "rmsprop":
		return Settings{LR: 1e-2, Alpha: 0.99, Eps: 1e-8}, nil
	case "adagrad":
		return Settings{LR: 1e-2, Eps: 1e-10}, nil
	case "adadelta":
		return Settings{LR: 1, Rho: 0.9, Eps: 1e-6}, nil
	}
	return Settings{}, fmt.Errorf("opt: unknown optimiser %q (known: %s)", name, strings.Join(Names(), ", "))
}

// Names lists the registered optimisers.
func Names() []string {
	n := []string{"sgd", "momentum", "adam", "rmsprop", "adagrad", "adadelta"}
	sort.Strings(n)
	return n
}

// New returns the named optimiser; zero fields of s take the defaults.
func New[T Float](name string, s Settings) (Optimizer[T], error) {
	d, err := Defaults(name)
	if err != nil {
		return nil, err
	}
	fill := func(v *float64, def float64) {
		if *v == 0 {
			*v = def
		}
	}
	fill(&s.LR, d.LR)
	fill(&s.Momentum, d.Momentum)
	fill(&s.Beta1, d.Beta1)
	fill(&s.Beta2, d.Beta2)
	fill(&s.Alpha, d.Alpha)
	fill(&s.Rho, d.Rho)
	fill(&s.Eps, d.Eps)
	if !(s.LR > 0) || math.IsInf(s.LR, 0) {
		return nil, fmt.Errorf("opt: learning rate must be a positive number, got %v", s.LR)
	}
	switch name {
	case "sgd":
		return &SGD[T]{LR: s.LR}, nil
	case "momentum":
		return &SGD[T]{LR: s.LR, Momentum: s.Momentum}, nil
	case "adam":
		return &Adam[T]{LR: s.LR, Beta1: s.Beta1, Beta2: s.Beta2, Eps: s.Eps}, nil
	case "rmsprop":
		return &RMSprop[T]{LR: s.LR, Alpha: s.Alpha, Eps: s.Eps}, nil
	case "adagrad":
		return &Adagrad[T]{LR: s.LR, Eps: s.Eps}, nil
	case "adadelta":
		return &Adadelta[T]{LR: s.LR, Rho: s.Rho, Eps: s.Eps}, nil
	}
	panic("unreachable")
}

func checkLen[T Float](state *[]T, n int, what string) error {
	if *state == nil {
		*state = make([]T, n)
		return nil
	}
	if len(*state) != n {
		return fmt.Errorf("opt: %s was set up for %d parameters, got %d", what, len(*state), n)
	}
	return nil
}

func sameLen[T Float](params, grads []T) error {
	if len(params) != len(grads) {
		return fmt.Errorf("opt: %d parameters but %d gradient values", len(params), len(grads))
	}
	return nil
}
