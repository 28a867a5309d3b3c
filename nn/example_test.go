package nn_test

import (
	"fmt"

	"github.com/physgrad/physgrad/nn"
	"github.com/physgrad/physgrad/opt"
)

// A training step with an external cotangent: the network predicts x from
// targets, something outside the network (a simulator adjoint, a SIP proxy
// loss) supplies dL/dx, Backward turns it into weight gradients, and an
// optimiser from package opt updates all weights in one call.
func ExampleNewUNet() {
	net, err := nn.NewUNet[float32](nn.UNetConfig{In: 1, Out: 1, Height: 16, Width: 16, Seed: 0})
	if err != nil {
		panic(err)
	}
	const batch = 4
	target := make([]float32, batch*net.InSize())
	for i := range target {
		target[i] = float32(i%16) / 16
	}
	x := make([]float32, batch*net.OutSize())
	if err := net.Forward(x, target); err != nil {
		panic(err)
	}
	// Proxy loss L = ½|x - x̃|² with x̃ = 0.9·x (a stand-in for the SIP
	// update x + Δx): dL/dx = x - x̃.
	dx := make([]float32, len(x))
	for i, v := range x {
		dx[i] = v - 0.9*v
	}
	net.ZeroGrad()
	if err := net.Backward(nil, dx); err != nil {
		panic(err)
	}
	adam := &opt.Adam[float32]{LR: 1e-3, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8}
	if err := adam.Update(net.Params(), net.Grads()); err != nil {
		panic(err)
	}
	before := proxyLoss(x)
	if err := net.Forward(x, target); err != nil {
		panic(err)
	}
	fmt.Println("parameters:", net.NumParams())
	fmt.Println("output values:", len(x))
	fmt.Println("proxy loss decreased:", proxyLoss(x) < before)
	// Output:
	// parameters: 37697
	// output values: 1024
	// proxy loss decreased: true
}

func proxyLoss(x []float32) float64 {
	var l float64
	for _, v := range x {
		d := float64(v) * 0.1
		l += 0.5 * d * d
	}
	return l
}

// The per-sample Jacobian of an MLP with respect to its parameters, the
// matrix HIG inverts.
func ExampleNet_ParamJacobian() {
	net, err := nn.NewMLP[float64]([]int{4, 20, 20, 20, 24}, nn.Tanh, 1)
	if err != nil {
		panic(err)
	}
	const batch = 32
	x := make([]float64, batch*net.InSize())
	for i := range x {
		x[i] = float64(i%7)/7 - 0.5
	}
	jac := make([]float64, batch*net.OutSize()*net.NumParams())
	if err := net.ParamJacobian(jac, x); err != nil {
		panic(err)
	}
	fmt.Printf("%d×%d\n", batch*net.OutSize(), net.NumParams())
	// Output: 768×1444
}
