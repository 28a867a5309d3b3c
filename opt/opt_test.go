package opt

import (
	"math"
	"testing"
)

// Each optimiser's first steps against the update written out by hand
// from PyTorch's documented algorithm.
func TestFirstStepsMatchPyTorchFormulas(t *testing.T) {
	g1, g2 := 0.5, -2.0
	cases := []struct {
		name string
		want func() (float64, float64) // parameter after steps 1 and 2, from p = 1
	}{
		{"sgd", func() (float64, float64) { p1 := 1 - 1e-3*g1; return p1, p1 - 1e-3*g2 }},
		{"momentum", func() (float64, float64) {
			b := g1
			p1 := 1 - 1e-3*b
			b = 0.9*b + g2
			return p1, p1 - 1e-3*b
		}},
		{"adam", func() (float64, float64) {
			m, v := 0.1*g1, 0.001*g1*g1
			p1 := 1 - 1e-3/(1-0.9)*m/(math.Sqrt(v)/math.Sqrt(1-0.999)+1e-8)
			m, v = 0.9*m+0.1*g2, 0.999*v+0.001*g2*g2
			return p1, p1 - 1e-3/(1-0.81)*m/(math.Sqrt(v)/math.Sqrt(1-0.999*0.999)+1e-8)
		}},
		{"rmsprop", func() (float64, float64) {
			v := 0.01 * g1 * g1
			p1 := 1 - 1e-2*g1/(math.Sqrt(v)+1e-8)
			v = 0.99*v + 0.01*g2*g2
			return p1, p1 - 1e-2*g2/(math.Sqrt(v)+1e-8)
		}},
		{"adagrad", func() (float64, float64) {
			s := g1 * g1
			p1 := 1 - 1e-2*g1/(math.Sqrt(s)+1e-10)
			s += g2 * g2
			return p1, p1 - 1e-2*g2/(math.Sqrt(s)+1e-10)
		}},
		{"adadelta", func() (float64, float64) {
			v := 0.1 * g1 * g1
			d := math.Sqrt(1e-6) / math.Sqrt(v+1e-6) * g1
			u := 0.1 * d * d
			p1 := 1 - d
			v = 0.9*v + 0.1*g2*g2
			d = math.Sqrt(u+1e-6) / math.Sqrt(v+1e-6) * g2
			return p1, p1 - d
		}},
	}
	for _, c := range cases {
		o, err := New[float64](c.name, Settings{})
		if err != nil {
			t.Fatal(err)
		}
		p := []float64{1}
		w1, w2 := c.want()
		o.Update(p, []float64{g1})
		if math.Abs(p[0]-w1) > 1e-15 {
			t.Errorf("%s step 1: %.17g, want %.17g", c.name, p[0], w1)
		}
		o.Update(p, []float64{g2})
		if math.Abs(p[0]-w2) > 1e-15 {
			t.Errorf("%s step 2: %.17g, want %.17g", c.name, p[0], w2)
		}
		// float32 follows the same formulas to float32 precision.
		o32, _ := New[float32](c.name, Settings{})
		q := []float32{1}
		o32.Update(q, []float32{float32(g1)})
		o32.Update(q, []float32{float32(g2)})
		if math.Abs(float64(q[0])-w2) > 1e-6 {
			t.Errorf("%s float32: %.9g, want %.9g", c.name, q[0], w2)
		}
		o.Reset()
		p[0] = 1
		o.Update(p, []float64{g1})
		if math.Abs(p[0]-w1) > 1e-15 {
			t.Errorf("%s after Reset: %.17g, want %.17g", c.name, p[0], w1)
		}
	}
}

func TestBadUse(t *testing.T) {
	if _, err := New[float64]("lion", Settings{}); err == nil {
		t.Error("unknown optimiser accepted")
	}
	if _, err := New[float64]("adam", Settings{LR: math.NaN()}); err == nil {
		t.Error("NaN learning rate accepted")
	}
	o, _ := New[float64]("adam", Settings{})
	if err := o.Update([]float64{1, 2}, []float64{1}); err == nil {
		t.Error("length mismatch accepted")
	}
	o.Update([]float64{1, 2}, []float64{1, 1})
	if err := o.Update([]float64{1}, []float64{1}); err == nil {
		t.Error("changed parameter count accepted")
	}
}
