package train

import (
	"errors"
	"math"
	"path/filepath"
	"runtime"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/physgrad/physgrad/nn"
)

// curveTask is a JacobianTask with non-linear physics: a 1-6-2 tanh MLP
// maps t to x = out (identity decode), P(x) = (x0 + ½x1², λ·x1), and the
// target is P of (sin 2t, t).
type curveTask struct {
	lambda float64
	sizes  []int
	act    nn.Activation
}

func newCurveTask() *curveTask {
	return &curveTask{lambda: 0.5, sizes: []int{1, 6, 2}, act: nn.Tanh}
}

func (c *curveTask) Name() string { return "curve" }
func (c *curveTask) XSize() int   { return 2 }
func (c *curveTask) YSize() int   { return 2 }
func (c *curveTask) NewNet(seed uint64) (*nn.Net[float32], error) {
	return nn.NewMLP[float32](c.sizes, c.act, seed)
}
func (c *curveTask) NewNet64(seed uint64) (*nn.Net[float64], error) {
	return nn.NewMLP[float64](c.sizes, c.act, seed)
}
func (c *curveTask) Batch(seed uint64, step, batch int, in []float32, xTrue, yT []float64) error {
	for i := 0; i < batch; i++ {
		v := 2*float64((i*7+step*3)%batch)/float64(batch) - 1
		in[i] = float32(v)
		t := float64(in[i])
		xTrue[2*i], xTrue[2*i+1] = math.Sin(2*t), t
	}
	return c.Forward(yT, xTrue, batch)
}
func (c *curveTask) Decode(x []float64, out []float32, yT []float64, b int) {
	for i := range x {
		x[i] = float64(out[i])
	}
}
func (c *curveTask) Decode64(x, out, yT []float64, b int) { copy(x, out) }
func (c *curveTask) DecodeVJP(dout []float32, dx []float64, b int) {
	for i := range dx {
		dout[i] = float32(dx[i])
	}
}
func (c *curveTask) Forward(y, x []float64, b int) error {
	for i := 0; i < b; i++ {
		y[2*i] = x[2*i] + 0.5*x[2*i+1]*x[2*i+1]
		y[2*i+1] = c.lambda * x[2*i+1]
	}
	return nil
}
func (c *curveTask) VJP(dx, x, dy []float64, b int) error {
	for i := 0; i < b; i++ {
		dx[2*i] = dy[2*i]
		dx[2*i+1] = x[2*i+1]*dy[2*i] + c.lambda*dy[2*i+1]
	}
	return nil
}
func (c *curveTask) PhysicsJacobian(jac, x, yT []float64, b int) error {
	for i := 0; i < b; i++ {
		j := jac[4*i : 4*i+4]
		j[0], j[1], j[2], j[3] = 1, x[2*i+1], 0, c.lambda
	}
	return nil
}
func (c *curveTask) SIPTarget(xt, x, y, yT []float64, b int) error {
	return errors.New("not used")
}
func (c *curveTask) Metrics(x, xTrue, y, yT []float64, b int) Metrics { return Metrics{} }
func (c *curveTask) Conventions() Conventions {
	return Conventions{LR: 1e-2, Batch: 16, HIGBatch: 8, Tau: 1e-8, BatchMean: true}
}

// composite is θ ↦ stacked P(net(t; θ)) for the trainer's batch.
func composite(t *testing.T, task *curveTask, params []float64, in []float64) []float64 {
	net, err := task.NewNet64(0)
	if err != nil {
		t.Fatal(err)
	}
	copy(net.Params(), params)
	out := make([]float64, 2*len(in))
	if err := net.Forward(out, in); err != nil {
		t.Fatal(err)
	}
	y := make([]float64, len(out))
	task.Forward(y, out, len(in))
	return y
}

