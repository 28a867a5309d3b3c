package nn

import (
	"errors"
	"fmt"
)

// Net is a network of layers on NCHW batches of element type T. It owns
// its parameters, gradients, activations and scratch; buffers are sized on
// the first Forward of a batch size (or by Prepare) and reused, so a
// steady-state training step allocates (almost) nothing.
//
// Backward always refers to the latest Forward. Buffers are sized for the
// largest batch seen; smaller batches reuse them. A Net is not safe for concurrent use; separate
// Nets may run concurrently.
type Net[T Float] struct {
	in, out     Shape
	nodes       []node[T]
	shapes      []Shape
	alias       []int // alias[t] >= 0: tensor t shares storage with that tensor
	tensors     []*tensor[T]
	params      []T
	grads       []T
	bns         []*batchNorm2d[T]
	blocks      []paramBlock // per declared layer, in parameter order
	declared    []layer[T]   // parameterised layers, in parameter order
	jac         jacWork[T]
	train       bool
	batch       int  // batch size the buffers are prepared for
	capBatch    int  // largest batch the buffers hold
	forwarded   bool // Forward ran on the prepared batch
	ws          workspace[T]
	cx          ctx[T]
	fingerprint string
	gradFrom    []int // ≥ 0: the gradient of tensor t is also read in that node's backward (plan)
}

// paramBlock is one layer's slice of the parameter vector.
type paramBlock struct {
	kind     string
	off, len int
}

// ErrNoForward is returned by Backward before any Forward.
var ErrNoForward = errors.New("nn: Backward needs a preceding Forward")

// NumParams is the number of trainable parameters.
func (n *Net[T]) NumParams() int { return len(n.params) }

// Params is the flat parameter vector (the Net's own storage: writes change
// the weights). The layout is fixed per architecture, see NewMLP and NewUNet.
func (n *Net[T]) Params() []T { return n.params }

// Grads is the flat gradient vector matching Params. Backward adds to it.
func (n *Net[T]) Grads() []T { return n.grads }

// ZeroGrad sets all gradients to zero.
func (n *Net[T]) ZeroGrad() { clear(n.grads) }

// SetTraining selects training mode (the default, batch-norm uses and
// updates batch statistics) or evaluation mode (running statistics).
func (n *Net[T]) SetTraining(train bool) { n.train = train }

// Training reports the mode.
func (n *Net[T]) Training() bool { return n.train }

// InShape is the per-sample input shape.
func (n *Net[T]) InShape() Shape { return n.in }

// OutShape is the per-sample output shape.
func (n *Net[T]) OutShape() Shape { return n.out }

// InSize is the number of input values per sample.
func (n *Net[T]) InSize() int { return n.in.Size() }

// OutSize is the number of output values per sample.
func (n *Net[T]) OutSize() int { return n.out.Size() }

// Architecture describes the layers in parameter order; checkpoints carry
// it so weights are never loaded into a different network.
func (n *Net[T]) Architecture() string { return n.fingerprint }

// Prepare sizes all buffers for batches of batch samples. Forward does it
// on demand; calling it up front moves the allocation out of the first step.
func (n *Net[T]) Prepare(batch int) error {
	if batch <= 0 {
		return fmt.Errorf("nn: batch size %d", batch)
	}
	if batch == n.batch {
		return nil
	}
	n.ws.nc = chunks(batch)
	for _, nd := range n.nodes {
		in := make([]Shape, len(nd.in))
		for k, t := range nd.in {
			in[k] = n.shapes[t]
		}
		nd.l.setup(in, batch, &n.ws)
	}
	n.ws.alloc()
	if batch > n.capBatch {
		// Buffers for the largest batch so far; smaller batches use
		// prefixes, so alternating batch sizes does not reallocate.
		n.tensors = make([]*tensor[T], len(n.shapes))
		for t, s := range n.shapes {
			n.tensors[t] = &tensor[T]{shape: s}
		}
		grads := n.gradBuffers(batch)
		for t, tn := range n.tensors {
			tn.grad = grads[t]
			if a := n.alias[t]; a >= 0 {
				tn.data = n.tensors[a].data
				continue
			}
			tn.data = make([]T, batch*tn.size())
		}
		n.capBatch = batch
	}
	for _, tn := range n.tensors {
		tn.n = batch
		tn.data = tn.data[:batch*tn.size()]
		if cap(tn.grad) >= batch*tn.size() {
			tn.grad = tn.grad[:batch*tn.size()]
		} else {
			tn.grad = nil // the input's gradient: Backward allocates it
		}
	}
	for i := range n.nodes {
		nd := &n.nodes[i]
		nd.ins = nd.ins[:0]
		for _, t := range nd.in {
			nd.ins = append(nd.ins, n.tensors[t])
		}
	}
	n.cx.ws = &n.ws
	n.batch, n.forwarded = batch, false
	return nil
}

