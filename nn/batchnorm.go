package nn

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// BatchNorm constants, torch.nn.BatchNorm2d defaults.
const (
	bnEps      = 1e-5
	bnMomentum = 0.1
)

// batchNorm2d is torch.nn.BatchNorm2d(C) with affine weight γ and bias β.
// Training mode normalises with the batch statistics over (N, H, W) and
// the biased variance, and updates the running statistics with momentum
// 0.1 and the unbiased variance; evaluation mode uses the running
// statistics. Sums are accumulated in float64, per chunk, and reduced in
// chunk order.
type batchNorm2d[T Float] struct {
	c               int
	gamma, beta     []T
	ggamma, gbeta   []T
	runMean, runVar []T // running statistics (buffers, saved in checkpoints)
	tracked         int64
	m               int       // values per channel in the batch, N·H·W
	mean, invstd    []float64 // statistics used by the last forward
	scale, shift    []T       // y = scale·x + shift per channel
	sumA, sumB      []float64 // reduced sums
	lastTrain       bool
	preSummed       bool      // the producer fills pre in training forward passes
	pre             []float64 // per sample: Σx per channel, then Σx² per channel
	p               pass[T]
	fn              loops
}

func newBatchNorm2d[T Float](c int) *batchNorm2d[T] {
	b := &batchNorm2d[T]{c: c, runMean: make([]T, c), runVar: make([]T, c),
		mean: make([]float64, c), invstd: make([]float64, c), scale: make([]T, c), shift: make([]T, c),
		sumA: make([]float64, c), sumB: make([]float64, c)}
	for i := range b.runVar {
		b.runVar[i] = 1
	}
	return b
}

// norm gives the batch-norm state (also of the fused bnAct).
func (b *batchNorm2d[T]) norm() *batchNorm2d[T] { return b }

func (b *batchNorm2d[T]) kind() string { return fmt.Sprintf("batchnorm(%d)", b.c) }

func (b *batchNorm2d[T]) outShape(in []Shape) (Shape, error) {
	if len(in) != 1 {
		return Shape{}, fmt.Errorf("nn: batchnorm takes one input, got %d", len(in))
	}
	if in[0].C != b.c {
		return Shape{}, fmt.Errorf("nn: %s got %d channels", b.kind(), in[0].C)
	}
	return in[0], nil
}

func (b *batchNorm2d[T]) numParams() int { return 2 * b.c }

func (b *batchNorm2d[T]) bind(p, g []T) {
	b.gamma, b.beta, b.ggamma, b.gbeta = p[:b.c], p[b.c:], g[:b.c], g[b.c:]
}

// initParams sets γ = 1, β = 0 (no random draws).
func (b *batchNorm2d[T]) initParams(r *rand.Rand) {
	for i := range b.gamma {
		b.gamma[i], b.beta[i] = 1, 0
	}
}

func (b *batchNorm2d[T]) setup(in []Shape, n int, ws *workspace[T]) {
	b.m = n * in[0].H * in[0].W
	if b.preSummed && cap(b.pre) < 2*b.c*n {
		b.pre = make([]float64, 2*b.c*n)
	}
	ws.need(0, 0, 2*b.c)
}

func (b *batchNorm2d[T]) needsOutput() bool { return false }

// check rejects training on a single value per channel (the variance is
// undefined), as torch does.
func (b *batchNorm2d[T]) check(train bool) error {
	if train && b.m <= 1 {
		return fmt.Errorf("nn: %s needs more than one value per channel in training mode, got %d", b.kind(), b.m)
	}
	return nil
}

// reduce sums the per-chunk partial sums [A₀…A_c-1, B₀…B_c-1] in order.
func (b *batchNorm2d[T]) reduce(ws *workspace[T]) {
	clear(b.sumA)
	clear(b.sumB)
	for _, p := range ws.sums[:ws.nc] {
		for i := 0; i < b.c; i++ {
			b.sumA[i] += p[i]
			b.sumB[i] += p[b.c+i]
		}
	}
}

