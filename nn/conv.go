package nn

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// padding selects how a convolution pads its input.
type padding int

// The padding modes of torch.nn.Conv2d.
const (
	padZeros    padding = iota // padding_mode='zeros'
	padCircular                // padding_mode='circular'
)

// String names the mode as torch does.
func (p padding) String() string {
	if p == padCircular {
		return "circular"
	}
	return "zeros"
}

// conv2d is torch.nn.Conv2d(cin, cout, k, stride, padding=k/2,
// padding_mode) with bias. Weights are [cout][cin][k][k] then bias[cout],
// PyTorch's layout. The arithmetic is delegated to a convKernel.
type conv2d[T Float] struct {
	cin, cout, k, stride int
	pad                  padding
	w, b, gw, gb         []T
	g                    convGeom
	kn                   convKernel[T]
	p                    pass[T]
	fn                   loops
	force                kernelChoice    // tests: pin a kernel
	stats                *batchNorm2d[T] // in training, gets each output sample's sums (see plan)
	gradSums             *bnAct[T]       // gets each input-gradient sample's sums (see plan)
	outGrad              *bnAct[T]       // computes this layer's output gradient (see plan)
	dyOf                 func(s int, dst []T)
}

// takesOutputGrad reports whether this backward pass computes the output
// gradient per sample from outGrad (gradActSample) instead of reading it:
// only the windowed kernel's per-sample backward can.
func (c *conv2d[T]) takesOutputGrad() bool {
	dk, ok := c.kn.(*directKernel[T])
	return c.outGrad != nil && ok && dk.windowDx()
}

// kernelChoice selects a convolution kernel: auto picks directKernel for
// float32 stride-1 same convolutions whose channels and width fit its
// tiles (directApplies), shiftKernel for other stride-1 same convolutions
// with at least 8 input and output channels (with fewer, its k·k GEMMs
// have a tiny inner dimension and im2col's one GEMM is faster),
// im2colKernel otherwise.
type kernelChoice int

const (
	kernelAuto kernelChoice = iota
	kernelIm2col
	kernelShift
	kernelDirect
)

func newKernel[T Float](g convGeom, force kernelChoice) convKernel[T] {
	if is32[T]() && directApplies(g) && (force == kernelAuto || force == kernelDirect) {
		return newDirectKernel[T](g)
	}
	shift := shiftApplies(g) && (force == kernelShift || force == kernelAuto && g.cin >= 8 && g.cout >= 8)
	if shift {
		return newShiftKernel[T](g)
	}
	return newIm2colKernel[T](g)
}

func (c *conv2d[T]) kind() string {
	return fmt.Sprintf("conv%dx%d(%d→%d,s%d,%s)", c.k, c.k, c.cin, c.cout, c.stride, c.pad)
}

func (c *conv2d[T]) outShape(in []Shape) (Shape, error) {
	if len(in) != 1 {
		return Shape{}, fmt.Errorf("nn: conv takes one input, got %d", len(in))
	}
	s := in[0]
	if s.C != c.cin {
		return Shape{}, fmt.Errorf("nn: %s got %d channels", c.kind(), s.C)
	}
	p := c.k / 2
	if c.pad == padCircular && (p > s.H || p > s.W) {
		return Shape{}, fmt.Errorf("nn: %s: circular padding %d exceeds input %v", c.kind(), p, s)
	}
	g := newConvGeom(c.cin, c.cout, s.H, s.W, c.k, c.stride, p, c.pad == padCircular)
	if g.ho <= 0 || g.wo <= 0 {
		return Shape{}, fmt.Errorf("nn: %s: input %v too small", c.kind(), s)
	}
	return Shape{c.cout, g.ho, g.wo}, nil
}

func (c *conv2d[T]) numParams() int { return c.cout*c.cin*c.k*c.k + c.cout }

func (c *conv2d[T]) bind(p, g []T) {
	nw := c.cout * c.cin * c.k * c.k
	c.w, c.b, c.gw, c.gb = p[:nw], p[nw:], g[:nw], g[nw:]
}

// initParams draws W then b from U(-1/√fan_in, 1/√fan_in), fan_in = cin·k·k
// (torch's kaiming_uniform(a=√5) and bias rule).
func (c *conv2d[T]) initParams(r *rand.Rand) {
	bound := 1 / math.Sqrt(float64(c.cin*c.k*c.k))
	uniform(r, c.w, bound)
	uniform(r, c.b, bound)
}

func (c *conv2d[T]) setup(in []Shape, n int, ws *workspace[T]) {
	s := in[0]
	g := newConvGeom(c.cin, c.cout, s.H, s.W, c.k, c.stride, c.k/2, c.pad == padCircular)
	if c.kn == nil || g != c.g {
		c.g, c.kn = g, newKernel[T](g, c.force)
	}
	ws.need(c.kn.scratch(maxChunkLen(n)), c.numParams(), 0)
}

