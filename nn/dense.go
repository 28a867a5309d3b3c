package nn

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// dense is torch.nn.Linear on the flattened sample: y = W x + b with
// W stored [out][in] as in PyTorch. The whole batch is one matrix product;
// dense layers are small next to the convolutions, so they are not split.
type dense[T Float] struct {
	in, out int
	w, b    []T // views into the Net's parameters
	gw, gb  []T
}

func (d *dense[T]) kind() string { return fmt.Sprintf("dense(%d→%d)", d.in, d.out) }

func (d *dense[T]) outShape(in []Shape) (Shape, error) {
	if len(in) != 1 {
		return Shape{}, fmt.Errorf("nn: dense takes one input, got %d", len(in))
	}
	if in[0].Size() != d.in {
		return Shape{}, fmt.Errorf("nn: dense(%d→%d) got input %v", d.in, d.out, in[0])
	}
	return Shape{d.out, 1, 1}, nil
}

func (d *dense[T]) numParams() int { return d.out*d.in + d.out }

func (d *dense[T]) bind(p, g []T) {
	nw := d.out * d.in
	d.w, d.b, d.gw, d.gb = p[:nw], p[nw:], g[:nw], g[nw:]
}

// initParams: kaiming_uniform(a=√5) on W and the bias rule both reduce to
// U(-1/√in, 1/√in); W is drawn first, then b.
func (d *dense[T]) initParams(r *rand.Rand) {
	bound := 1 / math.Sqrt(float64(d.in))
	uniform(r, d.w, bound)
	uniform(r, d.b, bound)
}

func (d *dense[T]) setup(in []Shape, n int, ws *workspace[T]) {}
func (d *dense[T]) needsOutput() bool                         { return false }

func (d *dense[T]) forward(c *ctx[T], in []*tensor[T], out *tensor[T]) {
	x, y, n := in[0].data, out.data, out.n
	for s := 0; s < n; s++ {
		copy(y[s*d.out:(s+1)*d.out], d.b)
	}
	mm(false, true, n, d.out, d.in, 1, x, d.in, d.w, d.in, 1, y, d.out)
}

func (d *dense[T]) backward(c *ctx[T], in []*tensor[T], out *tensor[T], need, add []bool) {
	x, dy, n := in[0].data, out.grad, out.n
	mm(true, false, d.out, d.in, n, 1, dy, d.out, x, d.in, 1, d.gw, d.in)
	for s := 0; s < n; s++ {
		row := dy[s*d.out : (s+1)*d.out]
		for j, v := range row {
			d.gb[j] += v
		}
	}
	if need[0] {
		var beta T
		if add[0] {
			beta = 1
		}
		mm(false, false, n, d.in, d.out, 1, dy, d.out, d.w, d.in, beta, in[0].grad, d.in)
	}
}
