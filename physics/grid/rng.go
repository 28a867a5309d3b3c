package grid

import "math/rand/v2"

// SampleRNG returns the random stream of sample i of a seeded batch. Every
// sample has its own PCG stream, so batches can be generated in parallel
// and sample i does not depend on how many samples come before it.
func SampleRNG(seed uint64, i int) *rand.Rand {
	return rand.New(rand.NewPCG(seed, uint64(i)))
}
