package nn

import (
	"fmt"
	"math/rand/v2"
)

// concat is torch.cat([a, b], dim=1): the channels of the first input,
// then those of the second.
type concat[T Float] struct {
	_ byte // non-zero size: every concat is a distinct layer value
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
	a, b, n, nc := in[0], in[1], out.n, cx.ws.nc
	na := a.size()
	parallelFor(nc, func(ch int) {
		lo, hi := chunkRange(n, nc, ch)
		for s := lo; s < hi; s++ {
			ys := out.samples(s, s+1)
			copy(ys[:na], a.samples(s, s+1))
			copy(ys[na:], b.samples(s, s+1))
		}
	})
}

func (c *concat[T]) backward(cx *ctx[T], in []*tensor[T], out *tensor[T], need, add []bool) {
	n, nc := out.n, cx.ws.nc
	parallelFor(nc, func(ch int) {
		lo, hi := chunkRange(n, nc, ch)
		for s := lo; s < hi; s++ {
			dy := out.gradSamples(s, s+1)
			off := 0
			for k, t := range in {
				part := dy[off : off+t.size()]
				off += t.size()
				if !need[k] {
					continue
				}
				dst := t.gradSamples(s, s+1)
				if add[k] {
					for i, v := range part {
						dst[i] += v
					}
				} else {
					copy(dst, part)
				}
			}
		}
	})
}