// TestStackedJacobianMatchesFiniteDifferences checks physics ∘ network's
// stacked Jacobian against central differences of the whole forward map.
func TestStackedJacobianMatchesFiniteDifferences(t *testing.T) {
	task := newCurveTask()
	tr, err := NewJacobianTrainer(task, Settings{Method: "hig", Seed: 2})
	if err != nil {
		t.Fatal(err)
	}
	jac, rows, cols, err := tr.Jacobian(3)
	if err != nil {
		t.Fatal(err)
	}
	if rows != 16 || cols != tr.Net.NumParams() {
		t.Fatalf("Jacobian %d×%d, want 16×%d", rows, cols, tr.Net.NumParams())
	}
	p := append([]float64(nil), tr.Net.Params()...)
	const h = 1e-6
	for j := 0; j < cols; j++ {
		pp := append([]float64(nil), p...)
		pp[j] += h
		yp := composite(t, task, pp, tr.in)
		pp[j] -= 2 * h
		ym := composite(t, task, pp, tr.in)
		for r := 0; r < rows; r++ {
			fd := (yp[r] - ym[r]) / (2 * h)
			if d := math.Abs(jac[r*cols+j] - fd); d > 1e-8*(1+math.Abs(fd)) {
				t.Fatalf("∂y[%d]/∂θ[%d] = %.12g, finite differences %.12g", r, j, jac[r*cols+j], fd)
			}
		}
	}
}

// TestHIGStepIsHalfInverse checks one hig and one gn update against
// V Σ^{-p} Uᵀ g from mat.SVD of the finite-difference Jacobian.
func TestHIGStepIsHalfInverse(t *testing.T) {
	task := newCurveTask()
	for _, c := range []struct {
		method string
		p      float64
	}{{"hig", 0.5}, {"gn", 1}} {
		tr, err := NewJacobianTrainer(task, Settings{Method: c.method, Seed: 1, LR: 0.7})
		if err != nil {
			t.Fatal(err)
		}
		p0 := append([]float64(nil), tr.Net.Params()...)
		jac, rows, cols, err := tr.Jacobian(0)
		if err != nil {
			t.Fatal(err)
		}
		a := append([]float64(nil), jac...)
		g := append([]float64(nil), tr.g...)
		tau := 1e-8 // the task's cut, for hig and gn
		if got := tr.Settings().Tau; got != tau {
			t.Fatalf("%s: default τ %g, want %g", c.method, got, tau)
		}
		want, _ := naivePinvPow(a, rows, cols, g, tau, c.p)
		if _, err := tr.Step(0); err != nil {
			t.Fatal(err)
		}
		for j := range want {
			got := (p0[j] - tr.Net.Params()[j]) / 0.7
			if math.Abs(got-want[j]) > 1e-9*(1+math.Abs(want[j])) {
				t.Fatalf("%s: Δθ[%d] = %.12g, V Σ^-%g Uᵀ g = %.12g", c.method, j, got, c.p, want[j])
			}
		}
	}
}

// TestGaussNewtonSolvesLinearLeastSquares: with a linear network, linear
// physics and a summed loss one gn step with η = 1 lands on the
// least-squares solution of the batch, whose residual is known in closed
// form.
func TestGaussNewtonSolvesLinearLeastSquares(t *testing.T) {
	task := &curveTask{lambda: 3, sizes: []int{1, 2}, act: nn.None}
	lin := &linearCurve{task}
	tr, err := NewJacobianTrainer(lin, Settings{Method: "gn", Seed: 5, Batch: 12, LR: 1})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tr.Step(0); err != nil {
		t.Fatal(err)
	}
	e, err := tr.forward(0)
	if err != nil {
		t.Fatal(err)
	}
	// Least squares of y0 ≈ a0·t + b0 and y1 ≈ 3(a1·t + b1) separately:
	// the residual is the part of the targets outside span{1, t}.
	tt := make([]float64, 12)
	for i := range tt {
		tt[i] = tr.in[i]
	}
	var want float64
	for o := 0; o < 2; o++ {
		a := mat.NewDense(12, 2, nil)
		y := mat.NewVecDense(12, nil)
		for i := range tt {
			a.Set(i, 0, tt[i])
			a.Set(i, 1, 1)
			y.SetVec(i, tr.yT[2*i+o])
		}
		var sol, fit mat.VecDense
		if err := sol.SolveVec(a, y); err != nil {
			t.Fatal(err)
		}
		fit.MulVec(a, &sol)
		fit.SubVec(&fit, y)
		want += 0.5 * mat.Dot(&fit, &fit) / 12
	}
	if math.Abs(e.Loss-want) > 1e-10*(1+want) {
		t.Errorf("loss after one Gauss-Newton step %.15g, least squares %.15g", e.Loss, want)
	}
}

