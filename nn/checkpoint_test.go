package nn

import (
	"bytes"
	"errors"
	"testing"
)

// A checkpoint restores the exact outputs of a trained-mode network in
// evaluation mode (which reads the running statistics), its bytes are
// deterministic, and mismatching architectures are rejected.
func TestCheckpointRoundTrip(t *testing.T) {
	cfg := UNetConfig{In: 1, Out: 1, Height: 8, Width: 8, Levels: 2, Filters: 4, Seed: 41}
	a, err := NewUNet[float32](cfg)
	if err != nil {
		t.Fatal(err)
	}
	x := to32(input(a.InShape(), 4, 42))
	y := make([]float32, 4*a.OutSize())
	for i := 0; i < 3; i++ { // move the running statistics
		if err := a.Forward(y, x); err != nil {
			t.Fatal(err)
		}
		for j := range a.Params() {
			a.Params()[j] *= 1.01
		}
	}
	blob, err := a.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	again, _ := a.MarshalBinary()
	if !bytes.Equal(blob, again) {
		t.Error("two saves of the same state differ")
	}
	cfg.Seed = 43
	b, err := NewUNet[float32](cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := b.UnmarshalBinary(blob); err != nil {
		t.Fatal(err)
	}
	a.SetTraining(false)
	b.SetTraining(false)
	ya, yb := make([]float32, len(y)), make([]float32, len(y))
	if err := a.Forward(ya, x); err != nil {
		t.Fatal(err)
	}
	if err := b.Forward(yb, x); err != nil {
		t.Fatal(err)
	}
	for i := range ya {
		if ya[i] != yb[i] {
			t.Fatalf("restored network: y[%d] = %g, want %g", i, yb[i], ya[i])
		}
	}
	if a.bns[0].tracked != 3 || b.bns[0].tracked != 3 {
		t.Errorf("num_batches_tracked %d → %d, want 3", a.bns[0].tracked, b.bns[0].tracked)
	}

	// float32 → float64 loads (values exactly representable).
	c, err := NewUNet[float64](cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Load(bytes.NewReader(blob)); err != nil {
		t.Fatal(err)
	}
	for i, p := range c.Params() {
		if float32(p) != a.Params()[i] {
			t.Fatalf("float64 load: param %d = %g, want %g", i, p, a.Params()[i])
		}
	}

	// Other architecture, truncation, garbage: errors, network unchanged.
	other, _ := NewUNet[float32](UNetConfig{In: 1, Out: 2, Height: 8, Width: 8, Levels: 2, Filters: 4})
	before := append([]float32(nil), other.Params()...)
	for name, data := range map[string][]byte{
		"architecture": blob, "truncated": blob[:len(blob)-3], "garbage": []byte("hello world, not a checkpoint"),
	} {
		err := other.UnmarshalBinary(data)
		if !errors.Is(err, ErrCheckpoint) {
			t.Errorf("%s: err = %v, want ErrCheckpoint", name, err)
		}
	}
	for i := range before {
		if before[i] != other.Params()[i] {
			t.Fatal("failed load changed the parameters")
		}
	}
	if err := b.UnmarshalBinary(blob[:len(blob)-3]); !errors.Is(err, ErrCheckpoint) {
		t.Errorf("truncated: err = %v", err)
	}
}
