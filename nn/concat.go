package nn

import (
	"fmt"
	"math/rand/v2"
)

// concat is torch.cat([a, b], dim=1): the channels of the first input,
// then those of the second.
type concat[T Float] struct {
	p  pass[T]
	fn loops
}

func (c *concat[T]) kind() string { return "concat" }

func (c *concat[T]) outShape(in []Shape) (Shape, error) {
	if len(in) != 2 {
		return Shape{}, fmt.Errorf("nn: concat takes two inputs, got %d", len(in))
	}
	a, b := in[0], in[1]
	if a.H != b.H || a.W != b.W {
		return Shape{}, fmt.Errorf("nn: concat of %v and %v: spatial sizes differ", a, b)
	}
	return Shape{a.C + b.C, a.H, a.W}, nil
}

func (c *concat[T]) numParams() int                            { return 0 }
func (c *concat[T]) bind(p, g []T)                             {}
func (c *concat[T]) initParams(r *rand.Rand)                   {}
func (c *concat[T]) setup(in []Shape, n int, ws *workspace[T]) {}
func (c *concat[T]) needsOutput() bool                         { return false }

func (c *concat[T]) forward(cx *ctx[T], in []*tensor[T], out *tensor[T]) {
	c.p = pass[T]{cx: cx, in: in, out: out}
	parallelFor(cx.ws.nc, c.fn.get(0, func() func(int) { return c.forwardChunk }))
}

func (c *concat[T]) forwardChunk(ch int) {
	a, b, out := c.p.in[0], c.p.in[1], c.p.out
	na := a.size()
	lo, hi := chunkRange(out.n, c.p.cx.ws.nc, ch)
	for s := lo; s < hi; s++ {
		ys := out.samples(s, s+1)
		copy(ys[:na], a.samples(s, s+1))
		copy(ys[na:], b.samples(s, s+1))
	}
}

func (c *concat[T]) backward(cx *ctx[T], in []*tensor[T], out *tensor[T], need, add []bool) {
	c.p = pass[T]{cx: cx, in: in, out: out, need: need, add: add}
	parallelFor(cx.ws.nc, c.fn.get(1, func() func(int) { return c.backwardChunk }))
}

func (c *concat[T]) backwardChunk(ch int) {
	out := c.p.out
	lo, hi := chunkRange(out.n, c.p.cx.ws.nc, ch)
	for s := lo; s < hi; s++ {
		dy := out.gradSamples(s, s+1)
		off := 0
		for k, t := range c.p.in {
			part := dy[off : off+t.size()]
			off += t.size()
			if !c.p.need[k] {
				continue
			}
			dst := t.gradSamples(s, s+1)
			if c.p.add[k] {
				for i, v := range part {
					dst[i] += v
				}
			} else {
				copy(dst, part)
			}
		}
	}
}
