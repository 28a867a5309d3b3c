package gemm

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"testing"
)

// eachKernel calls f with every kernel set and tiling selected in turn.
func eachKernel(f func()) {
	saved := cur.Load()
	defer func() { cur.Store(saved); forceTiling = -1 }()
	for _, im := range impls {
		cur.Store(im)
		for i := range im.tiles {
			forceTiling = i
			f()
		}
	}
}

// kernelName names the kernel set and tiling in use, for messages.
func kernelName() string {
	im := cur.Load()
	t := pickTiling(im, 1, 1)
	return fmt.Sprintf("[%s %dx%d]", im.name, t.mr, t.nr)
}

// forEachImpl runs f with every kernel set this machine can execute
// (assembly ones first, the Go fallback last) and every micro-kernel
// tiling of each, forced regardless of shape.
func forEachImpl(t *testing.T, f func(t *testing.T)) {
	t.Helper()
	saved := cur.Load()
	defer func() { cur.Store(saved); forceTiling = -1 }()
	for _, im := range impls {
		cur.Store(im)
		for i, tl := range im.tiles {
			forceTiling = i
			t.Run(fmt.Sprintf("%s/%dx%d", im.name, tl.mr, tl.nr), f)
		}
	}
}

// problem is one randomised Sgemm instance with padded strides.
type problem struct {
	transA, transB bool
	m, n, k        int
	alpha, beta    float32
	a, b, c0       []float32
	lda, ldb, ldc  int
	want, scale    []float64 // reference result and error scale per element
}

func newProblem(rng *rand.Rand, transA, transB bool, m, n, k int, alpha, beta float32, pad int) *problem {
	p := &problem{transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, beta: beta}
	ar, ac := m, k
	if transA {
		ar, ac = k, m
	}
	br, bc := k, n
	if transB {
		br, bc = n, k
	}
	p.lda, p.ldb, p.ldc = ac+pad, bc+pad, n+pad
	p.a = randSlice(rng, ar*p.lda)
	p.b = randSlice(rng, br*p.ldb)
	poisonPad(p.a, ac, p.lda) // stride padding must never be read
	poisonPad(p.b, bc, p.ldb)
	p.c0 = randSlice(rng, m*p.ldc)
	if beta == 0 {
		for i := range p.c0 {
			p.c0[i] = float32(math.NaN()) // must be overwritten, never read
		}
	}
	return p
}

// poisonPad sets the columns [cols, ld) of every row to NaN.
func poisonPad(x []float32, cols, ld int) {
	for r := 0; r*ld < len(x); r++ {
		for j := cols; j < ld; j++ {
			x[r*ld+j] = float32(math.NaN())
		}
	}
}

func randSlice(rng *rand.Rand, n int) []float32 {
	s := make([]float32, n)
	for i := range s {
		s[i] = float32(rng.NormFloat64())
	}
	return s
}

func (p *problem) opA(i, l int) float32 {
	if p.transA {
		return p.a[l*p.lda+i]
	}
	return p.a[i*p.lda+l]
}

func (p *problem) opB(l, j int) float32 {
	if p.transB {
		return p.b[j*p.ldb+l]
	}
	return p.b[l*p.ldb+j]
}

func (p *problem) run(f func(bool, bool, int, int, int, float32, []float32, int, []float32, int, float32, []float32, int)) []float32 {
	c := append([]float32(nil), p.c0...)
	f(p.transA, p.transB, p.m, p.n, p.k, p.alpha, p.a, p.lda, p.b, p.ldb, p.beta, c, p.ldc)
	return c
}

// check compares c against a float64 triple loop (computed once per
// problem). The error of element (i,j) is measured relative to
// |alpha|·Σ|a||b| + |beta·c0| (the scale of the rounding any summation
// order makes); padding columns must be intact.
func (p *problem) check(t *testing.T, c []float32) {
	t.Helper()
	if p.want == nil {
		p.reference()
	}
	for i := 0; i < p.m; i++ {
		for j := 0; j < p.ldc; j++ {
			got := c[i*p.ldc+j]
			if j >= p.n {
				if math.Float32bits(got) != math.Float32bits(p.c0[i*p.ldc+j]) {
					t.Fatalf("%s %s: padding C[%d,%d] changed", kernelName(), p, i, j)
				}
				continue
			}
			want, scale := p.want[i*p.n+j], p.scale[i*p.n+j]
			if err := math.Abs(float64(got) - want); math.IsNaN(float64(got)) || err > 1e-5*scale+1e-30 {
				t.Fatalf("%s %s: C[%d,%d] = %g, want %g (scale %g)", kernelName(), p, i, j, got, want, scale)
			}
		}
	}
}

