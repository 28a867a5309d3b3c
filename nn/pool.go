package nn

import (
	"fmt"
	"math/rand/v2"
)

// maxPool2 is torch.nn.MaxPool2d(2): 2×2 windows, stride 2, odd trailing
// rows/columns dropped. Ties go to the first element in row-major window
// order and NaN wins, as in torch. The winner's index (0…3) is kept per
// output for backward.
type maxPool2[T Float] struct {
	arg []uint8
	p   pass[T]
	fn  loops
}

func (p *maxPool2[T]) kind() string { return "maxpool2" }

func (p *maxPool2[T]) outShape(in []Shape) (Shape, error) {
	if len(in) != 1 {
		return Shape{}, fmt.Errorf("nn: maxpool takes one input, got %d", len(in))
	}
	s := in[0]
	if s.H < 2 || s.W < 2 {
		return Shape{}, fmt.Errorf("nn: maxpool2 input %v smaller than 2×2", s)
	}
	return Shape{s.C, s.H / 2, s.W / 2}, nil
}

func (p *maxPool2[T]) numParams() int          { return 0 }
func (p *maxPool2[T]) bind(q, g []T)           {}
func (p *maxPool2[T]) initParams(r *rand.Rand) {}
func (p *maxPool2[T]) needsOutput() bool       { return false }

func (p *maxPool2[T]) setup(in []Shape, n int, ws *workspace[T]) {
	s := in[0]
	m := n * s.C * (s.H / 2) * (s.W / 2)
	if cap(p.arg) < m {
		p.arg = make([]uint8, m)
	}
	p.arg = p.arg[:m]
}

func (p *maxPool2[T]) forward(c *ctx[T], in []*tensor[T], out *tensor[T]) {
	p.p = pass[T]{cx: c, in: in, out: out}
	parallelFor(c.ws.nc, p.fn.get(0, func() func(int) { return p.forwardChunk }))
}

func (p *maxPool2[T]) forwardChunk(ch int) {
	x, out := p.p.in[0], p.p.out
	s := x.shape
	ho, wo := s.H/2, s.W/2
	lo, hi := chunkRange(x.n, p.p.cx.ws.nc, ch)
	for pl := lo * s.C; pl < hi*s.C; pl++ {
		xp := x.data[pl*s.H*s.W : (pl+1)*s.H*s.W]
		yp := out.data[pl*ho*wo : (pl+1)*ho*wo]
		ap := p.arg[pl*ho*wo : (pl+1)*ho*wo]
		for oy := 0; oy < ho; oy++ {
			r0 := xp[2*oy*s.W : (2*oy+1)*s.W]
			r1 := xp[(2*oy+1)*s.W : (2*oy+2)*s.W]
			if is32[T]() {
				poolRow32(as32(yp[oy*wo:(oy+1)*wo]), ap[oy*wo:(oy+1)*wo], as32(r0), as32(r1))
				continue
			}
			for ox := 0; ox < wo; ox++ {
				m, a := r0[2*ox], uint8(0)
				if v := r0[2*ox+1]; v > m || v != v {
					m, a = v, 1
				}
				if v := r1[2*ox]; v > m || v != v {
					m, a = v, 2
				}
				if v := r1[2*ox+1]; v > m || v != v {
					m, a = v, 3
				}
				yp[oy*wo+ox], ap[oy*wo+ox] = m, a
			}
		}
	}
}

func (p *maxPool2[T]) backward(c *ctx[T], in []*tensor[T], out *tensor[T], need, add []bool) {
	if !need[0] {
		return
	}
	p.p = pass[T]{cx: c, in: in, out: out, need: need, add: add}
	parallelFor(c.ws.nc, p.fn.get(1, func() func(int) { return p.backwardChunk }))
}

func (p *maxPool2[T]) backwardChunk(ch int) {
	x, out := p.p.in[0], p.p.out
	s := x.shape
	ho, wo := s.H/2, s.W/2
	lo, hi := chunkRange(x.n, p.p.cx.ws.nc, ch)
	if !p.p.add[0] {
		clear(x.gradSamples(lo, hi))
	}
	for pl := lo * s.C; pl < hi*s.C; pl++ {
		dx := x.grad[pl*s.H*s.W : (pl+1)*s.H*s.W]
		dy := out.grad[pl*ho*wo : (pl+1)*ho*wo]
		ap := p.arg[pl*ho*wo : (pl+1)*ho*wo]
		for oy := 0; oy < ho; oy++ {
			for ox := 0; ox < wo; ox++ {
				a := int(ap[oy*wo+ox])
				dx[(2*oy+(a>>1))*s.W+2*ox+(a&1)] += dy[oy*wo+ox]
			}
		}
	}
}
