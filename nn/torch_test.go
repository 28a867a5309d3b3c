package nn

import (
	"math"
	"os"
	"testing"

	"codeberg.org/sbinet/npyio"
)

// readNPY32 reads a float32 .npy file of any shape as a flat slice.
func readNPY32(t *testing.T, name string) []float32 {
	t.Helper()
	f, err := os.Open("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var v []float32
	if err := npyio.Read(f, &v); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return v
}

// The U-Net against PyTorch itself (bench/unet_torch_init.py, torch 1.13):
// torch.manual_seed(0) weights copied in state_dict order, a training-mode
// forward pass on a 2×1×64×64 input and the weight gradient of
// ½Σ(y − t)². This checks the layer order, padding, pooling, up-sampling,
// batch norm and concatenation conventions against the reference
// implementation, not against our own finite differences.
func TestUNetMatchesTorch(t *testing.T) {
	w := readNPY32(t, "unet_torch_seed0.npy")
	x := readNPY32(t, "unet_torch_check_x.npy")
	want := readNPY32(t, "unet_torch_check_y.npy")
	target := readNPY32(t, "unet_torch_check_t.npy")
	wantG := readNPY32(t, "unet_torch_check_g.npy")
	net, err := NewUNet[float32](UNetConfig{In: 1, Out: 1, Height: 64, Width: 64})
	if err != nil {
		t.Fatal(err)
	}
	if len(w) != net.NumParams() {
		t.Fatalf("torch has %d parameters, ours %d", len(w), net.NumParams())
	}
	copy(net.Params(), w)
	y := make([]float32, len(want))
	if err := net.Forward(y, x); err != nil {
		t.Fatal(err)
	}
	var maxAbs, maxErr float64
	dy := make([]float32, len(y))
	for i := range y {
		maxAbs = math.Max(maxAbs, math.Abs(float64(want[i])))
		maxErr = math.Max(maxErr, math.Abs(float64(y[i]-want[i])))
		dy[i] = y[i] - target[i]
	}
	t.Logf("output: max |torch| %.4g, max |ours − torch| %.3g", maxAbs, maxErr)
	if maxErr > 1e-4*maxAbs {
		t.Errorf("output differs from torch by %.3g (max |y| %.3g)", maxErr, maxAbs)
	}
	net.ZeroGrad()
	if err := net.Backward(nil, dy); err != nil {
		t.Fatal(err)
	}
	g := net.Grads()
	var num, den float64
	for i := range g {
		d := float64(g[i] - wantG[i])
		num += d * d
		den += float64(wantG[i]) * float64(wantG[i])
	}
	rel := math.Sqrt(num / den)
	t.Logf("weight gradient: |ours − torch| / |torch| = %.3g", rel)
	if rel > 1e-4 {
		t.Errorf("weight gradient differs from torch by %.3g relative", rel)
	}
}
