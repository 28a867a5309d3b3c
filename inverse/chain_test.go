package inverse

import (
	"math"
	"testing"

	"github.com/physgrad/physgrad/physics/toy"
	"github.com/physgrad/physgrad/sim"
)

// A chain whose middle step has no inverse falls back to the numerical one
// and still reproduces the composed inverse.
func TestChainWithNumericalFallback(t *testing.T) {
	c, err := sim.NewChain(toy.Scaled{Alpha: 3}, cubic{2}, toy.Square{})
	if err != nil {
		t.Fatal(err)
	}
	c.Fallback = Fallback(Settings{})
	xTrue := []float64{0.7, 1.2}
	y, _ := sim.Eval(c, xTrue)
	x := make([]float64, 2)
	if err := c.Inverse(x, y, []float64{0.6, 1.1}); err != nil {
		t.Fatal(err)
	}
	for i := range x {
		if math.Abs(x[i]-xTrue[i]) > 1e-9 {
			t.Errorf("x = %v, want %v", x, xTrue)
		}
	}
}
