package nn

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// Activation is an element-wise non-linearity.
type Activation int

// The supported activations. ReLU is the zero value (the U-Net default).
const (
	ReLU Activation = iota
	Tanh
	Sigmoid
	// None is the identity (no layer is added).
	None
)

// String is the lower-case name ("relu", "tanh", "sigmoid", "none").
func (a Activation) String() string {
	switch a {
	case None:
		return "none"
	case ReLU:
		return "relu"
	case Tanh:
		return "tanh"
	case Sigmoid:
		return "sigmoid"
	}
	return fmt.Sprintf("Activation(%d)", int(a))
}

func (a Activation) valid() bool { return a >= ReLU && a <= None }

// act applies an Activation. Its backward only needs the output
// (relu' = [y>0], tanh' = 1-y², sigmoid' = y(1-y)), so the Net runs it in
// place on its input when nothing else needs that input.
type act[T Float] struct {
	f  Activation
	p  pass[T]
	fn loops
}

func (a *act[T]) kind() string { return a.f.String() }

func (a *act[T]) outShape(in []Shape) (Shape, error) {
	if len(in) != 1 {
		return Shape{}, fmt.Errorf("nn: %s takes one input, got %d", a.f, len(in))
	}
	return in[0], nil
}

func (a *act[T]) numParams() int                            { return 0 }
func (a *act[T]) bind(p, g []T)                             {}
func (a *act[T]) initParams(r *rand.Rand)                   {}
func (a *act[T]) setup(in []Shape, n int, ws *workspace[T]) {}
func (a *act[T]) needsOutput() bool                         { return true }

// elementwiseGrain is the number of values below which element-wise loops
// run serially (the goroutine hand-off costs more than the work).
const elementwiseGrain = 1 << 15

// piece returns the part [lo, hi) of n values handled by piece i of
// maxChunks. Every element is computed independently, so the split does
// not change results.
func piece(n, i int) (lo, hi int) { return i * n / maxChunks, (i + 1) * n / maxChunks }

// runPieces runs f over maxChunks pieces, in parallel when n is large.
func runPieces(n int, f func(int)) {
	if n < elementwiseGrain {
		for i := 0; i < maxChunks; i++ {
			f(i)
		}
		return
	}
	parallelFor(maxChunks, f)
}

func (a *act[T]) forward(c *ctx[T], in []*tensor[T], out *tensor[T]) {
	a.p = pass[T]{cx: c, in: in, out: out}
	runPieces(len(out.data), a.fn.get(0, func() func(int) { return a.forwardPiece }))
}

func (a *act[T]) forwardPiece(i int) {
	x, y := a.p.in[0].data, a.p.out.data
	lo, hi := piece(len(y), i)
	activate(a.f, y[lo:hi], x[lo:hi])
}

func (a *act[T]) backward(c *ctx[T], in []*tensor[T], out *tensor[T], need, add []bool) {
	if !need[0] {
		return
	}
	a.p = pass[T]{cx: c, in: in, out: out, need: need, add: add}
	runPieces(len(out.data), a.fn.get(1, func() func(int) { return a.backwardPiece }))
}

func (a *act[T]) backwardPiece(i int) {
	y, dy, dx := a.p.out.data, a.p.out.grad, a.p.in[0].grad
	lo, hi := piece(len(y), i)
	activateGrad(a.f, dx[lo:hi], dy[lo:hi], y[lo:hi], a.p.add[0])
}

// activate writes f(x) into y (which may alias x).
func activate[T Float](f Activation, y, x []T) {
	y = y[:len(x)]
	switch f {
	case ReLU:
		if is32[T]() {
			reluFwd32(as32(y), as32(x))
			return
		}
		for i, v := range x {
			y[i] = relu(v)
		}
	case Tanh:
		for i, v := range x {
			y[i] = T(math.Tanh(float64(v)))
		}
	case Sigmoid:
		for i, v := range x {
			y[i] = T(1 / (1 + math.Exp(-float64(v))))
		}
	default:
		copy(y, x)
	}
}

// activateGrad writes (or adds) dy·f'(x) into dx, with f' written in terms
// of the output y. dx may alias dy.
func activateGrad[T Float](f Activation, dx, dy, y []T, add bool) {
	dx, dy = dx[:len(y)], dy[:len(y)]
	if f == ReLU && is32[T]() {
		reluGrad32(as32(dx), as32(dy), as32(y), add)
		return
	}
	if !add {
		switch f {
		case ReLU:
			for i, v := range y {
				if v > 0 {
					dx[i] = dy[i]
				} else {
					dx[i] = 0
				}
			}
		case Tanh:
			for i, v := range y {
				dx[i] = dy[i] * (1 - v*v)
			}
		case Sigmoid:
			for i, v := range y {
				dx[i] = dy[i] * v * (1 - v)
			}
		default:
			copy(dx, dy)
		}
		return
	}
	switch f {
	case ReLU:
		for i, v := range y {
			if v > 0 {
				dx[i] += dy[i]
			}
		}
	case Tanh:
		for i, v := range y {
			dx[i] += dy[i] * (1 - v*v)
		}
	case Sigmoid:
		for i, v := range y {
			dx[i] += dy[i] * v * (1 - v)
		}
	default:
		for i, d := range dy {
			dx[i] += d
		}
	}
}

// relu is max(v, 0) with NaN propagating.
func relu[T Float](v T) T {
	if !(v <= 0) {
		return v
	}
	return 0
}

// actGrad is dy·f'(x) written in terms of the output y = f(x).
func actGrad[T Float](f Activation, dy, y T) T {
	switch f {
	case ReLU:
		if y > 0 {
			return dy
		}
		return 0
	case Tanh:
		return dy * (1 - y*y)
	case Sigmoid:
		return dy * y * (1 - y)
	}
	return dy
}
