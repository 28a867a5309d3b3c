package nn

import (
	"fmt"

	"github.com/physgrad/physgrad/internal/f64"
)

// ParamGram runs the network on x and writes the Gram matrix G = R·Rᵀ of
// the rows R that ParamVJPs(rows, x, cot, k) would write, v × v row-major
// with v = batch·k, without forming R. A dense layer's block of row r
// (sample i) is outer(δ_r, a_i) followed by δ_r (the bias), so
//
//	G[r,s] = Σ_layers (δ_r·δ_s)·(a_i(r)·a_i(s) + 1),
//
// two small products per layer instead of the v × NumParams rows and their
// v²·NumParams product: HIG's 128 × 1,444 Jacobian of R7 costs 128²·84 and
// 32²·64 multiply-adds here. The arguments are those of ParamVJPs; the
// result is symmetric to the last bit. Gradients are not touched; the
// activations of the Forward on x are.
func (n *Net[T]) ParamGram(g, x, cot []T, k int) error {
	b, v, err := n.virtualBatch(x, k)
	if err != nil {
		return err
	}
	if len(g) != v*v {
		return fmt.Errorf("nn: Gram matrix has %d values, want %d (%d × %d rows)", len(g), v*v, v, v)
	}
	if cap(n.jac.dd) < v*v {
		n.jac.dd = make([]T, v*v)
	}
	if cap(n.jac.aa) < b*b {
		n.jac.aa = make([]T, b*b)
	}
	dd, aa := n.jac.dd[:v*v], n.jac.aa[:b*b]
	clear(g)
	err = n.virtualBackward(x, cot, k, v, 1, func(l *dense[T], _ int, delta, a []T, v int) {
		mm(false, true, b, b, l.in, 1, a, l.in, a, l.in, 0, aa, b)
		if !is32[T]() {
			n.gramLayer64(as64(g), as64(delta), as64(aa), v, l.out, k, b)
			return
		}
		mm(false, true, v, v, l.out, 1, delta, l.out, delta, l.out, 0, dd, v)
		// Lower triangle, mirrored, so that G is exactly symmetric
		// whatever the products' rounding.
		for r := 0; r < v; r++ {
			ar := aa[(r/k)*b : (r/k+1)*b]
			gr, dr := g[r*v:r*v+r+1], dd[r*v:r*v+r+1]
			for s := range gr {
				gr[s] += dr[s] * (ar[s/k] + 1)
			}
		}
	})
	for r := 0; r < v; r++ {
		for s := 0; s < r; s++ {
			g[s*v+r] = g[r*v+s]
		}
	}
	return err
}

// ParamVJPSum runs the network on x and writes Σ_r c_r·row_r into dst
// (NumParams values), for the rows that ParamVJPs(rows, x, cot, k) would
// write and weights c (batch·k values): Rᵀc, the transpose of the stacked
// rows applied to a vector, without forming them. It is one ordinary
// backward pass with the per-sample cotangent Σ_j c[s·k+j]·cot[s·k+j].
// Gradients are left as they were.
func (n *Net[T]) ParamVJPSum(dst, x, cot, c []T, k int) error {
	b, v, err := n.virtualBatch(x, k)
	if err != nil {
		return err
	}
	o, np := n.OutSize(), n.NumParams()
	if len(cot) != v*o || len(c) != v || len(dst) != np {
		return fmt.Errorf("nn: %d cotangent values, %d weights and %d outputs, want %d, %d and %d", len(cot), len(c), len(dst), v*o, v, np)
	}
	if len(n.jac.y) != b*o {
		n.jac.y = make([]T, b*o)
	}
	if cap(n.jac.dy) < b*o {
		n.jac.dy = make([]T, b*o)
	}
	dy := n.jac.dy[:b*o]
	clear(dy)
	for r := 0; r < v; r++ {
		d, cr := dy[(r/k)*o:(r/k+1)*o], cot[r*o:(r+1)*o]
		for q := range d {
			d[q] += c[r] * cr[q]
		}
	}
	if err := n.Forward(n.jac.y, x); err != nil {
		return err
	}
	if cap(n.jac.saved) < np {
		n.jac.saved = make([]T, np)
	}
	saved := n.jac.saved[:np]
	copy(saved, n.grads)
	n.ZeroGrad()
	err = n.Backward(nil, dy)
	copy(dst, n.grads)
	copy(n.grads, saved)
	return err
}

// gramLayer64 adds one dense layer's (δδᵀ) ⊙ (aaᵀ + 1) to the lower
// triangle of g in float64: row r of δδᵀ is built from the transposed δ by
// axpys along the row (vector kernels), instead of v²/2 dot products of
// the short δ rows (20 values on R7), which is where a general matrix
// product spends its time at this shape.
func (n *Net[T]) gramLayer64(g, delta, aa []float64, v, out, k, b int) {
	if cap(n.jac.dt) < out*v+v {
		n.jac.dt = make([]T, out*v+v)
	}
	buf := as64(n.jac.dt[:out*v+v])
	dt, row := buf[:out*v], buf[out*v:]
	for r := 0; r < v; r++ {
		for q, d := range delta[r*out : (r+1)*out] {
			dt[q*v+r] = d
		}
	}
	for r := 0; r < v; r++ {
		tr := row[:r+1]
		clear(tr)
		for q, d := range delta[r*out : (r+1)*out] {
			f64.Axpy(tr, d, dt[q*v:q*v+r+1])
		}
		ar := aa[(r/k)*b : (r/k+1)*b]
		gr := g[r*v : r*v+r+1]
		for s, t := range tr {
			gr[s] += t * (ar[s/k] + 1)
		}
	}
}