// statistics sets mean, invstd, scale and shift for a forward pass: from
// the batch (training; also updates the running statistics) or from the
// running statistics (evaluation). The caller has set b.p.
func (b *batchNorm2d[T]) statistics() {
	cx := b.p.cx
	b.lastTrain = cx.train
	if cx.train {
		if b.preSummed {
			b.preChunks(cx.ws)
		} else {
			parallelFor(cx.ws.nc, b.fn.get(0, func() func(int) { return b.statsChunk }))
		}
		b.reduce(cx.ws)
		m := float64(b.m)
		for i := 0; i < b.c; i++ {
			mean := b.sumA[i] / m
			v := max(b.sumB[i]/m-mean*mean, 0) // biased variance
			b.mean[i], b.invstd[i] = mean, 1/math.Sqrt(v+bnEps)
			unbiased := v * m / (m - 1)
			b.runMean[i] = T((1-bnMomentum)*float64(b.runMean[i]) + bnMomentum*mean)
			b.runVar[i] = T((1-bnMomentum)*float64(b.runVar[i]) + bnMomentum*unbiased)
		}
		b.tracked++
	} else {
		for i := 0; i < b.c; i++ {
			b.mean[i], b.invstd[i] = float64(b.runMean[i]), 1/math.Sqrt(float64(b.runVar[i])+bnEps)
		}
	}
	for i := 0; i < b.c; i++ {
		sc := float64(b.gamma[i]) * b.invstd[i]
		b.scale[i], b.shift[i] = T(sc), T(float64(b.beta[i])-b.mean[i]*sc)
	}
}

// chunkSamples returns chunk ch's samples [lo, hi) and the plane size.
func (b *batchNorm2d[T]) chunkSamples(ch int) (lo, hi, hw int) {
	x := b.p.in[0]
	lo, hi = chunkRange(x.n, b.p.cx.ws.nc, ch)
	return lo, hi, x.shape.H * x.shape.W
}

// sampleSums stores Σx and Σx² per channel of sample s (x its values),
// the terms statsChunk would add for it.
func (b *batchNorm2d[T]) sampleSums(s int, x []T) {
	hw := len(x) / b.c
	p := b.pre[2*b.c*s : 2*b.c*(s+1)]
	for i := 0; i < b.c; i++ {
		p[i], p[b.c+i] = sumSq(x[i*hw : (i+1)*hw])
	}
}

// preChunks adds the stored per-sample sums into the chunk sums in the
// order statsChunk adds them, so the statistics are bitwise the same.
func (b *batchNorm2d[T]) preChunks(ws *workspace[T]) {
	n := b.p.in[0].n
	for ch := 0; ch < ws.nc; ch++ {
		p := ws.sums[ch][:2*b.c]
		clear(p)
		lo, hi := chunkRange(n, ws.nc, ch)
		for s := lo; s < hi; s++ {
			q := b.pre[2*b.c*s : 2*b.c*(s+1)]
			for i := 0; i < b.c; i++ {
				p[i] += q[i]
				p[b.c+i] += q[b.c+i]
			}
		}
	}
}

// statsChunk writes Σx and Σx² per channel of chunk ch into its sums.
func (b *batchNorm2d[T]) statsChunk(ch int) {
	x := b.p.in[0]
	lo, hi, hw := b.chunkSamples(ch)
	p := b.p.cx.ws.sums[ch][:2*b.c]
	clear(p)
	for s := lo; s < hi; s++ {
		xs := x.samples(s, s+1)
		for i := 0; i < b.c; i++ {
			s1, s2 := sumSq(xs[i*hw : (i+1)*hw])
			p[i] += s1
			p[b.c+i] += s2
		}
	}
}

func (b *batchNorm2d[T]) forward(cx *ctx[T], in []*tensor[T], out *tensor[T]) {
	b.p = pass[T]{cx: cx, in: in, out: out}
	b.statistics()
	parallelFor(cx.ws.nc, b.fn.get(1, func() func(int) { return b.affineChunk }))
}

func (b *batchNorm2d[T]) affineChunk(ch int) {
	x, out := b.p.in[0], b.p.out
	lo, hi, hw := b.chunkSamples(ch)
	for s := lo; s < hi; s++ {
		xs, ys := x.samples(s, s+1), out.samples(s, s+1)
		for i := 0; i < b.c; i++ {
			affine(ys[i*hw:(i+1)*hw], xs[i*hw:(i+1)*hw], b.scale[i], b.shift[i])
		}
	}
}

