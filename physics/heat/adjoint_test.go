package heat

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/physgrad/physgrad/sim"
)

func dot(a, b []float64) float64 {
	var s float64
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}

func randField(rng *rand.Rand, n int) []float64 {
	v := make([]float64, n)
	for i := range v {
		v[i] = rng.NormFloat64()
	}
	return v
}

// TestDotProduct: ⟨Pu, v⟩ = ⟨u, Pᵀv⟩ to 1e-10 on 64×64 (and a non-square,
// non-power-of-two grid, which takes the FFTPACK path).
func TestDotProduct(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	for _, sz := range [][2]int{{64, 64}, {12, 10}} {
		h, err := New(sz[0], sz[1], Settings{})
		if err != nil {
			t.Fatal(err)
		}
		n := h.InputSize()
		for range 3 {
			u, v := randField(rng, n), randField(rng, n)
			pu, ptv := make([]float64, n), make([]float64, n)
			if err := h.Forward(pu, u); err != nil {
				t.Fatal(err)
			}
			if err := h.VJP(ptv, u, v); err != nil {
				t.Fatal(err)
			}
			a, b := dot(pu, v), dot(u, ptv)
			if math.Abs(a-b) > 1e-10*math.Max(1, math.Abs(a)) {
				t.Fatalf("%v: ⟨Pu,v⟩ = %.15g, ⟨u,Pᵀv⟩ = %.15g", sz, a, b)
			}
		}
	}
}

// TestVJPMatchesFiniteDifferences checks the adjoint against the central
// difference Jacobian of the forward model on a small grid.
func TestVJPMatchesFiniteDifferences(t *testing.T) {
	h, err := New(8, 6, Settings{Amount: 0.5})
	if err != nil {
		t.Fatal(err)
	}
	n := h.InputSize()
	rng := rand.New(rand.NewPCG(13, 14))
	x, dy := randField(rng, n), randField(rng, n)
	jac := mat.NewDense(n, n, nil)
	if err := sim.FDJacobian(h, jac, x); err != nil {
		t.Fatal(err)
	}
	var want mat.VecDense
	want.MulVec(jac.T(), mat.NewVecDense(n, dy))
	got := make([]float64, n)
	if err := h.VJP(got, x, dy); err != nil {
		t.Fatal(err)
	}
	for i := range got {
		if math.Abs(got[i]-want.AtVec(i)) > 1e-8 {
			t.Fatalf("VJP[%d] = %v, finite differences %v", i, got[i], want.AtVec(i))
		}
	}
}

// TestForwardDecaysFourierMode: a single mode cos(2π(ax/nx + by/ny)) is an
// eigenfunction, damped by exp(-(2π)²|k|²νt).
func TestForwardDecaysFourierMode(t *testing.T) {
	ny, nx, a, b := 64, 64, 3, -5
	x := make([]float64, ny*nx)
	for iy := 0; iy < ny; iy++ {
		for ix := 0; ix < nx; ix++ {
			x[iy*nx+ix] = math.Cos(2 * math.Pi * (float64(a*ix)/float64(nx) + float64(b*iy)/float64(ny)))
		}
	}
	h, _ := New(ny, nx, Settings{})
	y := make([]float64, len(x))
	if err := h.Forward(y, x); err != nil {
		t.Fatal(err)
	}
	k2 := float64(a*a)/float64(nx*nx) + float64(b*b)/float64(ny*ny)
	g := math.Exp(-4 * math.Pi * math.Pi * k2 * DefaultAmount)
	for i := range x {
		if math.Abs(y[i]-g*x[i]) > 1e-14 {
			t.Fatalf("cell %d: %v, want %v", i, y[i], g*x[i])
		}
	}
}

func TestSimulatorRejectsWrongSizes(t *testing.T) {
	h, _ := New(8, 8, Settings{})
	if err := h.Forward(make([]float64, 64), make([]float64, 63)); err == nil {
		t.Error("Forward accepted 63 values")
	}
	if err := h.Inverse(make([]float64, 64), make([]float64, 64), make([]float64, 65)); err == nil {
		t.Error("Inverse accepted x0 of 65 values")
	}
	if _, err := New(0, 8, Settings{}); err == nil {
		t.Error("New accepted 0 rows")
	}
	if _, err := New(8, 8, Settings{Amount: -1}); err == nil {
		t.Error("New accepted a negative amount")
	}
}
