package opt

import "math"

// Adadelta is torch.optim.Adadelta:
// v ← ρ v + (1−ρ) g², d = √(u+ε)/√(v+ε) · g, u ← ρ u + (1−ρ) d², p ← p − lr·d.
type Adadelta[T Float] struct {
	LR, Rho, Eps float64
	V, U         []T // squared-gradient and squared-update averages
}

// Name returns "adadelta".
func (o *Adadelta[T]) Name() string { return "adadelta" }

// Update applies one Adadelta step.
func (o *Adadelta[T]) Update(params, grads []T) error {
	if err := sameLen(params, grads); err != nil {
		return err
	}
	if err := checkLen(&o.V, len(params), "adadelta"); err != nil {
		return err
	}
	if err := checkLen(&o.U, len(params), "adadelta"); err != nil {
		return err
	}
	rho, lr, eps := T(o.Rho), T(o.LR), T(o.Eps)
	for i, g := range grads {
		v := rho*o.V[i] + (1-rho)*g*g
		o.V[i] = v
		d := T(math.Sqrt(float64(o.U[i]+eps))) / T(math.Sqrt(float64(v+eps))) * g
		o.U[i] = rho*o.U[i] + (1-rho)*d*d
		params[i] -= lr * d
	}
	return nil
}

// Reset clears both running averages.
func (o *Adadelta[T]) Reset() { o.V, o.U = nil, nil }