// linearCurve is curveTask with linear physics P(x) = (x0, λ·x1) and a
// summed loss.
type linearCurve struct{ *curveTask }

func (l *linearCurve) Conventions() Conventions {
	c := l.curveTask.Conventions()
	c.BatchMean = false
	return c
}

func (l *linearCurve) Forward(y, x []float64, b int) error {
	for i := 0; i < b; i++ {
		y[2*i], y[2*i+1] = x[2*i], l.lambda*x[2*i+1]
	}
	return nil
}
func (l *linearCurve) PhysicsJacobian(jac, x, yT []float64, b int) error {
	for i := 0; i < b; i++ {
		j := jac[4*i : 4*i+4]
		j[0], j[1], j[2], j[3] = 1, 0, 0, l.lambda
	}
	return nil
}

func TestHIGLearnsAndIsDeterministic(t *testing.T) {
	task := newCurveTask()
	var logs [2][]StepLog
	for i, procs := range []int{1, 2} {
		old := runtime.GOMAXPROCS(procs)
		r := Run(task, Settings{Method: "hig", Steps: 300, Batch: 32})
		runtime.GOMAXPROCS(old)
		if r.Err != nil {
			t.Fatal(r.Err)
		}
		logs[i] = r.Log
	}
	for i := range logs[0] {
		if logs[0][i].Loss != logs[1][i].Loss {
			t.Fatalf("step %d: loss %v with GOMAXPROCS=1, %v with 2", i, logs[0][i].Loss, logs[1][i].Loss)
		}
	}
	first, last := logs[0][0].Loss, logs[0][len(logs[0])-1].Loss
	if !(last < 1e-2*first) {
		t.Errorf("hig: loss %.3g → %.3g", first, last)
	}
}

func TestHIGResumeIsBitForBit(t *testing.T) {
	task := newCurveTask()
	full := Run(task, Settings{Method: "hig", Steps: 20})
	dir := filepath.Join(t.TempDir(), "ck")
	Run(task, Settings{Method: "hig", Steps: 8, Checkpoint: dir, CheckpointEvery: 4})
	c, err := LoadCheckpoint(dir)
	if err != nil {
		t.Fatal(err)
	}
	rest := Run(task, Settings{Method: "hig", Steps: 20, Resume: c})
	if rest.Err != nil {
		t.Fatal(rest.Err)
	}
	if len(rest.Log) != 20 {
		t.Fatalf("%d steps after resume, want 20", len(rest.Log))
	}
	for i, e := range full.Log {
		if rest.Log[i].Loss != e.Loss {
			t.Fatalf("step %d: loss %v resumed, %v straight", i, rest.Log[i].Loss, e.Loss)
		}
	}
	for i, v := range full.Net64.Params() {
		if rest.Net64.Params()[i] != v {
			t.Fatalf("weight %d differs after resume", i)
		}
	}
	if err := c.Check(task, Settings{Method: "gn"}); !errors.Is(err, ErrMismatch) {
		t.Errorf("a hig checkpoint resumes gn: %v", err)
	}
}

