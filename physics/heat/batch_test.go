package heat

import (
	"math"
	"runtime"
	"testing"
)

// TestBatchBitwiseAnyGOMAXPROCS: the batch result is bitwise the same for
// GOMAXPROCS 1 and 2 and any worker count, and equals the per-field
// computation.
func TestBatchBitwiseAnyGOMAXPROCS(t *testing.T) {
	const n = 20
	x, yt, err := exampleBatch(n, 5)
	if err != nil {
		t.Fatal(err)
	}
	run := func(procs, workers int) ([]float64, []float64) {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		b, err := NewBatch(64, 64, Settings{}, workers)
		if err != nil {
			t.Fatal(err)
		}
		y, dx := make([]float64, len(x)), make([]float64, len(x))
		if err := b.ForwardInverse(y, dx, x, yt); err != nil {
			t.Fatal(err)
		}
		return y, dx
	}
	y1, dx1 := run(1, 0)
	for _, c := range [][2]int{{2, 0}, {2, 3}, {1, 5}} {
		y2, dx2 := run(c[0], c[1])
		for i := range y1 {
			if math.Float64bits(y1[i]) != math.Float64bits(y2[i]) || math.Float64bits(dx1[i]) != math.Float64bits(dx2[i]) {
				t.Fatalf("GOMAXPROCS %d workers %d: value %d differs", c[0], c[1], i)
			}
		}
	}
	d, _ := NewDiffuser(64, 64, Settings{})
	y, dx := make([]float64, 4096), make([]float64, 4096)
	for s := 0; s < n; s++ {
		f := func(v []float64) []float64 { return v[s*4096 : (s+1)*4096] }
		_ = d.Forward(y, f(x))
		r := sub(f(yt), y)
		_, _ = d.DampedInverse(dx, r, f(yt))
		for i := range y {
			if y[i] != f(y1)[i] || dx[i] != f(dx1)[i] {
				t.Fatalf("sample %d cell %d: batch differs from single-field result", s, i)
			}
		}
	}
	b, _ := NewBatch(64, 64, Settings{}, 0)
	if err := b.ForwardInverse(y1, dx1[:4096], x, yt); err == nil {
		t.Error("mismatched batch lengths accepted")
	}
}

func TestBatchSteadyStateAllocs(t *testing.T) {
	x, yt, err := exampleBatch(8, 2)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := NewBatch(64, 64, Settings{}, 0)
	y, dx := make([]float64, len(x)), make([]float64, len(x))
	_ = b.ForwardInverse(y, dx, x, yt)
	if a := testing.AllocsPerRun(20, func() { _ = b.ForwardInverse(y, dx, x, yt) }); a > 0.5 {
		t.Errorf("ForwardInverse allocates %.1f times per call", a)
	}
}