func (p *problem) reference() {
	p.want = make([]float64, p.m*p.n)
	p.scale = make([]float64, p.m*p.n)
	for i := 0; i < p.m; i++ {
		for j := 0; j < p.n; j++ {
			var s, mag float64
			for l := 0; l < p.k; l++ {
				x := float64(p.opA(i, l)) * float64(p.opB(l, j))
				s += x
				mag += math.Abs(x)
			}
			want := float64(p.alpha) * s
			scale := math.Abs(float64(p.alpha)) * mag
			if p.beta != 0 {
				c0 := float64(p.c0[i*p.ldc+j])
				want += float64(p.beta) * c0
				scale += math.Abs(float64(p.beta) * c0)
			}
			p.want[i*p.n+j], p.scale[i*p.n+j] = want, scale
		}
	}
}

func (p *problem) String() string {
	return fmt.Sprintf("tA=%v tB=%v m=%d n=%d k=%d alpha=%g beta=%g ld=%d,%d,%d",
		p.transA, p.transB, p.m, p.n, p.k, p.alpha, p.beta, p.lda, p.ldb, p.ldc)
}

var trans = [][2]bool{{false, false}, {true, false}, {false, true}, {true, true}}

// TestEdgeShapes covers every ragged-tile case: all sizes around the tile
// and vector widths of every kernel, up to 37, all four layouts, odd
// strides, beta 0 (C full of NaN), 1 and general, alpha 1 and general.
func TestEdgeShapes(t *testing.T) {
	sizes := []int{1, 2, 3, 4, 5, 7, 8, 9, 13, 16, 17, 23, 24, 25, 31, 32, 33, 37}
	ab := [][2]float32{{1, 0}, {1, 1}, {-0.7, 0.3}, {2.5, 0}}
	rng := rand.New(rand.NewPCG(1, 2))
	cnt := 0
	for _, m := range sizes {
		for _, n := range sizes {
			for _, k := range sizes {
				for _, tr := range trans {
					x := ab[cnt%len(ab)]
					pad := cnt % 4 // 0 and odd strides
					cnt++
					p := newProblem(rng, tr[0], tr[1], m, n, k, x[0], x[1], pad)
					eachKernel(func() { p.check(t, p.run(Sgemm)) })
				}
			}
		}
	}
}

// TestBlockEdges crosses the kc/mc/nc block boundaries and the dot
// path's k blocking (with k%16 tails), where a missing beta=1 hand-over
// between k blocks or a wrong panel offset would show.
func TestBlockEdges(t *testing.T) {
	shapes := [][3]int{
		{130, 50, 257}, {17, 800, 300}, {16, 144, 1000}, {16, 144, 513}, {9, 13, 700},
		{140, 70, 40}, {70, 140, 129}, {3, 1000, 5}, {300, 7, 260},
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for si, s := range shapes {
		for ti, tr := range trans {
			beta := []float32{0, 1, 0.5}[(si+ti)%3]
			p := newProblem(rng, tr[0], tr[1], s[0], s[1], s[2], 0.9, beta, (si+ti)%2)
			eachKernel(func() { p.check(t, p.run(Sgemm)) })
		}
	}
}

// TestRandomShapes is a randomised sweep over shapes, layouts, strides
// and scalars (fixed seed, so failures reproduce).
func TestRandomShapes(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for range 150 {
		dim := func() int {
			if rng.IntN(4) == 0 {
				return 1 + rng.IntN(200)
			}
			return 1 + rng.IntN(40)
		}
		tr := trans[rng.IntN(4)]
		alpha := []float32{1, -1, 0.37}[rng.IntN(3)]
		beta := []float32{0, 1, -2}[rng.IntN(3)]
		p := newProblem(rng, tr[0], tr[1], dim(), dim(), dim(), alpha, beta, rng.IntN(5))
		eachKernel(func() { p.check(t, p.run(Sgemm)) })
	}
}

// FuzzSgemm checks arbitrary small shapes and layouts against the
// reference (go test -fuzz=FuzzSgemm explores beyond the seeds).
func FuzzSgemm(f *testing.F) {
	f.Add(uint8(1), uint8(1), uint8(1), uint8(0), uint8(0), uint64(1))
	f.Add(uint8(9), uint8(49), uint8(17), uint8(3), uint8(1), uint64(2))
	f.Add(uint8(16), uint8(144), uint8(200), uint8(2), uint8(2), uint64(3))
	f.Fuzz(func(t *testing.T, m, n, k, tr, pad uint8, seed uint64) {
		rng := rand.New(rand.NewPCG(seed, 7))
		x := trans[tr%4]
		p := newProblem(rng, x[0], x[1], int(m%64)+1, int(n%200)+1, int(k)+1, 1.5, float32(seed%3)/2, int(pad%4))
		eachKernel(func() { p.check(t, p.run(Sgemm)) })
	})
}

// TestAlphaZero: alpha = 0 or k = 0 must give beta·C without touching A
// and B (NaNs there must not leak), and beta = 0 must clear NaN garbage.
func TestAlphaZero(t *testing.T) {
	nan := float32(math.NaN())
	a := []float32{nan, nan, nan, nan}
	c := []float32{1, 2, 3, 4}
	Sgemm(false, false, 2, 2, 2, 0, a, 2, a, 2, 3, c, 2)
	if c[0] != 3 || c[3] != 12 {
		t.Fatalf("alpha=0: got %v, want [3 6 9 12]", c)
	}
	c = []float32{nan, nan, nan, nan}
	Sgemm(false, true, 2, 2, 0, 1, nil, 1, nil, 1, 0, c, 2)
	if c[0] != 0 || c[3] != 0 {
		t.Fatalf("k=0, beta=0: got %v, want zeros", c)
	}
}

func TestBadArgsPanic(t *testing.T) {
	cases := map[string]func(){
		"short A": func() {
			Sgemm(false, false, 2, 2, 2, 1, make([]float32, 3), 2, make([]float32, 4), 2, 0, make([]float32, 4), 2)
		},
		"small ld": func() {
			Sgemm(false, false, 2, 2, 2, 1, make([]float32, 4), 1, make([]float32, 4), 2, 0, make([]float32, 4), 2)
		},
		"short C": func() {
			Sgemm(true, true, 2, 2, 2, 1, make([]float32, 4), 2, make([]float32, 4), 2, 0, make([]float32, 3), 2)
		},
		"negative": func() { Sgemm(false, false, -1, 2, 2, 1, nil, 2, nil, 2, 0, nil, 2) },
	}
	for name, f := range cases {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Fatal("no panic")
				}
			}()
			f()
		})
	}
}

