package nn

import (
	"math"
	"math/rand/v2"
	"testing"
)

// The float32 kernels (assembly where available, Go tails) against plain
// float64 arithmetic, for lengths that exercise the 8-wide blocks and the
// tails, with exact zeros of both signs mixed in.
func TestFloat32Kernels(t *testing.T) {
	r := rand.New(rand.NewPCG(61, 62))
	vec := func(n int) []float32 {
		v := make([]float32, n)
		for i := range v {
			switch r.IntN(6) {
			case 0:
				v[i] = 0
			case 1:
				v[i] = float32(math.Copysign(0, -1))
			default:
				v[i] = float32(4*r.Float64() - 2)
			}
		}
		return v
	}
	near := func(a, b, scale float64) bool { return math.Abs(a-b) <= 1e-6*scale }
	const fs, fb = 1.3, 0.1 // the forward's affine map before the ReLU
	for n := 0; n <= 41; n++ {
		x, dy := vec(n), vec(n)
		for i := 0; i < n; i += 5 {
			// ReLU inputs within round-off of zero: the recomputed mask must
			// be the forward's exactly.
			x[i] = float32(-fb/fs) * float32(1+float64(i%3-1)*1e-7)
		}
		y := make([]float32, n)
		affineReLU32(y, x, fs, fb) // the forward output whose mask is recomputed
		var w1, w2, scale float64
		for _, v := range x {
			w1 += float64(v)
			w2 += float64(v) * float64(v)
			scale += float64(v) * float64(v)
		}
		s1, s2 := sumSq32(x)
		if !near(s1, w1, 1+scale) || !near(s2, w2, 1+scale) {
			t.Errorf("n=%d sumSq32 = %g, %g, want %g, %g", n, s1, s2, w1, w2)
		}
		const mean = 0.3
		w1, w2 = 0, 0
		for i := range dy {
			if y[i] > 0 {
				w1 += float64(dy[i])
				w2 += float64(dy[i]) * (float64(x[i]) - mean)
			}
		}
		s1, s2 = reluSumDot32(dy, x, fs, fb, mean)
		if !near(s1, w1, 1+scale) || !near(s2, w2, 1+scale) {
			t.Errorf("n=%d reluSumDot32 = %g, %g, want %g, %g", n, s1, s2, w1, w2)
		}
		const s, a, mu, c = 1.5, -0.7, 0.2, 0.05
		dx := make([]float32, n)
		reluBNGrad32(dx, dy, x, fs, fb, s, a, mu, c, false)
		out := make([]float32, n)
		affineReLU32(out, x, s, c)
		for i := range dx {
			want := a*(float64(x[i])-mu) + c
			if y[i] > 0 {
				want += s * float64(dy[i])
			}
			if !near(float64(dx[i]), want, 10) {
				t.Errorf("n=%d reluBNGrad32[%d] = %g, want %g", n, i, dx[i], want)
			}
			if wa := math.Max(s*float64(x[i])+c, 0); !near(float64(out[i]), wa, 10) || out[i] < 0 {
				t.Errorf("n=%d affineReLU32[%d] = %g, want %g", n, i, out[i], wa)
			}
		}
	}
	nan := float32(math.NaN())
	out := make([]float32, 9)
	affineReLU32(out, []float32{nan, 1, -1, nan, 0, 0, 0, 0, nan}, 1, 0)
	for _, i := range []int{0, 3, 8} {
		if out[i] == out[i] {
			t.Errorf("affineReLU32 swallowed a NaN at %d: %v", i, out)
		}
	}
}

// poolRow32 picks the first maximum of each 2×2 window (ties are common
// after a ReLU) and lets NaNs through.
func TestPoolRow32(t *testing.T) {
	r := rand.New(rand.NewPCG(63, 64))
	vals := []float32{-1, 0, 0.5, 2}
	const n = 50
	r0, r1 := make([]float32, 2*n), make([]float32, 2*n)
	for i := range r0 {
		r0[i], r1[i] = vals[r.IntN(4)], vals[r.IntN(4)]
	}
	r1[7] = float32(math.NaN())
	y, arg := make([]float32, n), make([]uint8, n)
	poolRow32(y, arg, r0, r1)
	for i := range y {
		w := []float32{r0[2*i], r0[2*i+1], r1[2*i], r1[2*i+1]}
		best := 0
		for k := 1; k < 4; k++ {
			if w[k] > w[best] || w[k] != w[k] {
				best = k
			}
		}
		if int(arg[i]) != best || (y[i] != w[best] && w[best] == w[best]) || (w[best] != w[best] && y[i] == y[i]) {
			t.Fatalf("window %d %v: max %g at %d, want %g at %d", i, w, y[i], arg[i], w[best], best)
		}
	}
}

