//go:build amd64 && !purego

package symeig

import (
	"os"
	"sync/atomic"

	"golang.org/x/sys/cpu"

	"github.com/physgrad/physgrad/internal/f64"
)

// isa is the rotation kernel in use: 2 AVX-512, 1 AVX2+FMA, 0 Go.
var isa atomic.Int32

func bestISA() int32 {
	switch {
	case cpu.X86.HasAVX512F:
		return 2
	case cpu.X86.HasAVX2 && cpu.X86.HasFMA:
		return 1
	}
	return 0
}

func init() {
	// PHYSGRAD_NOASM=1 forces the portable kernel, like internal/gemm.
	if os.Getenv("PHYSGRAD_NOASM") != "1" {
		isa.Store(bestISA())
	}
}

// UseAsm selects the fastest assembly kernels of this CPU (on) or the
// pure-Go ones (off), here and in internal/f64, and returns whether
// assembly was in use before.
func UseAsm(on bool) (prev bool) {
	prev = isa.Load() != 0
	f64.UseAsm(on)
	if on {
		isa.Store(bestISA())
	} else {
		isa.Store(0)
	}
	return prev
}

// Impl names the rotation kernel in use: "avx512", "avx2" or "go".
func Impl() string {
	return [...]string{"go", "avx2", "avx512"}[isa.Load()]
}

//go:noescape
func rotateAVX512(bottom *float64, ld, cols, cnt int, c, s *float64)

//go:noescape
func rotateAVX2(bottom *float64, ld, cols, cnt int, c, s *float64)

// rotateAsm runs rotate on the leading columns in whole vector blocks and
// returns how many columns it did.
func rotateAsm(z []float64, n, m int, c, s []float64) int {
	switch isa.Load() {
	case 2:
		cols := n &^ 7
		if cols > 0 {
			rotateAVX512(&z[m*n], n*8, cols, len(c), &c[0], &s[0])
		}
		return cols
	case 1:
		cols := n &^ 3
		if cols > 0 {
			rotateAVX2(&z[m*n], n*8, cols, len(c), &c[0], &s[0])
		}
		return cols
	}
	return 0
}
