package nn

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// gradTol is the accepted finite-difference error relative to the largest
// gradient (float64, h = 1e-5: truncation and rounding are both ~1e-10).
const gradTol = 1e-7

func mustBuild(t *testing.T, b *builder[float64], out int) *Net[float64] {
	t.Helper()
	net, err := b.build(out, 3)
	if err != nil {
		t.Fatal(err)
	}
	return net
}

func input(in Shape, batch int, seed uint64) []float64 {
	return randVec(rand.New(rand.NewPCG(seed, 1)), batch*in.Size())
}

func TestDenseGrad(t *testing.T) {
	in := Shape{2, 2, 2}
	b := newBuilder[float64](in)
	x := b.add(&dense[float64]{in: 8, out: 5}, 0)
	x = b.add(&dense[float64]{in: 5, out: 3}, x)
	net := mustBuild(t, b, x)
	fdCheck(t, net, input(in, 3, 1), 100, gradTol)
}

func TestActivationGrad(t *testing.T) {
	for _, f := range []Activation{ReLU, Tanh, Sigmoid} {
		t.Run(f.String(), func(t *testing.T) {
			in := Shape{4, 1, 1}
			b := newBuilder[float64](in)
			x := b.apply(&act[float64]{f: f}, 0) // on the input: not in place
			x = b.add(&dense[float64]{in: 4, out: 6}, x)
			x = b.apply(&act[float64]{f: f}, x) // after dense: in place
			x = b.add(&dense[float64]{in: 6, out: 2}, x)
			net := mustBuild(t, b, x)
			if net.alias[3] != 2 {
				t.Errorf("activation after dense not in place: alias %v", net.alias)
			}
			fdCheck(t, net, input(in, 5, 2), 100, gradTol)
		})
	}
}

var convCases = []struct {
	k, stride int
	pad       padding
}{
	{3, 1, padCircular}, {3, 1, padZeros}, {3, 2, padCircular}, {3, 2, padZeros}, {1, 1, padZeros}, {1, 2, padCircular},
}

// Both convolution kernels: shiftKernel (implicit GEMM, used for stride-1
// same convolutions; falls back to im2col elsewhere) and im2colKernel.
func TestConvGrad(t *testing.T) {
	for _, c := range convCases {
		for _, in := range []Shape{{2, 5, 6}, {2, 1, 2}} {
			for _, force := range []kernelChoice{kernelShift, kernelIm2col} {
				t.Run(fmt.Sprintf("k%d_s%d_%s_%v_kernel%d", c.k, c.stride, c.pad, in, force), func(t *testing.T) {
					b := newBuilder[float64](in)
					x := b.add(&conv2d[float64]{cin: 2, cout: 3, k: c.k, stride: c.stride, pad: c.pad, force: force}, 0)
					net := mustBuild(t, b, x)
					fdCheck(t, net, input(in, 3, 3), 200, gradTol)
				})
			}
		}
	}
}

// directConv is a naive reference: y[co][oy][ox] = b[co] +
// Σ w[co][ci][ky][kx]·x[ci][oy·s+ky-p][ox·s+kx-p], padded per mode.
func directConv(x, w, bias []float64, cin, cout, h, wd, k, s int, pad padding) []float64 {
	p := k / 2
	ho, wo := (h+2*p-k)/s+1, (wd+2*p-k)/s+1
	y := make([]float64, cout*ho*wo)
	at := func(ci, iy, ix int) float64 {
		if pad == padCircular {
			iy, ix = (iy+h)%h, (ix+wd)%wd
		} else if iy < 0 || iy >= h || ix < 0 || ix >= wd {
			return 0
		}
		return x[(ci*h+iy)*wd+ix]
	}
	for co := 0; co < cout; co++ {
		for oy := 0; oy < ho; oy++ {
			for ox := 0; ox < wo; ox++ {
				v := bias[co]
				for ci := 0; ci < cin; ci++ {
					for ky := 0; ky < k; ky++ {
						for kx := 0; kx < k; kx++ {
							v += w[((co*cin+ci)*k+ky)*k+kx] * at(ci, oy*s+ky-p, ox*s+kx-p)
						}
					}
				}
				y[(co*ho+oy)*wo+ox] = v
			}
		}
	}
	return y
}

