package nn

import "fmt"

// Shape is the per-sample shape of an NCHW tensor: C channels of H×W.
// Vectors (dense layers) have H = W = 1.
type Shape struct{ C, H, W int }

// Size is the number of values per sample.
func (s Shape) Size() int { return s.C * s.H * s.W }

// String formats the shape as C×H×W.
func (s Shape) String() string { return fmt.Sprintf("%d×%d×%d", s.C, s.H, s.W) }

func (s Shape) valid() bool { return s.C > 0 && s.H > 0 && s.W > 0 }

// tensor is a batch of n samples of one shape, with its gradient. Both
// slices are owned by the Net (or shared with another tensor for in-place
// layers).
type tensor[T Float] struct {
	shape Shape
	n     int
	data  []T
	grad  []T
}

// size is the per-sample length.
func (t *tensor[T]) size() int { return t.shape.Size() }

// samples returns the data of samples [lo, hi).
func (t *tensor[T]) samples(lo, hi int) []T {
	s := t.size()
	return t.data[lo*s : hi*s]
}

// gradSamples returns the gradient of samples [lo, hi).
func (t *tensor[T]) gradSamples(lo, hi int) []T {
	s := t.size()
	return t.grad[lo*s : hi*s]
}
