package nn

import "fmt"

// NewMLP builds a multi-layer perceptron: dense layers sizes[0]→sizes[1]→…
// with activation after every layer except the last. Inputs and outputs are
// vectors (Shape{C: size, H: 1, W: 1}).
//
// Parameter layout (PyTorch's nn.Sequential state_dict order): for each
// layer, the weight [out][in] row-major, then the bias [out]. Weights and
// biases are drawn layer by layer, weight first, from
// U(-1/√in, 1/√in) with rand.New(rand.NewPCG(seed, 0x706879736772616e)).
func NewMLP[T Float](sizes []int, activation Activation, seed uint64) (*Net[T], error) {
	if len(sizes) < 2 {
		return nil, fmt.Errorf("nn: MLP needs at least an input and an output size, got %v", sizes)
	}
	for _, s := range sizes {
		if s <= 0 {
			return nil, fmt.Errorf("nn: MLP sizes must be positive, got %v", sizes)
		}
	}
	if !activation.valid() {
		return nil, fmt.Errorf("nn: unknown activation %v", activation)
	}
	b := newBuilder[T](Shape{sizes[0], 1, 1})
	x := 0
	for i := 1; i < len(sizes); i++ {
		x = b.add(&dense[T]{in: sizes[i-1], out: sizes[i]}, x)
		if i < len(sizes)-1 && activation != None {
			x = b.apply(&act[T]{f: activation}, x)
		}
	}
	return b.build(x, seed)
}
