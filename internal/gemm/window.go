package gemm

import "fmt"

// Windowed products: the two matrix products of a stride-1 convolution,
// computed from a padded input without an im2col matrix. Row p of the
// virtual B matrix is a 2-D window of b: rows × w elements starting at
// b[off[p]] with row stride ldb. For a k×k convolution of a padded
// cin-channel input xpad (planes of p2 elements, rows of ldb), off[ci·k·k +
// ky·k + kx] = ci·p2 + ky·ldb + kx makes the window the input seen by tap
// (ky, kx) of channel ci.

// Window tile sizes of the assembly kernels.
const (
	windowMR = 8 // WindowMM: rows of C per tile (of 2 or 3 16-pixel segments)
	wdotRows = 4 // WindowDot: rows of C per tile
	wdotCols = 6 // WindowDot: columns of C per tile
	wdotTile = wdotRows * wdotCols * 16
)

// WindowAsm reports whether WindowMM and WindowDot currently run in
// assembly (AVX-512 present and UseAsm not switched off). Without it they
// are plain loops, correct but slow: callers with a faster portable
// formulation (GEMMs over shifted views) should use that instead.
func WindowAsm() bool { return winAsm && cur.Load() != goImpl }

// WindowMM computes, for i < m and output pixels (y, x), y < rows, x < w:
//
//	s = Σ_{p<k} a[i·lda + p] · b[off[p] + y·ldb + x]   (+ bias[i] if bias != nil)
//	c[i·ldc + y·w + x] = s, or += s when add
//
// i.e. C (m × rows·w, output rows contiguous) = A (m×k) · B with B's row
// p the window at off[p]. It panics if a slice is too short.
func WindowMM(m, k, rows, w int, a []float32, lda int, b []float32, off []int32, ldb int, bias []float32, add bool, c []float32, ldc int) {
	if m <= 0 || rows <= 0 || w <= 0 {
		return
	}
	checkWindow(k, rows, w, b, off, ldb)
	if k > 0 && (lda < k || len(a) < (m-1)*lda+k) {
		panic(fmt.Sprintf("gemm: WindowMM: A of len %d too short for %d×%d, lda %d", len(a), m, k, lda))
	}
	if ldc < rows*w || len(c) < (m-1)*ldc+rows*w {
		panic(fmt.Sprintf("gemm: WindowMM: C of len %d too short for %d×%d, ldc %d", len(c), m, rows*w, ldc))
	}
	if bias != nil && len(bias) < m {
		panic("gemm: WindowMM: bias shorter than m")
	}
	if WindowAsm() && k > 0 && winMMTiles(m, rows, w) {
		winMMAsm(m, k, rows, w, a, lda, b, off, ldb, bias, add, c, ldc)
		return
	}
	winMMGo(m, k, rows, w, a, lda, b, off, ldb, bias, add, c, ldc)
}

// winMMTiles reports whether the assembly tiles cover the shape exactly:
// 8-row groups of C and at least two 16-pixel row segments.
func winMMTiles(m, rows, w int) bool {
	return m%windowMR == 0 && w%16 == 0 && rows*w >= 32
}

// checkWindow panics unless every window lies inside b.
func checkWindow(k, rows, w int, b []float32, off []int32, ldb int) {
	if len(off) < k {
		panic(fmt.Sprintf("gemm: %d window offsets for k = %d", len(off), k))
	}
	if ldb < w {
		panic(fmt.Sprintf("gemm: window row stride %d < width %d", ldb, w))
	}
	span := (rows-1)*ldb + w
	for _, o := range off[:k] {
		if o < 0 || int(o)+span > len(b) {
			panic(fmt.Sprintf("gemm: window at %d (span %d) outside B of len %d", o, span, len(b)))
		}
	}
}

// winMMGo is the portable WindowMM: per output row, k axpys.
func winMMGo(m, k, rows, w int, a []float32, lda int, b []float32, off []int32, ldb int, bias []float32, add bool, c []float32, ldc int) {
	acc := make([]float32, w)
	for i := 0; i < m; i++ {
		ai := a[i*lda:]
		for y := 0; y < rows; y++ {
			if bias != nil {
				for x := range acc {
					acc[x] = bias[i]
				}
			} else {
				clear(acc)
			}
			for p := 0; p < k; p++ {
				av := ai[p]
				src := b[int(off[p])+y*ldb:][:w]
				for x, v := range src {
					acc[x] += av * v
				}
			}
			dst := c[i*ldc+y*w:][:w]
			if add {
				for x, v := range acc {
					dst[x] += v
				}
			} else {
				copy(dst, acc)
			}
		}
	}
}

// WindowDot adds to C the window dot products: for i < m, j < n,
//
//	c[i·ldc + j] += Σ_{y<rows, x<w} a[i·lda + y·w + x] · b[off[j] + y·ldb + x]
//
// (a's rows are rows·w contiguous values). For a convolution this is the
// weight gradient: A = the output gradient, B's windows the padded input.
// Every element is summed in a fixed order, whatever the caller's
// parallelism. It panics if a slice is too short.
func WindowDot(m, n, rows, w int, a []float32, lda int, b []float32, off []int32, ldb int, c []float32, ldc int) {
	if m <= 0 || n <= 0 || rows <= 0 || w <= 0 {
		return
	}
	checkWindow(n, rows, w, b, off, ldb)
	if lda < rows*w || len(a) < (m-1)*lda+rows*w {
		panic(fmt.Sprintf("gemm: WindowDot: A of len %d too short for %d×%d, lda %d", len(a), m, rows*w, lda))
	}
	if ldc < n || len(c) < (m-1)*ldc+n {
		panic(fmt.Sprintf("gemm: WindowDot: C of len %d too short for %d×%d, ldc %d", len(c), m, n, ldc))
	}
	if WindowAsm() && w%16 == 0 {
		winDotAsm(m, n, rows, w, a, lda, b, off, ldb, c, ldc)
		return
	}
	for i := 0; i < m; i++ {
		for j := 0; j < n; j++ {
			var s float32
			for y := 0; y < rows; y++ {
				ar := a[i*lda+y*w:][:w]
				br := b[int(off[j])+y*ldb:][:w]
				for x, v := range ar {
					s += v * br[x]
				}
			}
			c[i*ldc+j] += s
		}
	}
}
