package nn

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
)

// pcgStream is the fixed second PCG word of the initialisation generator:
// weights are drawn from rand.New(rand.NewPCG(seed, pcgStream)).
const pcgStream = 0x706879736772616e // "physgran"

// node applies one layer to tensors in (ids) and produces tensor out.
type node[T Float] struct {
	l    layer[T]
	in   []int
	out  int
	add  []bool // add[k]: another consumer wrote in[k].grad first in backward
	need []bool // per Backward: does in[k] need its gradient
	ins  []*tensor[T]
}

// builder wires layers into a Net. Parameters are laid out (and drawn) in
// the order the layers are declared, which may differ from the order they
// are applied; the U-Net uses that to match PyTorch's state_dict order.
type builder[T Float] struct {
	shapes   []Shape // per tensor; tensor 0 is the input
	declared []layer[T]
	nodes    []node[T]
	err      error
}

func newBuilder[T Float](in Shape) *builder[T] {
	b := &builder[T]{shapes: []Shape{in}}
	if !in.valid() {
		b.err = fmt.Errorf("nn: invalid input shape %v", in)
	}
	return b
}

// declare registers l's parameters next in the flat parameter vector.
func (b *builder[T]) declare(l layer[T]) layer[T] {
	b.declared = append(b.declared, l)
	return l
}

// apply wires l (declared or parameter-free) to the input tensors and
// returns the id of its output tensor.
func (b *builder[T]) apply(l layer[T], in ...int) int {
	if b.err != nil {
		return 0
	}
	shapes := make([]Shape, len(in))
	for k, t := range in {
		shapes[k] = b.shapes[t]
	}
	s, err := l.outShape(shapes)
	if err != nil {
		b.err = err
		return 0
	}
	b.shapes = append(b.shapes, s)
	out := len(b.shapes) - 1
	b.nodes = append(b.nodes, node[T]{l: l, in: in, out: out})
	return out
}

// add declares and applies l.
func (b *builder[T]) add(l layer[T], in ...int) int { return b.apply(b.declare(l), in...) }

// build finishes the Net with output tensor out, drawing the initial
// parameters from seed.
func (b *builder[T]) build(out int, seed uint64) (*Net[T], error) {
	if b.err != nil {
		return nil, b.err
	}
	if len(b.nodes) == 0 || out != len(b.shapes)-1 {
		return nil, errors.New("nn: the output must be the last layer's result")
	}
	n := &Net[T]{in: b.shapes[0], out: b.shapes[out], nodes: b.nodes, shapes: b.shapes, train: true, declared: b.declared}

	used := map[layer[T]]bool{}
	for _, nd := range b.nodes {
		if used[nd.l] {
			return nil, fmt.Errorf("nn: layer %s applied twice", nd.l.kind())
		}
		used[nd.l] = true
	}
	total := 0
	var kinds []string
	for _, l := range b.declared {
		if !used[l] {
			return nil, fmt.Errorf("nn: layer %s declared but not applied", l.kind())
		}
		total += l.numParams()
		kinds = append(kinds, l.kind())
	}
	for _, nd := range b.nodes {
		if nd.l.numParams() > 0 && !contains(b.declared, nd.l) {
			return nil, fmt.Errorf("nn: layer %s has parameters but was not declared", nd.l.kind())
		}
		if bn, ok := nd.l.(interface{ norm() *batchNorm2d[T] }); ok {
			n.bns = append(n.bns, bn.norm())
		}
	}
	n.params, n.grads = make([]T, total), make([]T, total)
	r := rand.New(rand.NewPCG(seed, pcgStream))
	off := 0
	for _, l := range b.declared {
		k := l.numParams()
		l.bind(n.params[off:off+k:off+k], n.grads[off:off+k:off+k])
		l.initParams(r)
		n.blocks = append(n.blocks, paramBlock{l.kind(), off, k})
		off += k
	}
	n.fingerprint = fmt.Sprintf("in=%v out=%v params=%d layers=%s", n.in, n.out, total, strings.Join(kinds, ","))
	if err := n.plan(); err != nil {
		return nil, err
	}
	return n, nil
}

func contains[T Float](ls []layer[T], l layer[T]) bool {
	for _, x := range ls {
		if x == l {
			return true
		}
	}
	return false
}

// plan decides, per tensor, who writes its gradient first in backward and
// which activations run in place.
func (n *Net[T]) plan() error {
	nt := len(n.shapes)
	consumers := make([]int, nt)
	for _, nd := range n.nodes {
		for _, t := range nd.in {
			consumers[t]++
		}
	}
	for t := 1; t < nt-1; t++ {
		if consumers[t] == 0 {
			return fmt.Errorf("nn: intermediate tensor %d is never used", t)
		}
	}
	// Backward visits nodes last to first and a node's inputs in order; the
	// first visit of a tensor writes its gradient, later ones add.
	seen := make([]bool, nt)
	for i := len(n.nodes) - 1; i >= 0; i-- {
		nd := &n.nodes[i]
		nd.add = make([]bool, len(nd.in))
		nd.need = make([]bool, len(nd.in))
		for k, t := range nd.in {
			nd.add[k] = seen[t]
			seen[t] = true
		}
	}
	// An activation may overwrite its input when it is the only consumer
	// and the producer's backward does not read its own output.
	producer := make([]layer[T], nt)
	producerAt := make([]int, nt) // node index
	for i, nd := range n.nodes {
		producer[nd.out], producerAt[nd.out] = nd.l, i
	}
	n.gradFrom = make([]int, nt)
	for t := range n.gradFrom {
		n.gradFrom[t] = -1
	}
	n.alias = make([]int, nt)
	for t := range n.alias {
		n.alias[t] = -1
	}
	// A batch norm that is the only reader of a convolution's output gets
	// its per-sample sums from the convolution, computed while each
	// sample's output is still in cache (one pass less over the tensor).
	for _, nd := range n.nodes {
		bn, ok := nd.l.(interface{ norm() *batchNorm2d[T] })
		t := nd.in[0]
		if c, isConv := producer[t].(*conv2d[T]); ok && isConv && consumers[t] == 1 {
			c.stats, bn.norm().preSummed = bn.norm(), true
			// And a bnAct hands the convolution its output gradient's
			// ingredients instead of the gradient (one batch-sized tensor
			// less written and read back).
			if ba, isBA := nd.l.(*bnAct[T]); isBA {
				c.outGrad, ba.byConv = ba, c
				// The convolution reads the bnAct's output gradient, so that
				// must stay live through the convolution's backward.
				n.gradFrom[nd.out] = producerAt[t]
			}
		}
		// Likewise a convolution that is the only reader of a bnAct's output
		// hands it the gradient sums of each sample as it writes them.
		if c, isConv := nd.l.(*conv2d[T]); isConv && t != 0 && consumers[t] == 1 {
			if ba, isBA := producer[t].(*bnAct[T]); isBA {
				c.gradSums, ba.preGrad = ba, true
			}
		}
	}
	for _, nd := range n.nodes {
		if _, ok := nd.l.(*act[T]); !ok {
			continue
		}
		t := nd.in[0]
		if t != 0 && consumers[t] == 1 && !producer[t].needsOutput() {
			root := t
			if n.alias[t] >= 0 {
				root = n.alias[t]
			}
			n.alias[nd.out] = root
		}
	}
	return nil
}