func (c *conv2d[T]) needsOutput() bool { return false }

func (c *conv2d[T]) forward(cx *ctx[T], in []*tensor[T], out *tensor[T]) {
	c.kn.prepare(c.w)
	c.p = pass[T]{cx: cx, in: in, out: out}
	parallelFor(cx.ws.nc, c.fn.get(0, func() func(int) { return c.forwardChunk }))
}

func (c *conv2d[T]) forwardChunk(ch int) {
	x, y, ws := c.p.in[0], c.p.out, c.p.cx.ws
	lo, hi := chunkRange(y.n, ws.nc, ch)
	if c.stats == nil || !c.p.cx.train {
		c.kn.forward(y.samples(lo, hi), x.samples(lo, hi), c.w, c.b, hi-lo, ws.scratch[ch])
		return
	}
	for s := lo; s < hi; s++ {
		ys := y.samples(s, s+1)
		c.kn.forward(ys, x.samples(s, s+1), c.w, c.b, 1, ws.scratch[ch])
		c.stats.sampleSums(s, ys)
	}
}

// backward computes each chunk's weight gradient into its own buffer and
// adds the buffers in chunk order, so the sum does not depend on which
// goroutine ran which chunk.
func (c *conv2d[T]) backward(cx *ctx[T], in []*tensor[T], out *tensor[T], need, add []bool) {
	c.kn.prepare(c.w)
	c.p = pass[T]{cx: cx, in: in, out: out, need: need, add: add}
	c.fn.get(2, func() func(int) { return c.afterSample })
	if c.outGrad != nil && c.dyOf == nil {
		c.dyOf = c.outGrad.gradActSample // bound once: no allocation per step
	}
	parallelFor(cx.ws.nc, c.fn.get(1, func() func(int) { return c.backwardChunk }))
	sumChunks(c.gw, c.gb, cx.ws.grad[:cx.ws.nc], len(c.w))
}

func (c *conv2d[T]) backwardChunk(ch int) {
	x, out, ws := c.p.in[0], c.p.out, c.p.cx.ws
	lo, hi := chunkRange(out.n, ws.nc, ch)
	nw := len(c.w)
	g := ws.grad[ch][:c.numParams()]
	clear(g)
	dy, scratch := out.gradSamples(lo, hi), ws.scratch[ch]
	var after func(s int)
	if c.gradSums != nil && c.p.need[0] {
		after = c.fn[2] // bound in backward, before the workers start
	}
	var dyOf func(s int, dst []T)
	if c.takesOutputGrad() {
		dyOf, dy = c.dyOf, nil // out.grad was not written (bnAct.backward)
	}
	if fb, ok := c.kn.(fusedBackward[T]); ok {
		var dx []T
		if c.p.need[0] {
			dx = x.gradSamples(lo, hi)
		}
		fb.backward(g[:nw], g[nw:], dx, x.samples(lo, hi), dy, hi-lo, c.p.need[0], c.p.add[0], scratch, after, lo, dyOf)
		return
	}
	c.kn.backwardWeights(g[:nw], g[nw:], x.samples(lo, hi), dy, hi-lo, scratch)
	if c.p.need[0] {
		c.kn.backwardData(x.gradSamples(lo, hi), dy, hi-lo, c.p.add[0], scratch)
		for s := lo; s < hi && after != nil; s++ {
			after(s)
		}
	}
}

// fusedBackward is implemented by kernels that compute both gradients in
// one pass over the samples: gw, gb get the weight and bias gradients
// added, dx (when needDx) is written or, with add, added to. If after is
// not nil it is called with s0+s as soon as sample s's dx is complete. If
// dyOf is not nil, dy is nil and dyOf(s0+s, dst) writes sample s's output
// gradient into dst (only kernels whose takesOutputGrad conditions hold
// get one).
type fusedBackward[T Float] interface {
	backward(gw, gb, dx, x, dy []T, ns int, needDx, add bool, ws []T, after func(s int), s0 int, dyOf func(s int, dst []T))
}

// afterSample hands sample s's input gradient, while it is in cache, to
// the bnAct that produced the input (see plan).
func (c *conv2d[T]) afterSample(s int) {
	x := c.p.in[0]
	c.gradSums.sampleGradSums(s, x.gradSamples(s, s+1))
}

// sumChunks adds the per-chunk gradients (weights then biases) in order.
func sumChunks[T Float](gw, gb []T, parts [][]T, nw int) {
	for _, p := range parts {
		for i, v := range p[:nw] {
			gw[i] += v
		}
		for i, v := range p[nw : nw+len(gb)] {
			gb[i] += v
		}
	}
}
