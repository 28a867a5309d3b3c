package nn

import "math/rand/v2"

// layer is one operation of a network. The Net calls setup once per batch
// size, then forward and backward on whole batches; a layer splits the
// batch into chunks itself where that pays.
type layer[T Float] interface {
	// kind names the layer and its hyper-parameters; the names of all
	// layers form the architecture fingerprint stored in checkpoints.
	kind() string
	// outShape checks the input shapes and returns the output shape.
	outShape(in []Shape) (Shape, error)
	// numParams is the number of trainable values.
	numParams() int
	// bind hands the layer its views of the Net's parameter and gradient
	// slices (length numParams).
	bind(p, g []T)
	// initParams draws the PyTorch default initialisation.
	initParams(r *rand.Rand)
	// setup prepares for batches of n samples and registers scratch needs.
	setup(in []Shape, n int, ws *workspace[T])
	// forward computes out.data from in[k].data.
	forward(c *ctx[T], in []*tensor[T], out *tensor[T])
	// backward reads out.grad, accumulates parameter gradients, and for
	// every k with need[k] writes (add[k] false) or adds (add[k] true)
	// dL/d in[k] into in[k].grad.
	backward(c *ctx[T], in []*tensor[T], out *tensor[T], need, add []bool)
	// needsOutput reports whether backward reads out.data; only then may
	// the following activation not overwrite it in place.
	needsOutput() bool
}

// ctx is what a pass gives the layers.
type ctx[T Float] struct {
	train bool
	ws    *workspace[T]
}

// workspace holds the per-chunk scratch shared by all layers (they run one
// after the other). Sizes are the maxima registered in setup.
type workspace[T Float] struct {
	nc                       int // chunks of the current batch
	scratchLen, gradLen, red int
	scratch                  [][]T       // per chunk, layer-specific scratch
	grad                     [][]T       // per chunk, partial weight gradients
	sums                     [][]float64 // per chunk, per-channel partial sums
}

// need registers the per-chunk lengths a layer uses.
func (w *workspace[T]) need(scratch, grad, red int) {
	w.scratchLen = max(w.scratchLen, scratch)
	w.gradLen = max(w.gradLen, grad)
	w.red = max(w.red, red)
}

// alloc (re)allocates the buffers to the registered sizes.
func (w *workspace[T]) alloc() {
	grow := func(b [][]T, n int) [][]T {
		for len(b) < w.nc {
			b = append(b, nil)
		}
		for i := range b {
			if len(b[i]) < n {
				b[i] = make([]T, n)
			}
		}
		return b
	}
	w.scratch = grow(w.scratch, w.scratchLen)
	w.grad = grow(w.grad, w.gradLen)
	for len(w.sums) < w.nc {
		w.sums = append(w.sums, nil)
	}
	for i := range w.sums {
		if len(w.sums[i]) < w.red {
			w.sums[i] = make([]float64, w.red)
		}
	}
}

// uniform fills p with U(-bound, bound) draws, PyTorch's default for linear
// and convolution weights and biases with bound = 1/sqrt(fan_in).
func uniform[T Float](r *rand.Rand, p []T, bound float64) {
	for i := range p {
		p[i] = T((2*r.Float64() - 1) * bound)
	}
}