// paramGrads reduces the per-chunk sums Σdy, Σdy·(x-mean) into sumA, sumB
// and adds dβ = Σdy, dγ = Σdy·x̂.
func (b *batchNorm2d[T]) paramGrads(ws *workspace[T]) {
	b.reduce(ws)
	for i := 0; i < b.c; i++ {
		b.gbeta[i] += T(b.sumA[i])
		b.ggamma[i] += T(b.sumB[i] * b.invstd[i])
	}
}

// coefficients turns the reduced sums into dx = scale·dy + a·(x-mean) + c
// with a, c stored in sumA, sumB: in training
// dx = scale·(dy - Σdy/M - x̂·Σ(dy·x̂)/M); in evaluation the statistics
// are constants and a = c = 0.
func (b *batchNorm2d[T]) coefficients() {
	m := float64(b.m)
	for i := 0; i < b.c; i++ {
		sdy, sdyx := b.sumA[i], b.sumB[i]
		if !b.lastTrain {
			b.sumA[i], b.sumB[i] = 0, 0
			continue
		}
		sc := float64(b.scale[i])
		b.sumA[i] = -sc * b.invstd[i] * b.invstd[i] * sdyx / m
		b.sumB[i] = -sc * sdy / m
	}
}

func (b *batchNorm2d[T]) backward(cx *ctx[T], in []*tensor[T], out *tensor[T], need, add []bool) {
	b.p = pass[T]{cx: cx, in: in, out: out, need: need, add: add}
	parallelFor(cx.ws.nc, b.fn.get(2, func() func(int) { return b.gradSumsChunk }))
	b.paramGrads(cx.ws)
	if !need[0] {
		return
	}
	b.coefficients()
	parallelFor(cx.ws.nc, b.fn.get(3, func() func(int) { return b.gradChunk }))
}

// gradSumsChunk writes Σdy and Σdy·(x-mean) per channel of chunk ch.
func (b *batchNorm2d[T]) gradSumsChunk(ch int) {
	x, out := b.p.in[0], b.p.out
	lo, hi, hw := b.chunkSamples(ch)
	p := b.p.cx.ws.sums[ch][:2*b.c]
	clear(p)
	for s := lo; s < hi; s++ {
		xs, dys := x.samples(s, s+1), out.gradSamples(s, s+1)
		for i := 0; i < b.c; i++ {
			s1, s2 := sumDot(dys[i*hw:(i+1)*hw], xs[i*hw:(i+1)*hw], b.mean[i])
			p[i] += s1
			p[b.c+i] += s2
		}
	}
}

func (b *batchNorm2d[T]) gradChunk(ch int) {
	x, out := b.p.in[0], b.p.out
	lo, hi, hw := b.chunkSamples(ch)
	for s := lo; s < hi; s++ {
		xs, dys, dxs := x.samples(s, s+1), out.gradSamples(s, s+1), x.gradSamples(s, s+1)
		for i := 0; i < b.c; i++ {
			j := i * hw
			bnGrad(dxs[j:j+hw], dys[j:j+hw], xs[j:j+hw], b.scale[i], T(b.sumA[i]), T(b.mean[i]), T(b.sumB[i]), b.p.add[0])
		}
	}
}

// sumSq returns Σx and Σx² in float64.
func sumSq[T Float](x []T) (s1, s2 float64) {
	if is32[T]() {
		return sumSq32(as32(x))
	}
	for _, v := range x {
		f := float64(v)
		s1 += f
		s2 += f * f
	}
	return
}

// sumDot returns Σdy and Σdy·(x-mean) in float64.
func sumDot[T Float](dy, x []T, mean float64) (s1, s2 float64) {
	x = x[:len(dy)]
	for i, d := range dy {
		f := float64(d)
		s1 += f
		s2 += f * (float64(x[i]) - mean)
	}
	return
}

// affine writes y = a·x + b.
func affine[T Float](y, x []T, a, b T) {
	y = y[:len(x)]
	for i, v := range x {
		y[i] = a*v + b
	}
}

// bnGrad writes (or adds) dx = s·dy + a·(x-mu) + c.
func bnGrad[T Float](dx, dy, x []T, s, a, mu, c T, add bool) {
	dy, x = dy[:len(dx)], x[:len(dx)]
	if add {
		for i := range dx {
			dx[i] += s*dy[i] + a*(x[i]-mu) + c
		}
		return
	}
	for i := range dx {
		dx[i] = s*dy[i] + a*(x[i]-mu) + c
	}
}
