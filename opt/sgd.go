package opt

// SGD is stochastic gradient descent with optional heavy-ball momentum, as
// torch.optim.SGD (dampening 0, no Nesterov): b ← μ·b + g (b = g on the first
// step), p ← p − lr·b.
type SGD[T Float] struct {
	LR, Momentum float64
	Buf          []T // momentum buffer
	Started      bool
}

// Name returns "sgd" or "momentum".
func (o *SGD[T]) Name() string {
	if o.Momentum != 0 {
		return "momentum"
	}
	return "sgd"
}

// Update applies one SGD step.
func (o *SGD[T]) Update(params, grads []T) error {
	if err := sameLen(params, grads); err != nil {
		return err
	}
	lr := T(o.LR)
	if o.Momentum == 0 {
		for i, g := range grads {
			params[i] -= lr * g
		}
		return nil
	}
	if err := checkLen(&o.Buf, len(params), "sgd momentum"); err != nil {
		return err
	}
	mu := T(o.Momentum)
	for i, g := range grads {
		if o.Started {
			o.Buf[i] = mu*o.Buf[i] + g
		} else {
			o.Buf[i] = g
		}
		params[i] -= lr * o.Buf[i]
	}
	o.Started = true
	return nil
}

// Reset clears the momentum buffer.
func (o *SGD[T]) Reset() { o.Buf, o.Started = nil, false }