func TestConvMatchesDirect(t *testing.T) {
	cases := append(convCases, struct {
		k, stride int
		pad       padding
	}{5, 1, padCircular})
	for _, c := range cases {
		for _, sz := range [][2]int{{5, 6}, {4, 4}, {1, 3}, {3, 1}, {1, 1}, {2, 2}} {
			for _, force := range []kernelChoice{kernelShift, kernelIm2col} {
				in := Shape{3, sz[0], sz[1]}
				if c.k/2 > in.H || c.k/2 > in.W {
					continue // torch rejects circular padding wider than the input
				}
				b := newBuilder[float64](in)
				x := b.add(&conv2d[float64]{cin: 3, cout: 2, k: c.k, stride: c.stride, pad: c.pad, force: force}, 0)
				net := mustBuild(t, b, x)
				xs := input(in, 2, 4)
				y := make([]float64, 2*net.OutSize())
				if err := net.Forward(y, xs); err != nil {
					t.Fatal(err)
				}
				nw := 2 * 3 * c.k * c.k
				for s := 0; s < 2; s++ {
					want := directConv(xs[s*in.Size():(s+1)*in.Size()], net.Params()[:nw], net.Params()[nw:],
						3, 2, in.H, in.W, c.k, c.stride, c.pad)
					got := y[s*net.OutSize() : (s+1)*net.OutSize()]
					for i := range want {
						if d := want[i] - got[i]; d > 1e-12 || d < -1e-12 {
							t.Fatalf("k%d s%d %s %v kernel%d: y[%d][%d] = %g, direct %g",
								c.k, c.stride, c.pad, in, force, s, i, got[i], want[i])
						}
					}
				}
			}
		}
	}
}

// A 3×3 kernel with a single 1 at (ky, kx) = (0, 0) reads x[i-1][j-1]:
// circular padding rolls the image by one cell down and right, zero
// padding shifts it and fills zeros.
func TestConvPaddingByHand(t *testing.T) {
	x := []float64{1, 2, 3, 4, 5, 6, 7, 8, 9}
	want := map[padding][]float64{
		padCircular: {9, 7, 8, 3, 1, 2, 6, 4, 5},
		padZeros:    {0, 0, 0, 0, 1, 2, 0, 4, 5},
	}
	for pad, w := range want {
		b := newBuilder[float64](Shape{1, 3, 3})
		out := b.add(&conv2d[float64]{cin: 1, cout: 1, k: 3, stride: 1, pad: pad}, 0)
		net := mustBuild(t, b, out)
		p := net.Params()
		clear(p)
		p[0] = 1
		y := make([]float64, 9)
		if err := net.Forward(y, x); err != nil {
			t.Fatal(err)
		}
		for i := range w {
			if y[i] != w[i] {
				t.Fatalf("%s: y = %v, want %v", pad, y, w)
			}
		}
	}
}

func TestBatchNormGrad(t *testing.T) {
	for _, train := range []bool{true, false} {
		t.Run(fmt.Sprintf("train=%v", train), func(t *testing.T) {
			in := Shape{3, 3, 2}
			b := newBuilder[float64](in)
			x := b.add(&conv2d[float64]{cin: 3, cout: 2, k: 1, stride: 1}, 0)
			x = b.add(newBatchNorm2d[float64](2), x)
			net := mustBuild(t, b, x)
			// Non-trivial γ, β and running statistics.
			r := rand.New(rand.NewPCG(5, 5))
			for _, bl := range net.blocks[1:] {
				for i := range bl.len {
					net.Params()[bl.off+i] = 0.5 + r.Float64()
				}
			}
			xs := input(in, 4, 5)
			if err := net.Forward(make([]float64, 4*net.OutSize()), xs); err != nil {
				t.Fatal(err)
			}
			net.SetTraining(train)
			fdCheck(t, net, xs, 100, gradTol)
		})
	}
}