func TestJacobianMethodsRejectBadSettings(t *testing.T) {
	task := newCurveTask()
	r := Run(task, Settings{Method: "hig", Steps: 1, Tau: 1})
	if r.Status != Failed || r.Err == nil {
		t.Errorf("τ = 1: status %v, err %v", r.Status, r.Err)
	}
	r = Run(task, Settings{Method: "gn", Steps: 1, Batch: 1000, MaxJacobianBytes: 1 << 10})
	if !errors.Is(r.Err, ErrJacobianTooLarge) || len(r.Log) != 0 {
		t.Errorf("oversized Jacobian: %v after %d steps", r.Err, len(r.Log))
	}
	r = Run(&lineTask{}, Settings{Method: "hig", Steps: 1})
	if r.Status != Failed || r.Err == nil {
		t.Errorf("hig on a task without Jacobians: status %v", r.Status)
	}
}

// nanJacobian is the curve task with a NaN in one physics-Jacobian entry.
type nanJacobian struct{ *curveTask }

func (c nanJacobian) PhysicsJacobian(jac, x, yT []float64, b int) error {
	if err := c.curveTask.PhysicsJacobian(jac, x, yT, b); err != nil {
		return err
	}
	jac[5] = math.NaN()
	return nil
}

// A non-finite Jacobian is an ErrNonFinite error on both paths, and the
// weights do not change.
func TestJacobianStepReportsNonFinite(t *testing.T) {
	for _, exact := range []bool{false, true} {
		tr, err := NewJacobianTrainer(nanJacobian{newCurveTask()}, Settings{Method: "hig"})
		if err != nil {
			t.Fatal(err)
		}
		tr.ExactOnly = exact
		p0 := append([]float64(nil), tr.Net.Params()...)
		if _, err := tr.Step(0); !errors.Is(err, ErrNonFinite) {
			t.Errorf("exact only %v: %v, want ErrNonFinite", exact, err)
		}
		for i, v := range tr.Net.Params() {
			if v != p0[i] {
				t.Fatalf("exact only %v: weight %d changed", exact, i)
			}
		}
	}
}

// The curve task's Jacobian has σmin/σmax ≈ 3e-8, too ill-conditioned for
// the Gram matrix with HIG's τ = 1e-8 (so TestHIGStepIsHalfInverse checks
// the exact path); with τ = 1e-3 only resolvable eigenvalues matter, the
// steps take the Gram route, and the update is V Σ^{-½} Uᵀ g of mat.SVD.
func TestCurvePathChoice(t *testing.T) {
	task := newCurveTask()
	tr, err := NewJacobianTrainer(task, Settings{Method: "hig"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tr.Step(0); err != nil {
		t.Fatal(err)
	}
	if tr.LastPath != "exact" || tr.ExactSteps != 1 {
		t.Errorf("τ = 1e-8: path %q, %d exact steps", tr.LastPath, tr.ExactSteps)
	}
	const tau = 1e-3
	tr, err = NewJacobianTrainer(task, Settings{Method: "hig", Tau: tau})
	if err != nil {
		t.Fatal(err)
	}
	for step := 0; step < 3; step++ {
		p0 := append([]float64(nil), tr.Net.Params()...)
		jac, rows, cols, err := tr.Jacobian(step)
		if err != nil {
			t.Fatal(err)
		}
		want, sv := naivePinvPow(append([]float64(nil), jac...), rows, cols, tr.g, tau, 0.5)
		if _, err := tr.Step(step); err != nil {
			t.Fatal(err)
		}
		got := make([]float64, cols)
		for j := range got {
			got[j] = p0[j] - tr.Net.Params()[j]
		}
		if d := relDiff(got, want); d > 1e-10 {
			t.Errorf("τ = 1e-3, step %d: update off by %.3g relative", step, d)
		}
		if tr.LastPath != "gram" || sv[len(sv)-1] > tau*sv[0] {
			t.Errorf("τ = 1e-3, step %d: path %q, σmin/σmax %.3g", step, tr.LastPath, sv[len(sv)-1]/sv[0])
		}
	}
	if tr.GramSteps != 3 || tr.ExactSteps != 0 {
		t.Errorf("τ = 1e-3: %d Gram and %d exact steps", tr.GramSteps, tr.ExactSteps)
	}
}
