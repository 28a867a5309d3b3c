//go:build !linux

package nn

// threadCPU is unavailable here; benchmarks then report wall-clock rates only.
func threadCPU() float64 { return 0 }
