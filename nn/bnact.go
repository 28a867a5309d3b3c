package nn

import "math/rand/v2"

// bnAct is batch norm followed by an activation, fused so that each
// pass over the (large) tensors does both: forward writes f(scale·x+shift)
// directly, backward folds f'(y) into the batch-norm reductions. It is the
// same function as batchNorm2d then act, parameters and running
// statistics included; the U-Net uses it for every BN → ReLU.
type bnAct[T Float] struct {
	*batchNorm2d[T]
	f   Activation
	afn loops
	// preGrad: the convolution that alone reads the output hands over the
	// per-sample gradient sums (see plan), pg holds them: per sample Σg
	// per channel, then Σg·(x-mean) per channel.
	preGrad bool
	pg      []float64
	// byConv: the convolution producing the input, which alone reads it,
	// computes the input gradient itself, sample by sample, when its kernel
	// can (see plan and conv2d.takesOutputGrad).
	byConv *conv2d[T]
}

func newBNAct[T Float](c int, f Activation) *bnAct[T] {
	return &bnAct[T]{batchNorm2d: newBatchNorm2d[T](c), f: f}
}

func (b *bnAct[T]) initParams(r *rand.Rand) { b.batchNorm2d.initParams(r) }

// needsOutput: backward reads y for f'(y).
func (b *bnAct[T]) needsOutput() bool { return true }

func (b *bnAct[T]) forward(cx *ctx[T], in []*tensor[T], out *tensor[T]) {
	b.p = pass[T]{cx: cx, in: in, out: out}
	b.statistics()
	parallelFor(cx.ws.nc, b.afn.get(0, func() func(int) { return b.affineActChunk }))
}

func (b *bnAct[T]) affineActChunk(ch int) {
	x, out := b.p.in[0], b.p.out
	lo, hi, hw := b.chunkSamples(ch)
	for s := lo; s < hi; s++ {
		xs, ys := x.samples(s, s+1), out.samples(s, s+1)
		for i := 0; i < b.c; i++ {
			affineAct(b.f, ys[i*hw:(i+1)*hw], xs[i*hw:(i+1)*hw], b.scale[i], b.shift[i])
		}
	}
}

func (b *bnAct[T]) setup(in []Shape, n int, ws *workspace[T]) {
	b.batchNorm2d.setup(in, n, ws)
	if b.preGrad && cap(b.pg) < 2*b.c*n {
		b.pg = make([]float64, 2*b.c*n)
	}
}

func (b *bnAct[T]) backward(cx *ctx[T], in []*tensor[T], out *tensor[T], need, add []bool) {
	b.p = pass[T]{cx: cx, in: in, out: out, need: need, add: add}
	if b.preGrad {
		b.preGradChunks(cx.ws)
	} else {
		parallelFor(cx.ws.nc, b.afn.get(1, func() func(int) { return b.gradSumsActChunk }))
	}
	b.paramGrads(cx.ws)
	if !need[0] {
		return
	}
	b.coefficients()
	if b.byConv != nil && b.byConv.takesOutputGrad() {
		return // the convolution calls gradActSample
	}
	parallelFor(cx.ws.nc, b.afn.get(2, func() func(int) { return b.gradActChunk }))
}

// gradActSample writes sample s's input gradient into dst, the values
// gradActChunk would write (the input has one consumer, so add is false).
// It runs in the producing convolution's backward, after this layer's:
// b.p, the statistics and the coefficients are this pass's.
func (b *bnAct[T]) gradActSample(s int, dst []T) {
	x, out := b.p.in[0], b.p.out
	hw := x.shape.H * x.shape.W
	xs, ys, dys := x.samples(s, s+1), out.samples(s, s+1), out.gradSamples(s, s+1)
	for i := 0; i < b.c; i++ {
		j := i * hw
		bnActGrad(b.f, dst[j:j+hw], dys[j:j+hw], ys[j:j+hw], xs[j:j+hw],
			b.scale[i], T(b.sumA[i]), T(b.mean[i]), T(b.sumB[i]), false, b.scale[i], b.shift[i])
	}
}

// sampleGradSums stores the terms gradSumsActChunk would add for sample
// s, given its output gradient dy. It runs in the consumer's backward, so
// before this layer's: b.p still holds the forward pass's tensors and
// mean the forward statistics.
func (b *bnAct[T]) sampleGradSums(s int, dy []T) {
	x, y := b.p.in[0].samples(s, s+1), b.p.out.samples(s, s+1)
	hw := len(dy) / b.c
	p := b.pg[2*b.c*s : 2*b.c*(s+1)]
	for i := 0; i < b.c; i++ {
		j := i * hw
		p[i], p[b.c+i] = sumDotAct(b.f, dy[j:j+hw], y[j:j+hw], x[j:j+hw], b.mean[i], b.scale[i], b.shift[i])
	}
}

