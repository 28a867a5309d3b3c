package nn

import (
	"fmt"
	"math/rand/v2"
)

// upConcat is cat([skip, upsample2(x)], dim=1) in one layer: the
// upsampled channels are written straight into the concatenation, which
// saves a full-resolution tensor and a pass over it. Same function as
// upsample2 followed by concat.
type upConcat[T Float] struct {
	up upsample2[T]
	p  pass[T]
	fn loops
}

func (u *upConcat[T]) kind() string { return "upsample2-concat" }

func (u *upConcat[T]) outShape(in []Shape) (Shape, error) {
	if len(in) != 2 {
		return Shape{}, fmt.Errorf("nn: upsample-concat takes two inputs, got %d", len(in))
	}
	s, x := in[0], in[1]
	if s.H != 2*x.H || s.W != 2*x.W {
		return Shape{}, fmt.Errorf("nn: upsample-concat: skip %v is not twice %v", s, x)
	}
	return Shape{s.C + x.C, s.H, s.W}, nil
}

func (u *upConcat[T]) numParams() int          { return 0 }
func (u *upConcat[T]) bind(p, g []T)           {}
func (u *upConcat[T]) initParams(r *rand.Rand) {}
func (u *upConcat[T]) needsOutput() bool       { return false }

func (u *upConcat[T]) setup(in []Shape, n int, ws *workspace[T]) {
	u.up.setup(in[1:], n, ws)
}

func (u *upConcat[T]) forward(c *ctx[T], in []*tensor[T], out *tensor[T]) {
	u.p = pass[T]{cx: c, in: in, out: out}
	parallelFor(c.ws.nc, u.fn.get(0, func() func(int) { return u.forwardChunk }))
}

func (u *upConcat[T]) forwardChunk(ch int) {
	skip, x, out, ws := u.p.in[0], u.p.in[1], u.p.out, u.p.cx.ws
	ns, pl := skip.size(), x.size()/x.shape.C // pl: one input plane
	lo, hi := chunkRange(x.n, ws.nc, ch)
	for s := lo; s < hi; s++ {
		ys, xs := out.samples(s, s+1), x.samples(s, s+1)
		copy(ys[:ns], skip.samples(s, s+1))
		for p := 0; p < x.shape.C; p++ {
			u.up.plane(ys[ns+4*p*pl:ns+4*(p+1)*pl], xs[p*pl:(p+1)*pl], ws.scratch[ch])
		}
	}
}

func (u *upConcat[T]) backward(c *ctx[T], in []*tensor[T], out *tensor[T], need, add []bool) {
	u.p = pass[T]{cx: c, in: in, out: out, need: need, add: add}
	parallelFor(c.ws.nc, u.fn.get(1, func() func(int) { return u.backwardChunk }))
}

func (u *upConcat[T]) backwardChunk(ch int) {
	skip, x, out, ws := u.p.in[0], u.p.in[1], u.p.out, u.p.cx.ws
	need, add := u.p.need, u.p.add
	ns, pl := skip.size(), x.size()/x.shape.C
	lo, hi := chunkRange(x.n, ws.nc, ch)
	for s := lo; s < hi; s++ {
		dy := out.gradSamples(s, s+1)
		if need[0] {
			dst := skip.gradSamples(s, s+1)
			if add[0] {
				for i, v := range dy[:ns] {
					dst[i] += v
				}
			} else {
				copy(dst, dy[:ns])
			}
		}
		if need[1] {
			dx := x.gradSamples(s, s+1)
			if !add[1] {
				clear(dx)
			}
			for p := 0; p < x.shape.C; p++ {
				u.up.planeAdjoint(dx[p*pl:(p+1)*pl], dy[ns+4*p*pl:ns+4*(p+1)*pl], ws.scratch[ch])
			}
		}
	}
}
