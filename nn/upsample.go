package nn

import (
	"fmt"
	"math/rand/v2"
)

// upsample2 is torch.nn.Upsample(scale_factor=2, mode='bilinear',
// align_corners=False): output pixel o samples the input at
// src = (o+0.5)/2 - 0.5, clamped at 0, between floor(src) and the next
// pixel (clamped at the edge). Per axis this gives weights ¼/¾ inside and
// the edge pixel itself at both ends.
type upsample2[T Float] struct {
	h, w   lerp1d[T]
	hi, wi int
	p      pass[T]
	fn     loops
}

// lerp1d tabulates one axis: out[o] = l0[o]·in[i0[o]] + l1[o]·in[i1[o]].
type lerp1d[T Float] struct {
	i0, i1 []int
	l0, l1 []T
}

func newLerp1d[T Float](n int) lerp1d[T] {
	l := lerp1d[T]{i0: make([]int, 2*n), i1: make([]int, 2*n), l0: make([]T, 2*n), l1: make([]T, 2*n)}
	for o := 0; o < 2*n; o++ {
		src := max(0.5*(float64(o)+0.5)-0.5, 0)
		i0 := int(src)
		i1 := i0
		if i0 < n-1 {
			i1 = i0 + 1
		}
		f := src - float64(i0)
		l.i0[o], l.i1[o], l.l0[o], l.l1[o] = i0, i1, T(1-f), T(f)
	}
	return l
}

func (u *upsample2[T]) kind() string { return "upsample2-bilinear" }

func (u *upsample2[T]) outShape(in []Shape) (Shape, error) {
	if len(in) != 1 {
		return Shape{}, fmt.Errorf("nn: upsample takes one input, got %d", len(in))
	}
	s := in[0]
	return Shape{s.C, 2 * s.H, 2 * s.W}, nil
}

func (u *upsample2[T]) numParams() int          { return 0 }
func (u *upsample2[T]) bind(p, g []T)           {}
func (u *upsample2[T]) initParams(r *rand.Rand) {}
func (u *upsample2[T]) needsOutput() bool       { return false }

func (u *upsample2[T]) setup(in []Shape, n int, ws *workspace[T]) {
	if s := in[0]; s.H != u.hi || s.W != u.wi {
		u.hi, u.wi = s.H, s.W
		u.h, u.w = newLerp1d[T](s.H), newLerp1d[T](s.W)
	}
	ws.need(u.scratch(), 0, 0)
}

// scratch is the per-chunk buffer of the separable passes: hi rows of 2wi.
func (u *upsample2[T]) scratch() int { return 2 * u.hi * u.wi }

func (u *upsample2[T]) forward(c *ctx[T], in []*tensor[T], out *tensor[T]) {
	u.p = pass[T]{cx: c, in: in, out: out}
	parallelFor(c.ws.nc, u.fn.get(0, func() func(int) { return u.forwardChunk }))
}

func (u *upsample2[T]) forwardChunk(ch int) {
	x, out, ws := u.p.in[0], u.p.out, u.p.cx.ws
	pi, po, C := u.hi*u.wi, 4*u.hi*u.wi, x.shape.C
	lo, hi := chunkRange(x.n, ws.nc, ch)
	for pl := lo * C; pl < hi*C; pl++ {
		u.plane(out.data[pl*po:(pl+1)*po], x.data[pl*pi:(pl+1)*pi], ws.scratch[ch])
	}
}

// plane upsamples one hi×wi plane x into y (2hi×2wi), separably: rows
// first into tmp (hi × 2wi), then each output row mixes two of them. The
// arithmetic is torch's h0·(w0·a + w1·b) + h1·(w0·c + w1·d).
func (u *upsample2[T]) plane(y, x, tmp []T) {
	wi, ho, wo := u.wi, 2*u.hi, 2*u.wi
	tmp = tmp[:u.hi*wo]
	for r := 0; r < u.hi; r++ {
		src, dst := x[r*wi:(r+1)*wi], tmp[r*wo:(r+1)*wo]
		upRow(dst, src, &u.w)
	}
	for oy := 0; oy < ho; oy++ {
		a, b := tmp[u.h.i0[oy]*wo:][:wo], tmp[u.h.i1[oy]*wo:][:wo]
		lerpRow(y[oy*wo:(oy+1)*wo], a, b, u.h.l0[oy], u.h.l1[oy])
	}
}

// lerpRow writes dst = p·a + q·b.
func lerpRow[T Float](dst, a, b []T, p, q T) {
	if is32[T]() {
		k := lerpRowAsm(as32(dst), as32(a), as32(b), float32(p), float32(q))
		dst, a, b = dst[k:], a[k:], b[k:]
	}
	a, b = a[:len(dst)], b[:len(dst)]
	for i := range dst {
		dst[i] = p*a[i] + q*b[i]
	}
}