// preGradChunks adds the stored per-sample gradient sums into the chunk
// sums in gradSumsActChunk's order, so the results are bitwise the same.
func (b *bnAct[T]) preGradChunks(ws *workspace[T]) {
	n := b.p.in[0].n
	for ch := 0; ch < ws.nc; ch++ {
		p := ws.sums[ch][:2*b.c]
		clear(p)
		lo, hi := chunkRange(n, ws.nc, ch)
		for s := lo; s < hi; s++ {
			q := b.pg[2*b.c*s : 2*b.c*(s+1)]
			for i := 0; i < b.c; i++ {
				p[i] += q[i]
				p[b.c+i] += q[b.c+i]
			}
		}
	}
}

// gradSumsActChunk writes Σg and Σg·(x-mean), g = dy·f'(y), per channel.
func (b *bnAct[T]) gradSumsActChunk(ch int) {
	x, out := b.p.in[0], b.p.out
	lo, hi, hw := b.chunkSamples(ch)
	p := b.p.cx.ws.sums[ch][:2*b.c]
	clear(p)
	for s := lo; s < hi; s++ {
		xs, ys, dys := x.samples(s, s+1), out.samples(s, s+1), out.gradSamples(s, s+1)
		for i := 0; i < b.c; i++ {
			j := i * hw
			s1, s2 := sumDotAct(b.f, dys[j:j+hw], ys[j:j+hw], xs[j:j+hw], b.mean[i], b.scale[i], b.shift[i])
			p[i] += s1
			p[b.c+i] += s2
		}
	}
}

func (b *bnAct[T]) gradActChunk(ch int) {
	x, out := b.p.in[0], b.p.out
	lo, hi, hw := b.chunkSamples(ch)
	for s := lo; s < hi; s++ {
		xs, ys, dys, dxs := x.samples(s, s+1), out.samples(s, s+1), out.gradSamples(s, s+1), x.gradSamples(s, s+1)
		for i := 0; i < b.c; i++ {
			j := i * hw
			bnActGrad(b.f, dxs[j:j+hw], dys[j:j+hw], ys[j:j+hw], xs[j:j+hw],
				b.scale[i], T(b.sumA[i]), T(b.mean[i]), T(b.sumB[i]), b.p.add[0], b.scale[i], b.shift[i])
		}
	}
}

// affineAct writes y = f(a·x + b).
func affineAct[T Float](f Activation, y, x []T, a, b T) {
	if f != ReLU {
		affine(y, x, a, b)
		activate(f, y, y)
		return
	}
	if is32[T]() {
		affineReLU32(as32(y), as32(x), float32(a), float32(b))
		return
	}
	y = y[:len(x)]
	for i, v := range x {
		y[i] = relu(a*v + b)
	}
}

// sumDotAct returns Σg and Σg·(x-mean) in float64, g = dy·f'(y), where
// y = f(fs·x + fb) was the forward output (float32 ReLU recomputes the
// mask from x and does not read y).
func sumDotAct[T Float](f Activation, dy, y, x []T, mean float64, fs, fb T) (s1, s2 float64) {
	y, x = y[:len(dy)], x[:len(dy)]
	if f == ReLU && is32[T]() {
		return reluSumDot32(as32(dy), as32(x), float32(fs), float32(fb), mean)
	}
	if f == ReLU {
		for i, d := range dy {
			if y[i] > 0 {
				g := float64(d)
				s1 += g
				s2 += g * (float64(x[i]) - mean)
			}
		}
		return
	}
	for i, d := range dy {
		g := float64(actGrad(f, d, y[i]))
		s1 += g
		s2 += g * (float64(x[i]) - mean)
	}
	return
}

// bnActGrad writes (or adds) dx = s·g + a·(x-mu) + c, g = dy·f'(y),
// y = f(fs·x + fb) as in sumDotAct.
func bnActGrad[T Float](f Activation, dx, dy, y, x []T, s, a, mu, c T, add bool, fs, fb T) {
	dy, y, x = dy[:len(dx)], y[:len(dx)], x[:len(dx)]
	if f == ReLU && is32[T]() {
		reluBNGrad32(as32(dx), as32(dy), as32(x), float32(fs), float32(fb), float32(s), float32(a), float32(mu), float32(c), add)
		return
	}
	if f == ReLU && !add {
		for i := range dx {
			v := a*(x[i]-mu) + c
			if y[i] > 0 {
				v += s * dy[i]
			}
			dx[i] = v
		}
		return
	}
	if add {
		for i := range dx {
			dx[i] += s*actGrad(f, dy[i], y[i]) + a*(x[i]-mu) + c
		}
		return
	}
	for i := range dx {
		dx[i] = s*actGrad(f, dy[i], y[i]) + a*(x[i]-mu) + c
	}
}
