package problems

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"codeberg.org/sbinet/npyio"
)

// The embedded torch weights fit the heat/Poisson U-Net and follow
// PyTorch's default initialisation: every conv weight and bias within
// ±1/√fan_in, BN weights 1 and biases 0 (layout: nn.NewUNet).
func TestTorchUNetWeights(t *testing.T) {
	w, err := TorchUNetWeights()
	if err != nil {
		t.Fatal(err)
	}
	task, err := NewHeatTask(64)
	if err != nil {
		t.Fatal(err)
	}
	net, err := task.NewNet(0)
	if err != nil {
		t.Fatal(err)
	}
	if len(w) != net.NumParams() {
		t.Fatalf("%d weights, the U-Net has %d parameters", len(w), net.NumParams())
	}
	// Walk the state_dict: DoubleConv(cin, 16, mid) blocks, then outc.
	off := 0
	conv := func(cin, cout, k int) {
		bound := 1 / math.Sqrt(float64(cin*k*k))
		for i, v := range w[off : off+cout*cin*k*k+cout] {
			if math.Abs(float64(v)) > bound {
				t.Fatalf("conv value %d at offset %d: %v outside ±%.4g", i, off, v, bound)
			}
		}
		off += cout*cin*k*k + cout
	}
	bn := func(c int) {
		for i := 0; i < c; i++ {
			if w[off+i] != 1 || w[off+c+i] != 0 {
				t.Fatalf("batch norm at offset %d: weight %v, bias %v", off, w[off+i], w[off+c+i])
			}
		}
		off += 2 * c
	}
	dc := func(cin, mid int) { conv(cin, mid, 3); bn(mid); conv(mid, 16, 3); bn(16) }
	dc(1, 16)
	for i := 1; i < 4; i++ {
		dc(16, 16) // down
		dc(32, 16) // up
	}
	conv(16, 1, 1)
	if off != len(w) {
		t.Fatalf("layout walk ended at %d of %d", off, len(w))
	}
}

func writeNPY(t *testing.T, dir, name string, v any) string {
	t.Helper()
	var b bytes.Buffer
	if err := npyio.Write(&b, v); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestReadWeights(t *testing.T) {
	dir := t.TempDir()
	w, err := ReadWeights(writeNPY(t, dir, "f8.npy", []float64{0.5, -1.25, 3}), 3)
	if err != nil || len(w) != 3 || w[0] != 0.5 || w[1] != -1.25 || w[2] != 3 {
		t.Fatalf("float64 file: %v, %v", w, err)
	}
	cases := []struct {
		path, want string
		n          int
	}{
		{writeNPY(t, dir, "short.npy", []float32{1, 2}), "2 values", 3},
		{writeNPY(t, dir, "ints.npy", []int32{1, 2, 3}), "element type", 3},
		{writeNPY(t, dir, "nan.npy", []float32{1, float32(math.NaN()), 3}), "value 1", 3},
		{filepath.Join(dir, "none.npy"), "no such file", 3},
	}
	for _, c := range cases {
		if _, err := ReadWeights(c.path, c.n); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one containing %q", filepath.Base(c.path), err, c.want)
		}
	}
}
