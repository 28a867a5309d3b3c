package nn

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"
)

// ParamJacobian against central differences of every output with respect
// to every parameter (float64, tanh MLP with a sigmoid and a ReLU variant).
func TestParamJacobianFD(t *testing.T) {
	for _, f := range []Activation{Tanh, Sigmoid, ReLU} {
		net, err := NewMLP[float64]([]int{3, 5, 4, 2}, f, 51)
		if err != nil {
			t.Fatal(err)
		}
		const batch = 3
		x := input(net.InShape(), batch, 52)
		np, o := net.NumParams(), net.OutSize()
		jac := make([]float64, batch*o*np)
		if err := net.ParamJacobian(jac, x); err != nil {
			t.Fatal(err)
		}
		yp, ym := make([]float64, batch*o), make([]float64, batch*o)
		h := fdStep
		worst := 0.0
		for p := 0; p < np; p++ {
			old := net.Params()[p]
			net.Params()[p] = old + h
			if err := net.Forward(yp, x); err != nil {
				t.Fatal(err)
			}
			net.Params()[p] = old - h
			if err := net.Forward(ym, x); err != nil {
				t.Fatal(err)
			}
			net.Params()[p] = old
			for r := 0; r < batch*o; r++ {
				fd := (yp[r] - ym[r]) / (2 * h)
				worst = max(worst, math.Abs(fd-jac[r*np+p]))
			}
		}
		if worst > 1e-7 {
			t.Errorf("%v: Jacobian differs from finite differences by %g", f, worst)
		}
		t.Logf("%v: max |J - FD| = %.2g", f, worst)
	}
}

// ParamVJPs with arbitrary cotangents is cotᵀJ, and summed over the batch
// it is what Backward accumulates.
func TestParamVJPs(t *testing.T) {
	net, err := NewMLP[float64]([]int{4, 6, 6, 3}, Tanh, 53)
	if err != nil {
		t.Fatal(err)
	}
	const batch, k = 4, 2
	x := input(net.InShape(), batch, 54)
	np, o := net.NumParams(), net.OutSize()
	r := rand.New(rand.NewPCG(55, 56))
	cot := randVec(r, batch*k*o)
	rows := make([]float64, batch*k*np)
	if err := net.ParamVJPs(rows, x, cot, k); err != nil {
		t.Fatal(err)
	}
	jac := make([]float64, batch*o*np)
	if err := net.ParamJacobian(jac, x); err != nil {
		t.Fatal(err)
	}
	for s := 0; s < batch; s++ {
		for j := 0; j < k; j++ {
			for p := 0; p < np; p++ {
				var want float64
				for q := 0; q < o; q++ {
					want += cot[(s*k+j)*o+q] * jac[(s*o+q)*np+p]
				}
				if got := rows[(s*k+j)*np+p]; math.Abs(got-want) > 1e-12 {
					t.Fatalf("row (%d,%d) param %d: %g, cotᵀJ %g", s, j, p, got, want)
				}
			}
		}
	}
	// k = 1: Σ_s rows = Backward's gradient.
	c1 := randVec(r, batch*o)
	rows1 := make([]float64, batch*np)
	if err := net.ParamVJPs(rows1, x, c1, 1); err != nil {
		t.Fatal(err)
	}
	net.ZeroGrad()
	if err := net.Forward(make([]float64, batch*o), x); err != nil {
		t.Fatal(err)
	}
	if err := net.Backward(nil, c1); err != nil {
		t.Fatal(err)
	}
	for p := 0; p < np; p++ {
		var sum float64
		for s := 0; s < batch; s++ {
			sum += rows1[s*np+p]
		}
		if math.Abs(sum-net.Grads()[p]) > 1e-12 {
			t.Fatalf("param %d: Σ rows %g, Backward %g", p, sum, net.Grads()[p])
		}
	}
}

func TestParamJacobianErrors(t *testing.T) {
	u, err := NewUNet[float32](UNetConfig{In: 1, Out: 1, Height: 4, Width: 4, Levels: 2, Filters: 2})
	if err != nil {
		t.Fatal(err)
	}
	if err := u.ParamJacobian(make([]float32, 16*u.NumParams()), make([]float32, 16)); !errors.Is(err, ErrNotMLP) {
		t.Errorf("U-Net: err = %v, want ErrNotMLP", err)
	}
	m, _ := NewMLP[float32]([]int{2, 3, 1}, Tanh, 1)
	if err := m.ParamJacobian(make([]float32, 5), make([]float32, 4)); err == nil {
		t.Error("wrong Jacobian size: no error")
	}
	if err := m.ParamJacobian(make([]float32, 2*m.NumParams()), make([]float32, 3)); err == nil {
		t.Error("ragged input: no error")
	}
}
