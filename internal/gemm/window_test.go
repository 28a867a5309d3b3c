package gemm

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// convWindow is a padded (h+2p)×(w+2p) cin-channel input with the window
// offsets of a k×k stride-1 convolution, plus a random A for each product.
type convWindow struct {
	cin, h, w, k, ldb, p2 int
	b                     []float32
	off                   []int32
}

func newConvWindow(rng *rand.Rand, cin, h, w, k int) *convWindow {
	p := k / 2
	cw := &convWindow{cin: cin, h: h, w: w, k: k, ldb: w + 2*p, p2: (h + 2*p) * (w + 2*p)}
	cw.b = randSlice(rng, cin*cw.p2)
	for ci := 0; ci < cin; ci++ {
		for ky := 0; ky < k; ky++ {
			for kx := 0; kx < k; kx++ {
				cw.off = append(cw.off, int32(ci*cw.p2+ky*cw.ldb+kx))
			}
		}
	}
	return cw
}

// withWindowImpls runs f with the assembly (if present) and the Go kernels.
func withWindowImpls(t *testing.T, f func(t *testing.T)) {
	saved := cur.Load()
	defer cur.Store(saved)
	for _, asm := range []bool{true, false} {
		if asm && !winAsm {
			continue
		}
		UseAsm(asm)
		t.Run(fmt.Sprintf("asm=%v", asm), f)
	}
}

func TestWindowMM(t *testing.T) {
	withWindowImpls(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(3, 4))
		for _, s := range []struct{ m, cin, h, w, k int }{
			{8, 1, 2, 32, 3}, {16, 16, 4, 64, 3}, {16, 32, 6, 32, 3}, {24, 3, 4, 16, 3},
			{8, 2, 3, 16, 3}, {8, 2, 5, 16, 3}, {16, 3, 7, 48, 3}, {5, 2, 3, 8, 3}, {8, 4, 2, 96, 5}, {16, 2, 4, 64, 1},
		} {
			cw := newConvWindow(rng, s.cin, s.h, s.w, s.k)
			kk := len(cw.off)
			lda, ldc := kk+3, s.h*s.w+5
			a := randSlice(rng, s.m*lda)
			bias := randSlice(rng, s.m)
			for _, add := range []bool{false, true} {
				for _, withBias := range []bool{false, true} {
					c0 := randSlice(rng, s.m*ldc)
					c := append([]float32(nil), c0...)
					var bs []float32
					if withBias {
						bs = bias
					}
					WindowMM(s.m, kk, s.h, s.w, a, lda, cw.b, cw.off, cw.ldb, bs, add, c, ldc)
					for i := 0; i < s.m; i++ {
						for y := 0; y < s.h; y++ {
							for x := 0; x < s.w; x++ {
								var want, scale float64
								for p := 0; p < kk; p++ {
									v := float64(a[i*lda+p]) * float64(cw.b[int(cw.off[p])+y*cw.ldb+x])
									want += v
									scale += math.Abs(v)
								}
								if withBias {
									want += float64(bias[i])
									scale += math.Abs(float64(bias[i]))
								}
								ci := i*ldc + y*s.w + x
								if add {
									want += float64(c0[ci])
									scale += math.Abs(float64(c0[ci]))
								}
								if d := math.Abs(float64(c[ci]) - want); d > 1e-6*scale+1e-30 {
									t.Fatalf("%+v add=%v bias=%v: c[%d][%d][%d] = %g, want %g", s, add, withBias, i, y, x, c[ci], want)
								}
							}
						}
					}
					// Padding between rows·w and ldc is never written.
					for i := 0; i < s.m; i++ {
						for q := s.h * s.w; q < ldc && i*ldc+q < len(c); q++ {
							if c[i*ldc+q] != c0[i*ldc+q] {
								t.Fatalf("%+v: C padding written at row %d col %d", s, i, q)
							}
						}
					}
				}
			}
		}
	})
}

func TestWindowDot(t *testing.T) {
	withWindowImpls(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(5, 6))
		for _, s := range []struct{ m, cin, h, w, k int }{
			{16, 16, 8, 64, 3}, {4, 1, 3, 16, 3}, {5, 2, 7, 32, 3}, {16, 3, 40, 16, 3}, {3, 1, 2, 8, 3}, {16, 2, 64, 64, 3},
		} {
			cw := newConvWindow(rng, s.cin, s.h, s.w, s.k)
			n := len(cw.off)
			lda, ldc := s.h*s.w+7, n+2
			a := randSlice(rng, s.m*lda)
			c0 := randSlice(rng, s.m*ldc)
			c := append([]float32(nil), c0...)
			WindowDot(s.m, n, s.h, s.w, a, lda, cw.b, cw.off, cw.ldb, c, ldc)
			for i := 0; i < s.m; i++ {
				for j := 0; j < ldc; j++ {
					ci := i*ldc + j
					if j >= n {
						if c[ci] != c0[ci] {
							t.Fatalf("%+v: C padding written at %d,%d", s, i, j)
						}
						continue
					}
					want, scale := float64(c0[ci]), math.Abs(float64(c0[ci]))
					for y := 0; y < s.h; y++ {
						for x := 0; x < s.w; x++ {
							v := float64(a[i*lda+y*s.w+x]) * float64(cw.b[int(cw.off[j])+y*cw.ldb+x])
							want += v
							scale += math.Abs(v)
						}
					}
					if d := math.Abs(float64(c[ci]) - want); d > 1e-6*scale {
						t.Fatalf("%+v: c[%d][%d] = %g, want %g (scale %g)", s, i, j, c[ci], want, scale)
					}
				}
			}
		}
	})
}

// TestWindowPanics: windows outside B are rejected before any kernel runs.
func TestWindowPanics(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	cw := newConvWindow(rng, 2, 4, 16, 3)
	a := make([]float32, 8*len(cw.off))
	c := make([]float32, 8*4*16)
	for name, f := range map[string]func(){
		"mm rows": func() { WindowMM(8, len(cw.off), 5, 16, a, len(cw.off), cw.b, cw.off, cw.ldb, nil, false, c, 64) },
		"mm C":    func() { WindowMM(8, len(cw.off), 4, 16, a, len(cw.off), cw.b, cw.off, cw.ldb, nil, false, c[:100], 64) },
		"dot off": func() { WindowDot(1, 1, 4, 16, c, 64, cw.b, []int32{-1}, cw.ldb, c, 1) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", name)
				}
			}()
			f()
		}()
	}
}
