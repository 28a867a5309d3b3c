package nn

import (
	"errors"
	"fmt"
)

// ErrNotMLP is returned by the Jacobian methods for networks that are not
// a chain of dense layers and activations.
var ErrNotMLP = errors.New("nn: per-sample Jacobians need a dense/activation chain (an MLP)")

// jacWork holds the virtual-batch buffers of ParamVJPs.
type jacWork[T Float] struct {
	cur, next []T
	y, cot    []T
	dd, aa    []T              // ParamGram's δδᵀ and aaᵀ
	dt        []T              // ParamGram's transposed δ (float64)
	dy, saved []T              // ParamVJPSum's cotangent and the saved gradients
	off       map[layer[T]]int // parameter offset of each declared layer
}

// ParamJacobian runs the network on x (batch·InSize values) and writes the
// Jacobian of every sample's outputs with respect to all parameters into
// jac, row-major (batch·OutSize) × NumParams: row s·OutSize+o is
// ∂y[s][o]/∂θ in the layout of Params. Gradients are not touched.
func (n *Net[T]) ParamJacobian(jac, x []T) error {
	if len(x) == 0 || len(x)%n.InSize() != 0 {
		return fmt.Errorf("nn: input has %d values, not a positive multiple of %d", len(x), n.InSize())
	}
	b, o := len(x)/n.InSize(), n.OutSize()
	if len(n.jac.cot) != b*o*o {
		n.jac.cot = make([]T, b*o*o)
	}
	cot := n.jac.cot
	clear(cot)
	for s := 0; s < b; s++ {
		for j := 0; j < o; j++ {
			cot[(s*o+j)*o+j] = 1
		}
	}
	return n.ParamVJPs(jac, x, cot, o)
}

// ParamVJPs runs the network on x (batch·InSize values) and, for each
// sample s and each of its k cotangents c = cot[(s·k+j)·OutSize:][:OutSize],
// writes the row cᵀ·∂y[s]/∂θ into rows[(s·k+j)·NumParams:]. With one-hot
// cotangents this is the Jacobian (ParamJacobian); with the rows of a
// per-sample physics Jacobian ∂P/∂y it is the Jacobian of the whole
// network+physics chain that HIG inverts. All k·batch rows are
// back-propagated together as one virtual batch; each row's outer products
// are independent, so the result does not depend on GOMAXPROCS.
// Gradients are not touched; the activations of the Forward on x are.
func (n *Net[T]) ParamVJPs(rows, x, cot []T, k int) error {
	np := n.NumParams()
	return n.virtualBackward(x, cot, k, len(rows), np, func(l *dense[T], off int, delta, a []T, v int) {
		parallelRows(v, func(lo, hi int) {
			for r := lo; r < hi; r++ {
				row := rows[r*np+off : r*np+off+l.numParams()]
				d := delta[r*l.out : (r+1)*l.out]
				as := a[(r/k)*l.in : (r/k+1)*l.in]
				outer(row[:l.out*l.in], d, as)
				copy(row[l.out*l.in:], d)
			}
		})
	})
}

