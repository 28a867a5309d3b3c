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
}

func (u *upsample2[T]) forward(c *ctx[T], in []*tensor[T], out *tensor[T]) {
	x, n, nc := in[0], out.n, c.ws.nc
	pi, po := u.hi*u.wi, 4*u.hi*u.wi
	C := x.shape.C
	parallelFor(nc, func(ch int) {
		lo, up := chunkRange(n, nc, ch)
		for pl := lo * C; pl < up*C; pl++ {
			u.plane(out.data[pl*po:(pl+1)*po], x.data[pl*pi:(pl+1)*pi])
		}
	})
}

// plane upsamples one hi×wi plane x into y (2hi×2wi).
func (u *upsample2[T]) plane(y, x []T) {
	wi, ho, wo := u.wi, 2*u.hi, 2*u.wi
	for oy := 0; oy < ho; oy++ {
		r0 := x[u.h.i0[oy]*wi:][:wi]
		r1 := x[u.h.i1[oy]*wi:][:wi]
		h0, h1 := u.h.l0[oy], u.h.l1[oy]
		row := y[oy*wo : (oy+1)*wo]
		for ox := range row {
			a, b := u.w.i0[ox], u.w.i1[ox]
			w0, w1 := u.w.l0[ox], u.w.l1[ox]
			row[ox] = h0*(w0*r0[a]+w1*r0[b]) + h1*(w0*r1[a]+w1*r1[b])
		}
	}
}

// planeAdjoint adds the adjoint of plane: dx += Uᵀ dy.
func (u *upsample2[T]) planeAdjoint(dx, dy []T) {
	wi, ho, wo := u.wi, 2*u.hi, 2*u.wi
	for oy := 0; oy < ho; oy++ {
		r0 := dx[u.h.i0[oy]*wi:][:wi]
		r1 := dx[u.h.i1[oy]*wi:][:wi]
		h0, h1 := u.h.l0[oy], u.h.l1[oy]
		for ox, g := range dy[oy*wo : (oy+1)*wo] {
			a, b := u.w.i0[ox], u.w.i1[ox]
			w0, w1 := u.w.l0[ox], u.w.l1[ox]
			r0[a] += h0 * w0 * g
			r0[b] += h0 * w1 * g
			r1[a] += h1 * w0 * g
			r1[b] += h1 * w1 * g
		}
	}
}

func (u *upsample2[T]) backward(c *ctx[T], in []*tensor[T], out *tensor[T], need, add []bool) {
	if !need[0] {
		return
	}
	x, n, nc := in[0], out.n, c.ws.nc
	pi, po := u.hi*u.wi, 4*u.hi*u.wi
	C := x.shape.C
	parallelFor(nc, func(ch int) {
		lo, up := chunkRange(n, nc, ch)
		if !add[0] {
			clear(x.gradSamples(lo, up))
		}
		for pl := lo * C; pl < up*C; pl++ {
			u.planeAdjoint(x.grad[pl*pi:(pl+1)*pi], out.grad[pl*po:(pl+1)*po])
		}
	})
}
