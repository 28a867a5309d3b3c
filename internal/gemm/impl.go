package gemm

import (
	"os"
	"sync/atomic"
)

// kernFunc computes one mr×nr tile: C = alpha·Σₚ A[p]·B[p] + beta·C over k
// steps, where A[p] is the mr-vector at a[p·as:] and B[p] the nr-vector at
// b[p·bs:]. C rows are ldc apart; C is not read when beta == 0.
type kernFunc func(k int, a []float32, as int, b []float32, bs int, c []float32, ldc int, alpha, beta float32)

// dotFunc adds to acc (24 lane-vectors of 16) the partial dot products of
// rows[0..3] (A) with rows[4..9] (B) over k elements; flags (dotFirst,
// dotLast) say whether to start from zero and whether to reduce to the 24
// sums at the end; see dot_avx512_amd64.s.
type dotFunc func(k int, rows *[10]*float32, acc []float32, flags int)

// tr8Func transposes 8 rows × 8n columns: dst[c·ldd+i] = src[i·lds+c].
type tr8Func func(n int, src []float32, lds int, dst []float32, ldd int)

// cp8Func copies n rows of w floats: dst[p·w+c] = src[p·lds+c], w%8 == 0.
type cp8Func func(n int, src []float32, lds int, dst []float32, w int)

// tiling is one micro-kernel: its register tile and relative speed.
type tiling struct {
	mr, nr int
	kern   kernFunc
	speed  float64 // throughput relative to the impl's main tiling
}

// impl is one instruction-set flavour of the kernels with its blocking.
type impl struct {
	name   string
	tiles  []tiling // [0] is the main micro-kernel; others suit thin C
	kc     int      // k block: a B micro-panel (kc×nr) stays in L1
	mc, nc int      // A block (mc×kc), B block (kc×nc, kept in L2)
	dot    dotFunc  // optional A·Bᵀ kernel for long k; nil if absent
	tr8    tr8Func  // optional 8-row transpose for packing; nil if absent
	cp8    cp8Func  // optional strided row copy (w%8 == 0); nil if absent
}

var (
	// impls lists the usable implementations, fastest first; the pure-Go
	// one is always last.
	impls = append(asmImpls(), goImpl)
	cur   atomic.Pointer[impl]
)

func init() {
	// PHYSGRAD_NOASM=1 forces the portable kernels (for testing the
	// fallback on machines that have the assembly).
	if os.Getenv("PHYSGRAD_NOASM") == "1" {
		cur.Store(goImpl)
	} else {
		cur.Store(impls[0])
	}
}

// Impl names the kernel set in use: "avx512", "avx2" or "go".
func Impl() string { return cur.Load().name }

// UseAsm selects the fastest assembly kernels available on this CPU (on)
// or the portable Go kernels (off) and reports whether assembly was in use
// before. Without assembly support (other GOARCH, purego tag) on is a
// no-op. It is meant for tests and benchmarks; calls in flight finish with
// the kernels they started with.
func UseAsm(on bool) (prev bool) {
	prev = cur.Load() != goImpl
	if on {
		cur.Store(impls[0])
	} else {
		cur.Store(goImpl)
	}
	return prev
}
