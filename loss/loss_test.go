package loss

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"
)

func TestL2ClosedFormMatchesEigenStep(t *testing.T) {
	l := L2{Target: []float64{1, -2, 3}}
	y := []float64{0.5, 0, 4}
	dy := make([]float64, 3)
	l.NewtonStep(dy, y, 0.3)
	g := make([]float64, 3)
	l.Gradient(g, y)
	h := mat.NewSymDense(3, nil)
	l.Hessian(h, y)
	de := make([]float64, 3)
	if err := EigenNewtonStep(de, g, h, 0.3, 0); err != nil {
		t.Fatal(err)
	}
	for i := range dy {
		if want := 0.3 * (l.Target[i] - y[i]); math.Abs(dy[i]-want) > 1e-15 || math.Abs(de[i]-want) > 1e-12 {
			t.Errorf("component %d: closed %g, eigen %g, want %g", i, dy[i], de[i], want)
		}
	}
}

func TestGradientsMatchFiniteDifferences(t *testing.T) {
	y := []float64{0.3, -1.2}
	for name, l := range map[string]Loss{"l2": L2{Target: []float64{1, 1}}, "norm": SquaredNorm{}} {
		g := make([]float64, 2)
		l.Gradient(g, y)
		for i := range y {
			yp := append([]float64(nil), y...)
			ym := append([]float64(nil), y...)
			yp[i] += 1e-6
			ym[i] -= 1e-6
			fd := (l.Value(yp) - l.Value(ym)) / 2e-6
			if math.Abs(fd-g[i]) > 1e-8 {
				t.Errorf("%s: gradient %g, FD %g", name, g[i], fd)
			}
		}
	}
}

// An indefinite Hessian: the plain Newton step would climb along the
// negative-curvature direction; the eigen step must go downhill in both.
func TestEigenStepIsDownhillForIndefiniteHessian(t *testing.T) {
	h := mat.NewSymDense(2, []float64{2, 0, 0, -0.5})
	g := []float64{1, 1}
	d := make([]float64, 2)
	if err := EigenNewtonStep(d, g, h, 1, 0); err != nil {
		t.Fatal(err)
	}
	// |g_i/λ_i| with the sign of −g_i: (−0.5, −2).
	if math.Abs(d[0]+0.5) > 1e-12 || math.Abs(d[1]+2) > 1e-12 {
		t.Errorf("step %v, want (-0.5, -2)", d)
	}
	// max_loss_change caps the low-curvature direction (|λ| = 0.5 below
	// the geometric mean 1) at 0.2/|g| = 0.2.
	if err := EigenNewtonStep(d, g, h, 1, 0.2); err != nil {
		t.Fatal(err)
	}
	if math.Abs(d[0]+0.5) > 1e-12 || math.Abs(d[1]+0.2) > 1e-12 {
		t.Errorf("capped step %v, want (-0.5, -0.2)", d)
	}
}

func TestStepWithoutHessian(t *testing.T) {
	if err := Step(valueOnly{}, make([]float64, 1), []float64{1}, 1, StepSettings{}); err != ErrNoHessian {
		t.Errorf("got %v, want ErrNoHessian", err)
	}
}

type valueOnly struct{}

func (valueOnly) Value(y []float64) float64 { return y[0] * y[0] }
func (valueOnly) Gradient(g, y []float64)   { g[0] = 2 * y[0] }

func TestEigenNewtonStep2MatchesGeneral(t *testing.T) {
	cases := [][5]float64{
		{1, 1, 2, 0, -0.5}, {0.3, -2, 4, 1.5, 0.2}, {1e-3, 5, 1e4, -30, 1e-2}, {2, -1, -3, 0.7, -1}, {1, 2, 1, 0, 1},
	}
	for _, c := range cases {
		for _, mlc := range []float64{0, 0.2} {
			h := mat.NewSymDense(2, []float64{c[2], c[3], c[3], c[4]})
			want := make([]float64, 2)
			if err := EigenNewtonStep(want, []float64{c[0], c[1]}, h, 0.7, mlc); err != nil {
				t.Fatal(err)
			}
			a, b := EigenNewtonStep2(c[0], c[1], c[2], c[3], c[4], 0.7, mlc)
			if math.Abs(a-want[0]) > 1e-9*(1+math.Abs(want[0])) || math.Abs(b-want[1]) > 1e-9*(1+math.Abs(want[1])) {
				t.Errorf("g %v h %v mlc %g: closed form (%g, %g), general %v", c[:2], c[2:], mlc, a, b, want)
			}
		}
	}
}