// Batch norm on x = [1 2 | 3 4] (two samples, one channel of 1×2): mean
// 2.5, biased variance 1.25, unbiased 5/3.
func TestBatchNormByHand(t *testing.T) {
	b := newBuilder[float64](Shape{1, 1, 2})
	bn := newBatchNorm2d[float64](1)
	out := b.add(bn, 0)
	net := mustBuild(t, b, out)
	net.Params()[0], net.Params()[1] = 2, 0.5 // γ, β
	y := make([]float64, 4)
	if err := net.Forward(y, []float64{1, 2, 3, 4}); err != nil {
		t.Fatal(err)
	}
	for i, v := range []float64{1, 2, 3, 4} {
		want := 2*(v-2.5)/math.Sqrt(1.25+1e-5) + 0.5
		if d := y[i] - want; d > 1e-12 || d < -1e-12 {
			t.Errorf("train y[%d] = %.15g, want %.15g", i, y[i], want)
		}
	}
	if d := bn.runMean[0] - 0.25; d > 1e-15 || d < -1e-15 {
		t.Errorf("running mean %g, want 0.25", bn.runMean[0])
	}
	if d := bn.runVar[0] - (0.9 + 0.1*5.0/3); d > 1e-15 || d < -1e-15 {
		t.Errorf("running var %g, want %g", bn.runVar[0], 0.9+0.1*5.0/3)
	}
	if bn.tracked != 1 {
		t.Errorf("num_batches_tracked %d", bn.tracked)
	}
	net.SetTraining(false)
	if err := net.Forward(y, []float64{1, 2, 3, 4}); err != nil {
		t.Fatal(err)
	}
	rv := 0.9 + 0.1*5.0/3
	for i, v := range []float64{1, 2, 3, 4} {
		want := 2*(v-0.25)/math.Sqrt(rv+1e-5) + 0.5
		if d := y[i] - want; d > 1e-12 || d < -1e-12 {
			t.Errorf("eval y[%d] = %.15g, want %.15g", i, y[i], want)
		}
	}
}

func TestBatchNormSingleValueRejected(t *testing.T) {
	b := newBuilder[float64](Shape{2, 1, 1})
	out := b.add(newBatchNorm2d[float64](2), 0)
	net := mustBuild(t, b, out)
	if err := net.Forward(make([]float64, 2), []float64{1, 2}); err == nil {
		t.Error("training batch norm on one value per channel: no error")
	}
	net.SetTraining(false)
	if err := net.Forward(make([]float64, 2), []float64{1, 2}); err != nil {
		t.Error(err)
	}
}

func TestMaxPoolGrad(t *testing.T) {
	in := Shape{2, 5, 7}
	b := newBuilder[float64](in)
	x := b.add(&conv2d[float64]{cin: 2, cout: 2, k: 1, stride: 1}, 0)
	x = b.apply(&maxPool2[float64]{}, x)
	net := mustBuild(t, b, x)
	fdCheck(t, net, input(in, 3, 6), 200, gradTol)
}

