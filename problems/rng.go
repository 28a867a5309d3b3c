package problems

import "math/rand/v2"

// stepRNG is the generator of batch number step of a run with seed: the
// data stream depends on (seed, step) alone, so every method sees the same
// batches and a resumed run the same continuation.
func stepRNG(seed uint64, step int) *rand.Rand {
	return rand.New(rand.NewPCG(seed^0x7068797367726164, uint64(step)*0x9e3779b97f4a7c15+1))
}

// stepSeed derives a seed for generators that take one (same rule).
func stepSeed(seed uint64, step int) uint64 { return stepRNG(seed, step).Uint64() }
