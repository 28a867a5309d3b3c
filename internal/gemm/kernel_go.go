package gemm

import "runtime"

// goImpl is the portable fallback: register tiles in plain Go, driven by
// the same packing and blocking as the assembly kernels.
var goImpl = &impl{name: "go", tiles: goTiles(), kc: 256, mc: 128, nc: 512}

// goTiles offers a 4×4 and a 2×4 tile. The 4×4 one needs 16 accumulators
// plus operands in registers: fine on arm64 and friends (32 FP registers),
// but on amd64 (15 usable) it spills, and the 2×4 tile is about twice as
// fast there.
func goTiles() []tiling {
	t44 := tiling{mr: 4, nr: 4, kern: kernGo, speed: 1}
	t24 := tiling{mr: 2, nr: 4, kern: kernGo2x4, speed: 0.5}
	if runtime.GOARCH == "amd64" || runtime.GOARCH == "386" {
		t44.speed, t24.speed = 0.5, 1
	}
	return []tiling{t44, t24}
}

// kernGo is the 4×4 micro-kernel (see kernFunc). Sixteen named
// accumulators so the compiler keeps them in registers.
func kernGo(k int, a []float32, as int, b []float32, bs int, c []float32, ldc int, alpha, beta float32) {
	var c00, c01, c02, c03 float32
	var c10, c11, c12, c13 float32
	var c20, c21, c22, c23 float32
	var c30, c31, c32, c33 float32
	for p := 0; p < k; p++ {
		ap := a[p*as : p*as+4 : p*as+4]
		bp := b[p*bs : p*bs+4 : p*bs+4]
		b0, b1, b2, b3 := bp[0], bp[1], bp[2], bp[3]
		a0 := ap[0]
		c00 += a0 * b0
		c01 += a0 * b1
		c02 += a0 * b2
		c03 += a0 * b3
		a1 := ap[1]
		c10 += a1 * b0
		c11 += a1 * b1
		c12 += a1 * b2
		c13 += a1 * b3
		a2 := ap[2]
		c20 += a2 * b0
		c21 += a2 * b1
		c22 += a2 * b2
		c23 += a2 * b3
		a3 := ap[3]
		c30 += a3 * b0
		c31 += a3 * b1
		c32 += a3 * b2
		c33 += a3 * b3
	}
	storeRow4(c[0:4:4], alpha*c00, alpha*c01, alpha*c02, alpha*c03, beta)
	storeRow4(c[ldc:ldc+4:ldc+4], alpha*c10, alpha*c11, alpha*c12, alpha*c13, beta)
	storeRow4(c[2*ldc:2*ldc+4:2*ldc+4], alpha*c20, alpha*c21, alpha*c22, alpha*c23, beta)
	storeRow4(c[3*ldc:3*ldc+4:3*ldc+4], alpha*c30, alpha*c31, alpha*c32, alpha*c33, beta)
}

// kernGo2x4 is the 2×4 micro-kernel (see kernFunc).
func kernGo2x4(k int, a []float32, as int, b []float32, bs int, c []float32, ldc int, alpha, beta float32) {
	var c00, c01, c02, c03 float32
	var c10, c11, c12, c13 float32
	for p := 0; p < k; p++ {
		ap := a[p*as : p*as+2 : p*as+2]
		bp := b[p*bs : p*bs+4 : p*bs+4]
		a0, a1 := ap[0], ap[1]
		b0, b1, b2, b3 := bp[0], bp[1], bp[2], bp[3]
		c00 += a0 * b0
		c01 += a0 * b1
		c02 += a0 * b2
		c03 += a0 * b3
		c10 += a1 * b0
		c11 += a1 * b1
		c12 += a1 * b2
		c13 += a1 * b3
	}
	storeRow4(c[0:4:4], alpha*c00, alpha*c01, alpha*c02, alpha*c03, beta)
	storeRow4(c[ldc:ldc+4:ldc+4], alpha*c10, alpha*c11, alpha*c12, alpha*c13, beta)
}

// storeRow4 writes v + beta·c, not reading c when beta == 0.
func storeRow4(c []float32, v0, v1, v2, v3, beta float32) {
	if beta == 0 {
		c[0], c[1], c[2], c[3] = v0, v1, v2, v3
		return
	}
	c[0] = v0 + beta*c[0]
	c[1] = v1 + beta*c[1]
	c[2] = v2 + beta*c[2]
	c[3] = v3 + beta*c[3]
}
