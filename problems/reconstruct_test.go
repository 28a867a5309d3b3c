package problems

import (
	"math"
	"testing"

	"github.com/physgrad/physgrad/method"
	"github.com/physgrad/physgrad/report/fieldio"
	"github.com/physgrad/physgrad/solve"
)

func heatFixture(t *testing.T) *Reconstruction {
	t.Helper()
	truth, err := fieldio.ReadFieldShape("../testdata/heat_fixture_truth.npy", 64, 64)
	if err != nil {
		t.Fatal(err)
	}
	target, err := fieldio.ReadFieldShape("../testdata/heat_fixture_target.npy", 64, 64)
	if err != nil {
		t.Fatal(err)
	}
	r, err := NewReconstruction("heat", ReconstructionOptions{Target: target, Truth: truth, NY: 64, NX: 64})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func reconstruct(t *testing.T, r *Reconstruction, name string, steps int) *solve.Result {
	t.Helper()
	m, err := method.New(name, r.Eta[name])
	if err != nil {
		t.Fatal(err)
	}
	res := solve.Run(r.Problem, m, r.Target, solve.Settings{Steps: steps, Observe: r.XL2})
	if res.Err != nil {
		t.Fatalf("%s: %v", name, res.Err)
	}
	return res
}

// SPEC R6: from y*, PG settles at x-L2 5.46 after 20 steps on the fixture
// and stays there (the noise floor keeps it stable); L-BFGS is far behind.
func TestHeatFixtureReconstruction(t *testing.T) {
	r := heatFixture(t)
	pg := reconstruct(t, r, "pg", 100)
	at20 := pg.Metric[20]
	t.Logf("pg x-L2: start %.4g, 1 step %.4g, 20 steps %.4g, 100 steps %.4g", pg.Metric[0], pg.Metric[1], at20, pg.Metric[100])
	if !(at20 <= 6) {
		t.Errorf("x-L2 after 20 PG steps = %.4g, want ≤ 6 (SPEC: 5.46)", at20)
	}
	for k := 20; k <= 100; k++ {
		if math.Abs(pg.Metric[k]-at20) > 0.01*at20 {
			t.Fatalf("PG x-L2 at step %d = %.4g, more than 1%% from %.4g at step 20", k, pg.Metric[k], at20)
		}
	}
	lb := reconstruct(t, r, "lbfgs", 200)
	last := lb.Metric[len(lb.Metric)-1]
	t.Logf("lbfgs x-L2 after %d iterations: %.4g (SPEC: 23.4 after 200)", len(lb.Metric)-1, last)
	if !(last >= 3*at20) {
		t.Errorf("L-BFGS x-L2 %.4g is not ≥ 3× PG's %.4g", last, at20)
	}
}

// Poisson's inverse is exact: PG recovers x in one step to the solver's
// accuracy, while L-BFGS and Adam need orders of magnitude more iterations.
func TestPoissonReconstructionOneStep(t *testing.T) {
	r, err := NewReconstruction("poisson", ReconstructionOptions{Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	pg := reconstruct(t, r, "pg", 1)
	norm := r.XL2(make([]float64, len(r.Truth)))
	rel := math.Sqrt(pg.Metric[1] / norm)
	t.Logf("pg: relative x error after one step %.3g (start %.3g)", rel, math.Sqrt(pg.Metric[0]/norm))
	if !(rel <= 1e-5) {
		t.Fatalf("PG relative x error after one step %.3g, want ≤ 1e-5", rel)
	}
	for _, name := range []string{"lbfgs", "adam"} {
		res := reconstruct(t, r, name, 100)
		best := math.Inf(1)
		for _, v := range res.Metric {
			best = math.Min(best, v)
		}
		relBest := math.Sqrt(best / norm)
		t.Logf("%s: best relative x error in 100 iterations %.3g", name, relBest)
		if !(relBest > 100*rel) {
			t.Errorf("%s reached relative x error %.3g within 100 iterations; expected ≥ 100× PG's one-step %.3g", name, relBest, rel)
		}
	}
}
