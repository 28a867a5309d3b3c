package nn

import "fmt"

// UNetConfig configures NewUNet. The zero values of the optional fields
// give the authors' network, phiflow 2.2.3 (torch) u_net(in, out,
// levels=4, filters=16, batch_norm=True, activation=ReLU) with circular
// padding.
type UNetConfig struct {
	In, Out       int // channels
	Height, Width int // per-sample grid, divisible by 2^(Levels-1)
	Levels        int // resolution levels; 0 means 4
	Filters       int // channels at every level; 0 means 16
	NoBatchNorm   bool
	Activation    Activation // after the first conv of each DoubleConv; zero value ReLU
	ZeroPadding   bool       // zero instead of circular padding
	Seed          uint64     // initialisation seed
}

// NewUNet builds phiflow's U-Net:
//
//	inc = DoubleConv(In, F, mid F)
//	down_i = MaxPool2 → DoubleConv(F, F, mid F),          i = 1…L-1
//	up_i = Upsample2(x) → cat[skip, up] → DoubleConv(2F, F, mid F)
//	outc = conv 1×1 F → Out
//	DoubleConv = conv3×3 → BN → Activation → conv3×3 → BN → ReLU
//
// (phiflow hard-codes the second ReLU). Forward: x = inc(x); xs = [x];
// x = down_i(x), xs.insert(0, x) for i = 1…L-1; x = up_i(x, xs[i]) for
// i = 1…L-1; out = outc(x). The default network has 37,697 parameters for
// one input and one output channel.
//
// Parameter layout is PyTorch's state_dict order — inc, down1, up1, down2,
// up2, …, outc; within a DoubleConv conv1 (weight [out][in][3][3], bias),
// bn1 (weight, bias), conv2, bn2 — so torch weights can be copied in
// directly. Initialisation is torch's default (see NewMLP for the draw):
// conv weights and biases U(-1/√fan_in, 1/√fan_in), BN weight 1, bias 0.
func NewUNet[T Float](cfg UNetConfig) (*Net[T], error) { return newUNet[T](cfg, true) }

// newUNet builds the U-Net with fused layers (bnAct, upConcat) or, for
// tests, the plain layer sequence.
func newUNet[T Float](cfg UNetConfig, fuse bool) (*Net[T], error) {
	if cfg.Levels == 0 {
		cfg.Levels = 4
	}
	if cfg.Filters == 0 {
		cfg.Filters = 16
	}
	if cfg.In <= 0 || cfg.Out <= 0 || cfg.Levels < 1 || cfg.Filters < 1 {
		return nil, fmt.Errorf("nn: invalid U-Net config %+v", cfg)
	}
	if !cfg.Activation.valid() {
		return nil, fmt.Errorf("nn: unknown activation %v", cfg.Activation)
	}
	div := 1 << (cfg.Levels - 1)
	if cfg.Height <= 0 || cfg.Width <= 0 || cfg.Height%div != 0 || cfg.Width%div != 0 {
		return nil, fmt.Errorf("nn: U-Net with %d levels needs a grid divisible by %d, got %d×%d",
			cfg.Levels, div, cfg.Height, cfg.Width)
	}
	pad := padCircular
	if cfg.ZeroPadding {
		pad = padZeros
	}
	f := cfg.Filters
	b := newBuilder[T](Shape{cfg.In, cfg.Height, cfg.Width})
	dc := func(in, out, mid int) *doubleConv[T] {
		return newDoubleConv(b, in, out, mid, pad, !cfg.NoBatchNorm, cfg.Activation, fuse)
	}
	// Declare in PyTorch registration order: inc, down1, up1, down2, up2, …
	inc := dc(cfg.In, f, f)
	downs := make([]*doubleConv[T], cfg.Levels)
	ups := make([]*doubleConv[T], cfg.Levels)
	for i := 1; i < cfg.Levels; i++ {
		downs[i] = dc(f, f, f)
		ups[i] = dc(2*f, f, (2*f)/2)
	}
	outc := b.declare(&conv2d[T]{cin: f, cout: cfg.Out, k: 1, stride: 1, pad: pad})

	x := inc.apply(b, 0)
	xs := []int{x}
	for i := 1; i < cfg.Levels; i++ {
		x = b.apply(&maxPool2[T]{}, x)
		x = downs[i].apply(b, x)
		xs = append([]int{x}, xs...)
	}
	for i := 1; i < cfg.Levels; i++ {
		if fuse {
			x = b.apply(&upConcat[T]{}, xs[i], x)
		} else {
			u := b.apply(&upsample2[T]{}, x)
			x = b.apply(&concat[T]{}, xs[i], u)
		}
		x = ups[i].apply(b, x)
	}
	x = b.apply(outc, x)
	return b.build(x, cfg.Seed)
}

// doubleConv is phiflow's DoubleConv block, declared at construction and
// wired by apply. With fuse, each BN and the activation after it are one
// bnAct layer.
type doubleConv[T Float] struct {
	c1, c2 *conv2d[T]
	n1, n2 layer[T] // batchNorm2d or bnAct; nil without batch norm
	act1   Activation
	fused  bool
}

func newDoubleConv[T Float](b *builder[T], in, out, mid int, pad padding, bn bool, a Activation, fuse bool) *doubleConv[T] {
	d := &doubleConv[T]{act1: a, fused: fuse && bn}
	norm := func(c int, f Activation) layer[T] {
		if !bn {
			return nil
		}
		if d.fused {
			return b.declare(newBNAct[T](c, f))
		}
		return b.declare(newBatchNorm2d[T](c))
	}
	d.c1 = &conv2d[T]{cin: in, cout: mid, k: 3, stride: 1, pad: pad}
	b.declare(d.c1)
	d.n1 = norm(mid, a)
	d.c2 = &conv2d[T]{cin: mid, cout: out, k: 3, stride: 1, pad: pad}
	b.declare(d.c2)
	d.n2 = norm(out, ReLU)
	return d
}

func (d *doubleConv[T]) apply(b *builder[T], x int) int {
	step := func(x int, c *conv2d[T], n layer[T], f Activation) int {
		x = b.apply(c, x)
		if n != nil {
			x = b.apply(n, x)
		}
		if !d.fused && f != None {
			x = b.apply(&act[T]{f: f}, x)
		}
		return x
	}
	x = step(x, d.c1, d.n1, d.act1)
	return step(x, d.c2, d.n2, ReLU)
}