// planeAdjoint adds the adjoint of plane: dx += Uᵀ dy, columns first
// (dy rows into tmp, hi × 2wi), then rows.
func (u *upsample2[T]) planeAdjoint(dx, dy, tmp []T) {
	wi, ho, wo := u.wi, 2*u.hi, 2*u.wi
	tmp = tmp[:u.hi*wo]
	clear(tmp)
	for oy := 0; oy < ho; oy++ {
		g := dy[oy*wo : (oy+1)*wo]
		axpyRow(tmp[u.h.i0[oy]*wo:][:wo], g, u.h.l0[oy])
		axpyRow(tmp[u.h.i1[oy]*wo:][:wo], g, u.h.l1[oy])
	}
	for r := 0; r < u.hi; r++ {
		upRowAdjoint(dx[r*wi:(r+1)*wi], tmp[r*wo:(r+1)*wo], &u.w)
	}
}

// upRow writes dst[o] = l0[o]·src[i0[o]] + l1[o]·src[i1[o]] (len(dst) =
// 2·len(src)). Inside the row the weights are ¾/¼ and the indices i, i+1
// (o = 2i+1, 2i+2), so that part needs no tables; the two end pixels use
// them. Same operations in the same order as the tabulated loop.
func upRow[T Float](dst, src []T, l *lerp1d[T]) {
	n := len(src)
	for _, o := range [2]int{0, 2*n - 1} {
		dst[o] = l.l0[o]*src[l.i0[o]] + l.l1[o]*src[l.i1[o]]
	}
	if n < 2 {
		return
	}
	const q, t = 0.25, 0.75
	dst = dst[1 : 2*n-1]
	for i := 0; i < n-1; i++ {
		a, b := src[i], src[i+1]
		d := dst[2*i : 2*i+2 : 2*i+2]
		d[0] = t*a + q*b
		d[1] = q*a + t*b
	}
}

// upRowAdjoint adds the adjoint of upRow: d[i] += Σ_o w(o, i)·g[o], the
// terms in increasing o as the scatter loop over o adds them (pixel i
// gets ¼·g[2i-1], ¾·g[2i], ¾·g[2i+1], ¼·g[2i+2], clipped at the ends).
func upRowAdjoint[T Float](d, g []T, l *lerp1d[T]) {
	n := len(d)
	if n < 3 {
		for o, v := range g {
			d[l.i0[o]] += l.l0[o] * v
			d[l.i1[o]] += l.l1[o] * v
		}
		return
	}
	const q, t = 0.25, 0.75
	d[0] += l.l0[0] * g[0]
	d[0] += t * g[1]
	d[0] += q * g[2]
	d[1] += l.l1[0] * g[0] // o = 0 also adds its zero-weight tap here
	for i := 1; i < n-1; i++ {
		gi := g[2*i-1 : 2*i+3 : 2*i+3]
		v := d[i]
		v += q * gi[0]
		v += t * gi[1]
		v += t * gi[2]
		v += q * gi[3]
		d[i] = v
	}
	o := 2*n - 1
	v := d[n-1]
	v += q * g[o-2]
	v += t * g[o-1]
	v += l.l0[o] * g[o]
	v += l.l1[o] * g[o]
	d[n-1] = v
}

// axpyRow adds a·x to dst.
func axpyRow[T Float](dst, x []T, a T) {
	if is32[T]() {
		k := axpyRowAsm(as32(dst), as32(x), float32(a))
		dst, x = dst[k:], x[k:]
	}
	x = x[:len(dst)]
	for i := range dst {
		dst[i] += a * x[i]
	}
}

func (u *upsample2[T]) backward(c *ctx[T], in []*tensor[T], out *tensor[T], need, add []bool) {
	if !need[0] {
		return
	}
	u.p = pass[T]{cx: c, in: in, out: out, need: need, add: add}
	parallelFor(c.ws.nc, u.fn.get(1, func() func(int) { return u.backwardChunk }))
}

func (u *upsample2[T]) backwardChunk(ch int) {
	x, out, ws := u.p.in[0], u.p.out, u.p.cx.ws
	pi, po, C := u.hi*u.wi, 4*u.hi*u.wi, x.shape.C
	lo, hi := chunkRange(x.n, ws.nc, ch)
	if !u.p.add[0] {
		clear(x.gradSamples(lo, hi))
	}
	for pl := lo * C; pl < hi*C; pl++ {
		u.planeAdjoint(x.grad[pl*pi:(pl+1)*pi], out.grad[pl*po:(pl+1)*po], ws.scratch[ch])
	}
}