func TestMaxPoolByHand(t *testing.T) {
	// 3×4 input (last row dropped); windows [1 5; 5 2] (tie → first 5),
	// [0 0; 0 0] (all tie → first), last row ignored.
	x := []float64{
		1, 5, 0, 0,
		5, 2, 0, 0,
		9, 9, 9, 9,
	}
	b := newBuilder[float64](Shape{1, 3, 4})
	out := b.apply(&maxPool2[float64]{}, 0)
	out = b.add(&conv2d[float64]{cin: 1, cout: 1, k: 1, stride: 1}, out)
	net := mustBuild(t, b, out)
	net.Params()[0], net.Params()[1] = 1, 0
	y := make([]float64, 2)
	if err := net.Forward(y, x); err != nil {
		t.Fatal(err)
	}
	if y[0] != 5 || y[1] != 0 {
		t.Fatalf("y = %v, want [5 0]", y)
	}
	dx := make([]float64, 12)
	if err := net.Backward(dx, []float64{10, 20}); err != nil {
		t.Fatal(err)
	}
	want := []float64{0, 10, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0}
	for i := range want {
		if dx[i] != want[i] {
			t.Fatalf("dx = %v, want %v", dx, want)
		}
	}
}

func TestUpsampleGrad(t *testing.T) {
	for _, sz := range [][2]int{{3, 4}, {1, 2}} {
		in := Shape{2, sz[0], sz[1]}
		b := newBuilder[float64](in)
		x := b.apply(&upsample2[float64]{}, 0)
		x = b.add(&conv2d[float64]{cin: 2, cout: 1, k: 1, stride: 1}, x)
		net := mustBuild(t, b, x)
		fdCheck(t, net, input(in, 2, 7), 100, gradTol)
	}
}

// The example of torch.nn.Upsample's documentation: [[1 2] [3 4]] with
// mode='bilinear', align_corners=False.
func TestUpsampleByHand(t *testing.T) {
	want := []float64{
		1.0000, 1.2500, 1.7500, 2.0000,
		1.5000, 1.7500, 2.2500, 2.5000,
		2.5000, 2.7500, 3.2500, 3.5000,
		3.0000, 3.2500, 3.7500, 4.0000,
	}
	b := newBuilder[float64](Shape{1, 2, 2})
	out := b.apply(&upsample2[float64]{}, 0)
	out = b.add(&conv2d[float64]{cin: 1, cout: 1, k: 1, stride: 1}, out)
	net := mustBuild(t, b, out)
	net.Params()[0], net.Params()[1] = 1, 0
	y := make([]float64, 16)
	if err := net.Forward(y, []float64{1, 2, 3, 4}); err != nil {
		t.Fatal(err)
	}
	for i := range want {
		if y[i] != want[i] {
			t.Fatalf("y = %v, want %v", y, want)
		}
	}
	// 1×3 → 2×6 per axis: edge, ¾/¼ inside (torch: [1, 1.25, 1.75, 2.25, 2.75, 3] for [1 2 3]).
	b = newBuilder[float64](Shape{1, 1, 3})
	out = b.apply(&upsample2[float64]{}, 0)
	out = b.add(&conv2d[float64]{cin: 1, cout: 1, k: 1, stride: 1}, out)
	net = mustBuild(t, b, out)
	net.Params()[0], net.Params()[1] = 1, 0
	y = make([]float64, 12)
	if err := net.Forward(y, []float64{1, 2, 3}); err != nil {
		t.Fatal(err)
	}
	row := []float64{1, 1.25, 1.75, 2.25, 2.75, 3}
	for i := range 12 {
		if y[i] != row[i%6] {
			t.Fatalf("y = %v, want rows %v", y, row)
		}
	}
}

func TestConcatGrad(t *testing.T) {
	in := Shape{2, 3, 3}
	b := newBuilder[float64](in)
	a := b.add(&conv2d[float64]{cin: 2, cout: 3, k: 1, stride: 1}, 0)
	c := b.add(&conv2d[float64]{cin: 3, cout: 1, k: 3, stride: 1, pad: padCircular}, a)
	x := b.apply(&concat[float64]{}, c, a) // a feeds a conv and the concat
	x = b.apply(&concat[float64]{}, x, x)  // both inputs the same tensor
	x = b.add(&conv2d[float64]{cin: 8, cout: 2, k: 1, stride: 1}, x)
	net := mustBuild(t, b, x)
	fdCheck(t, net, input(in, 3, 8), 100, gradTol)
}