// TestDeterministic: parallel results are bitwise identical for
// GOMAXPROCS 1 and 2 (and 3) and equal to SgemmSerial, on shapes that
// split into several chunks along m and along n, on every path.
func TestDeterministic(t *testing.T) {
	shapes := []struct {
		tA, tB  bool
		m, n, k int
	}{
		{false, false, 300, 301, 200}, // split along m
		{false, false, 16, 4096, 144}, // im2col forward, split along n
		{false, false, 16, 9000, 40},  // several column blocks per chunk
		{true, false, 144, 4096, 16},  // input gradient
		{false, true, 16, 144, 4096},  // weight gradient (dot path)
		{true, true, 100, 500, 130},
	}
	forEachImpl(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(8, 9))
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
		for _, s := range shapes {
			p := newProblem(rng, s.tA, s.tB, s.m, s.n, s.k, 0.7, 0.3, 1) // not powers of two: fused and unfused epilogues round differently
			g := new(call)
			g.im, g.transA, g.transB, g.m, g.n, g.k = cur.Load(), s.tA, s.tB, s.m, s.n, s.k
			g.plan(false)
			if g.chunks < 2 {
				t.Fatalf("%v: expected a multi-chunk plan, got %d chunk", s, g.chunks)
			}
			want := p.run(SgemmSerial)
			for _, procs := range []int{1, 2, 3} {
				runtime.GOMAXPROCS(procs)
				got := p.run(Sgemm)
				for i := range got {
					if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
						t.Fatalf("%v GOMAXPROCS=%d: C[%d] = %x, serial %x", s, procs, i, got[i], want[i])
					}
				}
			}
			if s.m*s.n*s.k <= 1<<22 {
				p.check(t, want)
			}
		}
	})
}

// TestNoAllocs: steady-state calls (serial and parallel) allocate nothing.
func TestNoAllocs(t *testing.T) {
	rng := rand.New(rand.NewPCG(10, 11))
	for _, s := range [][3]int{{64, 64, 64}, {16, 4096, 144}, {16, 144, 4096}, {200, 200, 200}} {
		p := newProblem(rng, false, s[1] == 144, s[0], s[1], s[2], 1, 0, 0)
		c := make([]float32, len(p.c0))
		call := func() { Sgemm(p.transA, p.transB, p.m, p.n, p.k, 1, p.a, p.lda, p.b, p.ldb, 0, c, p.ldc) }
		call()
		if n := testing.AllocsPerRun(20, call); n != 0 {
			t.Errorf("%v: %v allocs per call", s, n)
		}
	}
}

// TestConcurrentCallers: Sgemm called from several goroutines at once (as
// nn does when it splits a batch) shares the helper goroutines and buffer
// free lists; every result must still equal its serial one bit for bit.
func TestConcurrentCallers(t *testing.T) {
	rng := rand.New(rand.NewPCG(12, 13))
	var ps []*problem
	var want [][]float32
	for i := range 6 {
		tr := trans[i%4]
		p := newProblem(rng, tr[0], tr[1], 40+30*i, 300-20*i, 150+i*40, 0.7, 0.3, i%2)
		ps = append(ps, p)
		want = append(want, p.run(SgemmSerial))
	}
	errs := make(chan error, len(ps))
	for i, p := range ps {
		go func() {
			for range 5 {
				got := p.run(Sgemm)
				for e := range got {
					if math.Float32bits(got[e]) != math.Float32bits(want[i][e]) {
						errs <- fmt.Errorf("%s: C[%d] = %g, serial %g", p, e, got[e], want[i][e])
						return
					}
				}
			}
			errs <- nil
		}()
	}
	for range ps {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
	ps[0].check(t, want[0])
}