// outer (assembly for float32) is the outer product, for row lengths
// around the 8-lane blocks.
func TestOuter(t *testing.T) {
	r := rand.New(rand.NewPCG(65, 66))
	for na := 1; na <= 19; na++ {
		for _, nd := range []int{1, 3} {
			d, a := make([]float32, nd), make([]float32, na)
			for i := range d {
				d[i] = float32(r.NormFloat64())
			}
			for i := range a {
				a[i] = float32(r.NormFloat64())
			}
			dst := make([]float32, nd*na+1)
			dst[nd*na] = 42 // must survive
			outer(dst[:nd*na], d, a)
			for j := range d {
				for i := range a {
					if dst[j*na+i] != d[j]*a[i] {
						t.Fatalf("na=%d nd=%d: dst[%d][%d] = %g, want %g", na, nd, j, i, dst[j*na+i], d[j]*a[i])
					}
				}
			}
			if dst[nd*na] != 42 {
				t.Fatalf("na=%d nd=%d: wrote past the end", na, nd)
			}
		}
	}
}

// The 1-cell pad (assembly rows and Go rows) equals the general pad.
func TestPad1(t *testing.T) {
	saved := useAVX2
	defer func() { useAVX2 = saved }()
	for _, circ := range []bool{true, false} {
		for _, sz := range [][2]int{{1, 8}, {4, 16}, {3, 5}, {6, 64}, {2, 2}} {
			g := newConvGeom(3, 2, sz[0], sz[1], 3, 1, 1, circ)
			kn := newShiftKernel[float32](g)
			x := to32(input(Shape{3, sz[0], sz[1]}, 1, 7))
			want := make([]float32, 3*kn.p2)
			kn.padAny(want, x, 3)
			for _, asm := range []bool{false, saved} {
				useAVX2 = asm
				got := make([]float32, 3*kn.p2)
				for i := range got {
					got[i] = float32(math.NaN())
				}
				kn.pad(got, x, 3)
				for i := range want {
					if got[i] != want[i] {
						t.Fatalf("circular=%v %v asm=%v: pad[%d] = %g, want %g", circ, sz, asm, i, got[i], want[i])
					}
				}
			}
		}
	}
}

// upRow and upRowAdjoint are bitwise the tabulated loops they replace.
func TestUpRowMatchesTables(t *testing.T) {
	r := rand.New(rand.NewPCG(8, 9))
	for n := 1; n <= 9; n++ {
		l := newLerp1d[float32](n)
		src := make([]float32, n)
		g := make([]float32, 2*n)
		for i := range src {
			src[i] = float32(r.NormFloat64())
		}
		for i := range g {
			g[i] = float32(r.NormFloat64())
		}
		got, want := make([]float32, 2*n), make([]float32, 2*n)
		upRow(got, src, &l)
		for o := range want {
			want[o] = l.l0[o]*src[l.i0[o]] + l.l1[o]*src[l.i1[o]]
		}
		da, db := make([]float32, n), make([]float32, n)
		for i := range da {
			da[i] = float32(r.NormFloat64())
			db[i] = da[i]
		}
		upRowAdjoint(da, g, &l)
		for o, v := range g {
			db[l.i0[o]] += l.l0[o] * v
			db[l.i1[o]] += l.l1[o] * v
		}
		for i := range want {
			if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
				t.Fatalf("n=%d: upRow[%d] = %g, tables give %g", n, i, got[i], want[i])
			}
		}
		for i := range da {
			if math.Float32bits(da[i]) != math.Float32bits(db[i]) {
				t.Fatalf("n=%d: adjoint[%d] = %g, tables give %g", n, i, da[i], db[i])
			}
		}
	}
}
