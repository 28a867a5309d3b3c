package opt

import "math"

// Adagrad is torch.optim.Adagrad (no lr decay, initial accumulator 0):
// s ← s + g², p ← p − lr · g / (√s + ε).
type Adagrad[T Float] struct {
	LR, Eps float64
	Sum     []T
}

// Name returns "adagrad".
func (o *Adagrad[T]) Name() string { return "adagrad" }

// Update applies one Adagrad step.
func (o *Adagrad[T]) Update(params, grads []T) error {
	if err := sameLen(params, grads); err != nil {
		return err
	}
	if err := checkLen(&o.Sum, len(params), "adagrad"); err != nil {
		return err
	}
	lr, eps := T(o.LR), T(o.Eps)
	for i, g := range grads {
		s := o.Sum[i] + g*g
		o.Sum[i] = s
		params[i] -= lr * g / (T(math.Sqrt(float64(s))) + eps)
	}
	return nil
}

// Reset clears the accumulator.
func (o *Adagrad[T]) Reset() { o.Sum = nil }
