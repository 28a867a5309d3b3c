package sine

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/physgrad/physgrad/inverse"
	"github.com/physgrad/physgrad/sim"
)

func TestJacobianAndAdjointMatchFiniteDifferences(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, xi := range []float64{1, 32} {
		for _, phi := range []float64{0, 30} {
			s, _ := New(xi, phi)
			for k := 0; k < 10; k++ {
				x := []float64{r.Float64() - 0.5, r.Float64() - 0.5}
				var a, fd mat.Dense
				a.ReuseAs(2, 2)
				fd.ReuseAs(2, 2)
				s.Jacobian(&a, x)
				sim.FDJacobian(s, &fd, x)
				if !mat.EqualApprox(&a, &fd, 1e-6*math.Max(1, mat.Norm(&a, math.Inf(1)))) {
					t.Errorf("ξ=%g φ=%g x=%v: Jacobian %v, FD %v", xi, phi, x, mat.Formatted(&a), mat.Formatted(&fd))
				}
				dy := []float64{r.NormFloat64(), r.NormFloat64()}
				dx := make([]float64, 2)
				s.VJP(dx, x, dy)
				var want mat.VecDense
				want.MulVec(a.T(), mat.NewVecDense(2, dy))
				for i := range dx {
					if math.Abs(dx[i]-want.AtVec(i)) > 1e-9*math.Max(1, math.Abs(dx[i])) {
						t.Errorf("VJP %v, Jᵀdy %v", dx, want.RawVector().Data)
					}
				}
			}
		}
	}
}

func TestInverseIsNearestBranch(t *testing.T) {
	for _, phi := range []float64{0, 45} {
		s, _ := New(32, phi)
		rep, err := inverse.Check(s, inverse.CheckSettings{Seed: 3, Sample: func(r *rand.Rand, x []float64) {
			x[0], x[1] = 2*r.Float64()-1, 0.2*r.Float64()-0.1
		}, Perturb: 0.01})
		if err != nil {
			t.Fatal(err)
		}
		if !rep.Passed() {
			for _, p := range rep.Points {
				if p.Problem != "" {
					t.Errorf("φ=%g: %s", phi, p.Problem)
				}
			}
		}
	}
}

// The Newton step must agree with a finite-difference Hessian of the
// composite loss where that Hessian is positive definite (then the
// downhill-signed eigen step is the plain Newton step).
func TestNewtonStepMatchesFDHessian(t *testing.T) {
	s, _ := New(4, 20)
	target := []float64{0.3, -0.2}
	lossAt := func(x []float64) float64 {
		y := make([]float64, 2)
		s.Forward(y, x)
		return 0.5 * ((y[0]-target[0])*(y[0]-target[0]) + (y[1]-target[1])*(y[1]-target[1]))
	}
	x := []float64{0.08, 0.01}
	h := 1e-4
	var H [2][2]float64
	var g [2]float64
	for i := 0; i < 2; i++ {
		xp := append([]float64(nil), x...)
		xm := append([]float64(nil), x...)
		xp[i] += h
		xm[i] -= h
		g[i] = (lossAt(xp) - lossAt(xm)) / (2 * h)
		for j := 0; j < 2; j++ {
			xpp := append([]float64(nil), xp...)
			xpm := append([]float64(nil), xp...)
			xmp := append([]float64(nil), xm...)
			xmm := append([]float64(nil), xm...)
			xpp[j] += h
			xpm[j] -= h
			xmp[j] += h
			xmm[j] -= h
			H[i][j] = (lossAt(xpp) - lossAt(xpm) - lossAt(xmp) + lossAt(xmm)) / (4 * h * h)
		}
	}
	det := H[0][0]*H[1][1] - H[0][1]*H[1][0]
	if det <= 0 || H[0][0] <= 0 {
		t.Fatalf("test point must have a positive-definite Hessian, got %v", H)
	}
	want := []float64{-(H[1][1]*g[0] - H[0][1]*g[1]) / det, -(-H[1][0]*g[0] + H[0][0]*g[1]) / det}
	dx := make([]float64, 2)
	if err := s.NewtonStep(dx, x, target, 0); err != nil {
		t.Fatal(err)
	}
	for i := range dx {
		if math.Abs(dx[i]-want[i]) > 1e-4*math.Max(1e-3, math.Abs(want[i])) {
			t.Errorf("Newton step %v, FD %v", dx, want)
		}
	}
}
