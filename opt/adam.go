package opt

import "math"

// Adam is torch.optim.Adam (no weight decay, no amsgrad):
// m ← β1 m + (1−β1) g, v ← β2 v + (1−β2) g²,
// p ← p − (lr/(1−β1ᵗ)) · m / (√v/√(1−β2ᵗ) + ε).
type Adam[T Float] struct {
	LR, Beta1, Beta2, Eps float64
	M, V                  []T
	T                     int // steps taken
}

// Name returns "adam".
func (o *Adam[T]) Name() string { return "adam" }

// Update applies one Adam step.
func (o *Adam[T]) Update(params, grads []T) error {
	if err := sameLen(params, grads); err != nil {
		return err
	}
	if err := checkLen(&o.M, len(params), "adam"); err != nil {
		return err
	}
	if err := checkLen(&o.V, len(params), "adam"); err != nil {
		return err
	}
	o.T++
	bc1 := 1 - math.Pow(o.Beta1, float64(o.T))
	bc2 := 1 - math.Pow(o.Beta2, float64(o.T))
	stepSize := T(o.LR / bc1)
	sqrtBC2 := T(math.Sqrt(bc2))
	b1, b2, eps := T(o.Beta1), T(o.Beta2), T(o.Eps)
	for i, g := range grads {
		m := b1*o.M[i] + (1-b1)*g
		v := b2*o.V[i] + (1-b2)*g*g
		o.M[i], o.V[i] = m, v
		denom := T(math.Sqrt(float64(v)))/sqrtBC2 + eps
		params[i] -= stepSize * m / denom
	}
	return nil
}

// Reset clears the moment estimates and the step count.
func (o *Adam[T]) Reset() { o.M, o.V, o.T = nil, nil, 0 }
