package oscillator

import (
	"fmt"
	"math/rand/v2"
)

// InitialStates returns n states of p drawn uniformly from [0, 1)^(2Nx), n
// rows of 2Nx values row-major (R7 uses n = 4096). The generator is PCG
// seeded with (seed, 0), so a seed gives the same states on every platform.
func InitialStates(p Params, n int, seed uint64) ([]float64, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	if n < 0 {
		return nil, fmt.Errorf("oscillator: %d initial states requested", n)
	}
	rng := rand.New(rand.NewPCG(seed, 0))
	s := make([]float64, n*p.StateSize())
	for i := range s {
		s[i] = rng.Float64()
	}
	return s, nil
}
