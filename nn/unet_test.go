package nn

import "testing"

func TestUNetParamCount(t *testing.T) {
	net, err := NewUNet[float32](UNetConfig{In: 1, Out: 1, Height: 64, Width: 64})
	if err != nil {
		t.Fatal(err)
	}
	if got := net.NumParams(); got != 37697 {
		t.Fatalf("NumParams = %d, want 37,697 (phiflow u_net(1,1))", got)
	}
	if got := len(net.Grads()); got != 37697 {
		t.Fatalf("len(Grads) = %d", got)
	}
}

// The whole U-Net in float64, training-mode batch norm, 16×16, batch 2:
// input gradients and 3 parameters of every layer against central
// differences.
func TestUNetGrad(t *testing.T) {
	net, err := NewUNet[float64](UNetConfig{In: 1, Out: 1, Height: 16, Width: 16, Seed: 11})
	if err != nil {
		t.Fatal(err)
	}
	fdCheck(t, net, input(net.InShape(), 2, 9), 3, gradTol)
}

// Zero padding, no batch norm, tanh, two input and output channels, 3
// levels on a non-square grid.
func TestUNetVariantGrad(t *testing.T) {
	net, err := NewUNet[float64](UNetConfig{In: 2, Out: 2, Height: 8, Width: 12, Levels: 3, Filters: 4,
		NoBatchNorm: true, Activation: Tanh, ZeroPadding: true, Seed: 12})
	if err != nil {
		t.Fatal(err)
	}
	if want := unetParams(2, 2, 3, 4, false); net.NumParams() != want {
		t.Errorf("NumParams = %d, want %d", net.NumParams(), want)
	}
	fdCheck(t, net, input(net.InShape(), 2, 10), 3, gradTol)
}

// unetParams counts the U-Net parameters from the layer formulas.
func unetParams(in, out, levels, f int, bn bool) int {
	conv := func(ci, co, k int) int { return co*ci*k*k + co }
	norm := 0
	if bn {
		norm = 2 * f
	}
	dc := func(ci int) int { return conv(ci, f, 3) + norm + conv(f, f, 3) + norm }
	return dc(in) + (levels-1)*(dc(f)+dc(2*f)) + conv(f, out, 1)
}