// virtualBackward checks the arguments of the per-row methods (dst holds
// dstLen values, rowLen per virtual row), runs the network on x and
// back-propagates the batch·k cotangents as one virtual batch, calling
// visit for every dense layer, last to first, with the layer's parameter
// offset, the rows' output deltas δ (v × out) and the layer's per-sample
// inputs a (batch × in).
func (n *Net[T]) virtualBackward(x, cot []T, k, dstLen, rowLen int, visit func(l *dense[T], off int, delta, a []T, v int)) error {
	b, v, err := n.virtualBatch(x, k)
	if err != nil {
		return err
	}
	o := n.OutSize()
	if len(cot) != v*o {
		return fmt.Errorf("nn: %d cotangent values, want %d (batch %d × %d × %d outputs)", len(cot), v*o, b, k, o)
	}
	if dstLen != v*rowLen {
		return fmt.Errorf("nn: %d output values, want %d (%d rows × %d)", dstLen, v*rowLen, v, rowLen)
	}
	if len(n.jac.y) != b*o {
		n.jac.y = make([]T, b*o)
	}
	if err := n.Forward(n.jac.y, x); err != nil {
		return err
	}
	width := 0
	for _, s := range n.shapes {
		width = max(width, s.Size())
	}
	if len(n.jac.cur) < v*width {
		n.jac.cur, n.jac.next = make([]T, v*width), make([]T, v*width)
	}
	delta := n.jac.cur[:v*o]
	copy(delta, cot)
	if n.jac.off == nil {
		n.jac.off = n.paramOffsets()
	}
	offs := n.jac.off
	for i := len(n.nodes) - 1; i >= 0; i-- {
		nd := &n.nodes[i]
		in, out := n.tensors[nd.in[0]], n.tensors[nd.out]
		switch l := nd.l.(type) {
		case *act[T]:
			// δ ← δ·f'(y[s]) row by row; y is per sample, δ per virtual row.
			w := out.size()
			for r := 0; r < v; r++ {
				s := r / k
				activateGrad(l.f, delta[r*w:(r+1)*w], delta[r*w:(r+1)*w], out.data[s*w:(s+1)*w], false)
			}
		case *dense[T]:
			visit(l, offs[l], delta, in.data, v)
			if i > 0 {
				next := n.jac.next[:v*l.in]
				mm(false, false, v, l.in, l.out, 1, delta, l.out, l.w, l.in, 0, next, l.in)
				n.jac.cur, n.jac.next = n.jac.next, n.jac.cur
				delta = next
			}
		}
	}
	return nil
}

// parallelRows splits [0, v) into fixed pieces run in parallel when large.
func parallelRows(v int, f func(lo, hi int)) {
	if v < 64 {
		f(0, v)
		return
	}
	parallelFor(maxChunks, func(c int) { f(c*v/maxChunks, (c+1)*v/maxChunks) })
}

// paramOffsets maps each parameterised layer to its offset in Params.
func (n *Net[T]) paramOffsets() map[layer[T]]int {
	m := make(map[layer[T]]int, len(n.blocks))
	off := 0
	for _, l := range n.declared {
		m[l] = off
		off += l.numParams()
	}
	return m
}

// outer writes dst[j·len(a)+i] = d[j]·a[i].
func outer[T Float](dst, d, a []T) {
	if is32[T]() && outerAsm(as32(dst), as32(d), as32(a)) {
		return
	}
	for j, dj := range d {
		scaleTo(dst[j*len(a):(j+1)*len(a)], a, dj)
	}
}

// scaleTo writes dst = a·src (unrolled: this loop writes the whole
// Jacobian).
func scaleTo[T Float](dst, src []T, a T) {
	dst = dst[:len(src)]
	i := 0
	for ; i+4 <= len(src); i += 4 {
		s := src[i : i+4 : i+4]
		d := dst[i : i+4 : i+4]
		d[0], d[1], d[2], d[3] = a*s[0], a*s[1], a*s[2], a*s[3]
	}
	for ; i < len(src); i++ {
		dst[i] = a * src[i]
	}
}

// virtualBatch checks the arguments shared by the per-sample row methods
// (an MLP, k ≥ 1 cotangents per sample, a whole batch of inputs) and returns
// the batch size and the virtual batch batch·k.
func (n *Net[T]) virtualBatch(x []T, k int) (b, v int, err error) {
	for _, nd := range n.nodes {
		switch nd.l.(type) {
		case *dense[T], *act[T]:
		default:
			return 0, 0, ErrNotMLP
		}
	}
	if k <= 0 {
		return 0, 0, fmt.Errorf("nn: %d cotangents per sample", k)
	}
	if len(x) == 0 || len(x)%n.InSize() != 0 {
		return 0, 0, fmt.Errorf("nn: input has %d values, not a positive multiple of %d", len(x), n.InSize())
	}
	b = len(x) / n.InSize()
	return b, b * k, nil
}
