//go:build !amd64 || purego

package gemm

// No assembly on this platform (or the purego tag is set): only the
// portable kernels exist.
func asmImpls() []*impl { return nil }

func peak(isa string, n int) float64 { return 0 } // no peak loops without assembly