// Forward computes y = net(x) for a batch: x holds batch·InSize values
// (NCHW), y receives batch·OutSize. In training mode it updates the
// batch-norm running statistics, like a torch forward in train mode. The
// activations are kept for the next Backward.
func (n *Net[T]) Forward(y, x []T) error {
	is, os := n.InSize(), n.OutSize()
	if len(x) == 0 || len(x)%is != 0 {
		return fmt.Errorf("nn: input has %d values, not a positive multiple of %d (%v)", len(x), is, n.in)
	}
	b := len(x) / is
	if len(y) != b*os {
		return fmt.Errorf("nn: output has %d values, want %d (batch %d × %v)", len(y), b*os, b, n.out)
	}
	if err := n.Prepare(b); err != nil {
		return err
	}
	for _, bn := range n.bns {
		if err := bn.check(n.train); err != nil {
			return err
		}
	}
	n.cx.train = n.train
	copy(n.tensors[0].data, x)
	for i := range n.nodes {
		nd := &n.nodes[i]
		nd.l.forward(&n.cx, nd.ins, n.tensors[nd.out])
	}
	copy(y, n.tensors[len(n.tensors)-1].data)
	n.forwarded = true
	return nil
}

// Backward back-propagates the cotangent dy = dL/d(output) (batch·OutSize
// values) through the last Forward: it adds dL/dθ to Grads and, if dx is
// not nil, writes dL/d(input) into dx (batch·InSize values). Skipping dx
// saves the first layer's input gradient.
func (n *Net[T]) Backward(dx, dy []T) error {
	if !n.forwarded {
		return ErrNoForward
	}
	if len(dy) != n.batch*n.OutSize() {
		return fmt.Errorf("nn: cotangent has %d values, want %d", len(dy), n.batch*n.OutSize())
	}
	if dx != nil && len(dx) != n.batch*n.InSize() {
		return fmt.Errorf("nn: input gradient has %d values, want %d", len(dx), n.batch*n.InSize())
	}
	in0 := n.tensors[0]
	if dx != nil && in0.grad == nil {
		in0.grad = make([]T, n.capBatch*in0.size())[:len(in0.data)]
	}
	n.cx.train = n.train
	copy(n.tensors[len(n.tensors)-1].grad, dy)
	for i := len(n.nodes) - 1; i >= 0; i-- {
		nd := &n.nodes[i]
		for k, t := range nd.in {
			nd.need[k] = t != 0 || dx != nil
		}
		nd.l.backward(&n.cx, nd.ins, n.tensors[nd.out], nd.need, nd.add)
	}
	if dx != nil {
		copy(dx, in0.grad)
	}
	return nil
}

// TrainFLOPs counts the floating-point operations (multiply-adds × 2) of
// the convolutions and dense layers in one training step on batch
// samples: forward, weight gradients and input gradients (except the
// network input's, which Backward(nil, ·) skips). Element-wise layers are
// not counted. It is the measure behind the GFLOP/s of the benchmarks.
func (n *Net[T]) TrainFLOPs(batch int) float64 {
	var f float64
	for _, nd := range n.nodes {
		var fwd float64
		switch l := nd.l.(type) {
		case *conv2d[T]:
			o := n.shapes[nd.out] // the geometry is set up lazily; the shapes are known
			fwd = 2 * float64(l.cout*l.cin*l.k*l.k*o.H*o.W)
		case *dense[T]:
			fwd = 2 * float64(l.in*l.out)
		}
		f += 2 * fwd // forward and weight gradient
		if nd.in[0] != 0 {
			f += fwd // input gradient
		}
	}
	return f * float64(batch)
}
