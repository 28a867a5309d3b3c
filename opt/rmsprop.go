package opt

import "math"

// RMSprop is torch.optim.RMSprop (not centred, no momentum):
// v ← α v + (1−α) g², p ← p − lr · g / (√v + ε).
type RMSprop[T Float] struct {
	LR, Alpha, Eps float64
	V              []T
}

// Name returns "rmsprop".
func (o *RMSprop[T]) Name() string { return "rmsprop" }

// Update applies one RMSprop step.
func (o *RMSprop[T]) Update(params, grads []T) error {
	if err := sameLen(params, grads); err != nil {
		return err
	}
	if err := checkLen(&o.V, len(params), "rmsprop"); err != nil {
		return err
	}
	a, lr, eps := T(o.Alpha), T(o.LR), T(o.Eps)
	for i, g := range grads {
		v := a*o.V[i] + (1-a)*g*g
		o.V[i] = v
		params[i] -= lr * g / (T(math.Sqrt(float64(v))) + eps)
	}
	return nil
}

// Reset clears the squared-gradient average.
func (o *RMSprop[T]) Reset() { o.V = nil }
