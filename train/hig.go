package train

import (
	"errors"
	"fmt"
	"math"

	"github.com/physgrad/physgrad/nn"
	"github.com/physgrad/physgrad/opt"
)

// The hig and gn methods (SPEC §1): the per-sample Jacobians of physics ∘
// network with respect to all weights are stacked over the batch into J
// (batch·YSize rows), and with the stacked per-sample loss gradients
// g = ∂l_i/∂y_i = y_i − y*_i the weights move by
//
//	hig: Δθ = −η·V Σ^{-1/2} Uᵀ g     gn: Δθ = −η·V Σ^{-1} Uᵀ g = −η·J⁺ g
//
// (J = U Σ Vᵀ, singular values below τ·σmax set to zero, plain SGD with
// rate η; hig's published η = 1, gn's DefaultGNRate; both cut at the task's
// τ). g is the gradient of the loss the other methods
// back-propagate, so with Conventions.BatchMean it is divided by the batch
// size. That matters, because the half-inverse is not scale-invariant: on
// R7 the published η = 1 with batch 32 diverges within a few steps with
// the summed gradient and converges with the mean. gn with a summed loss
// and η = 1 is the Gauss-Newton step that solves the linearised problem
// J·Δθ = −g; with a mean loss it is 1/batch of that step.
//
// Both train a float64 copy of the task's network: HIG inverts singular
// values down to τ = 1e-10 of the largest, and a float32 Jacobian carries
// relative errors of 1e-7, so most of the spectrum HIG acts on would be
// rounding noise amplified by Σ^{-1/2}. The weights start from the same
// draw as the float32 network of the other methods.

// Defaults of hig and gn.
const (
	// DefaultTau is the singular-value cut of R7's published HIG setting.
	DefaultTau = 1e-10
	// DefaultHIGRate is the published SGD rate η of HIG.
	DefaultHIGRate = 1.0
	// DefaultGNRate is gn's rate η; SPEC's rule has one but R8 does not
	// publish it. The undamped step (η = 1, or a cut at the numerical rank)
	// makes R8's first steps invert rounding-level singular values and
	// saturates every neuron at both λ; with the task's τ and η = 0.1 GN
	// converges at λ = 1 (docs/higtoy.md has the scan).
	DefaultGNRate = 0.1
	// DefaultMaxJacobianBytes caps the stacked Jacobian at 2 GiB.
	DefaultMaxJacobianBytes int64 = 2048 << 20
)

// ErrJacobianTooLarge is wrapped by the error of a hig or gn run whose
// stacked Jacobian would exceed Settings.MaxJacobianBytes.
var ErrJacobianTooLarge = errors.New("stacked Jacobian too large")

// JacobianTask is a Task whose physics gives per-sample Jacobians, which
// hig and gn need.
type JacobianTask interface {
	Task
	// NewNet64 builds NewNet's network in float64 with the same initial
	// draw.
	NewNet64(seed uint64) (*nn.Net[float64], error)
	// Decode64 is Decode for a float64 network output.
	Decode64(x, out, yTarget []float64, batch int)
	// PhysicsJacobian writes, for each sample, the Jacobian of the physics
	// composed with Decode with respect to the network output, at the
	// decoded x: YSize × OutSize values row-major per sample, samples back
	// to back.
	PhysicsJacobian(jac, x, yTarget []float64, batch int) error
}

// JacobianTrainer holds a hig or gn run's float64 network, its SGD
// optimiser and the buffers; Step takes one step. Run drives it.
type JacobianTrainer struct {
	task  JacobianTask
	s     Settings
	power float64 // ½ for hig, 1 for gn
	// Net and Opt are the trained network and its optimiser.
	Net *nn.Net[float64]
	Opt opt.Optimizer[float64]
	// Kept is the number of singular values the last step kept.
	Kept int
	// GramSteps and ExactSteps count the steps whose update took the Gram
	// route and the exact LQ/SVD path (see update); LastPath names the
	// last step's, "gram" or "exact".
	GramSteps, ExactSteps int
	LastPath              string
	// ExactOnly makes every step take the exact path (comparisons).
	ExactOnly                                    bool
	mon                                          *monitor
	solver                                       pinvSolver
	gram                                         gramSolver
	coef                                         []float64
	in32                                         []float32
	in, out, xTrue, yT, x, y, g, jp, rows, delta []float64
}

// JacobianSize returns the shape of the stacked Jacobian a hig or gn run
// with settings s would factorise, rows × cols (batch·YSize × weights),
// resolving the task's default batch size. It builds the network but
// allocates nothing else, so callers can check the size before any work.
func JacobianSize(task Task, s Settings) (rows, cols int, err error) {
	jt, ok := task.(JacobianTask)
	if !ok {
		return 0, 0, fmt.Errorf("%s: problem %s has no per-sample physics Jacobian", s.Method, task.Name())
	}
	b := jacobianBatch(task, s)
	if b < 1 {
		return 0, 0, fmt.Errorf("train: batch size must be ≥ 1, got %d", b)
	}
	net, err := jt.NewNet64(s.Seed)
	if err != nil {
		return 0, 0, err
	}
	return b * task.YSize(), net.NumParams(), nil
}

func jacobianBatch(task Task, s Settings) int {
	if s.Batch != 0 {
		return s.Batch
	}
	return DefaultBatch(task, s.Method)
}

// DefaultBatch is the batch size a run of method on task uses when
// Settings.Batch is 0: Conventions.HIGBatch for hig and gn (if set),
// Conventions.Batch otherwise.
func DefaultBatch(task Task, method string) int {
	c := task.Conventions()
	if (method == "hig" || method == "gn") && c.HIGBatch != 0 {
		return c.HIGBatch
	}
	return c.Batch
}

// NewJacobianTrainer prepares a hig or gn run (s.Method): defaults (η,
// the task's HIG batch size and τ), the size check against
// MaxJacobianBytes, the float64 network, its optimiser and all buffers; it
// restores s.Resume if set.
func NewJacobianTrainer(task Task, s Settings) (*JacobianTrainer, error) {
	k, _, err := parseMethod(s.Method, s.Optimizer)
	if err != nil {
		return nil, err
	}
	if k != kindHIG && k != kindGN {
		return nil, fmt.Errorf("train: %s is not a Jacobian method (hig, gn)", s.Method)
	}
	jt, ok := task.(JacobianTask)
	if !ok {
		return nil, fmt.Errorf("%s: problem %s has no per-sample physics Jacobian", s.Method, task.Name())
	}
	conv := task.Conventions()
	if s.LR == 0 {
		s.LR = DefaultHIGRate
		if k == kindGN {
			s.LR = DefaultGNRate
		}
	}
	s.Batch = jacobianBatch(task, s)
	rows, cols, err := JacobianSize(task, s)
	if err != nil {
		return nil, err
	}
	if s.Tau == 0 {
		s.Tau = conv.Tau
		if s.Tau == 0 {
			s.Tau = DefaultTau
		}
	}
	if !(s.Tau > 0 && s.Tau < 1) {
		return nil, fmt.Errorf("train: singular-value cut τ = %v outside (0, 1)", s.Tau)
	}
	if s.MaxJacobianBytes == 0 {
		s.MaxJacobianBytes = DefaultMaxJacobianBytes
	}
	if need := int64(rows) * int64(cols) * 8; need > s.MaxJacobianBytes || need/8/int64(cols) != int64(rows) {
		return nil, fmt.Errorf("%w: %d × %d float64 values need %.1f MiB, the cap is %.1f MiB", ErrJacobianTooLarge,
			rows, cols, float64(rows)*float64(cols)*8/(1<<20), float64(s.MaxJacobianBytes)/(1<<20))
	}
	net, err := jt.NewNet64(s.Seed)
	if err != nil {
		return nil, err
	}
	if err := setInitWeights(net, s.InitWeights); err != nil {
		return nil, err
	}
	o, err := opt.New[float64]("sgd", opt.Settings{LR: s.LR})
	if err != nil {
		return nil, err
	}
	if s.Resume != nil {
		if err := restore(s.Resume, task, s, net, o); err != nil {
			return nil, err
		}
	}
	b, xs, ys, os := s.Batch, task.XSize(), task.YSize(), net.OutSize()
	t := &JacobianTrainer{task: jt, s: s, power: 0.5, Net: net, Opt: o, mon: newMonitor(task),
		in32: make([]float32, b*net.InSize()), in: make([]float64, b*net.InSize()), out: make([]float64, b*os),
		xTrue: make([]float64, b*xs), yT: make([]float64, b*ys), x: make([]float64, b*xs), y: make([]float64, b*ys),
		g: make([]float64, b*ys), jp: make([]float64, b*ys*os), rows: make([]float64, rows*cols), delta: make([]float64, cols)}
	if k == kindGN {
		t.power = 1
	}
	if err := net.Prepare(b); err != nil {
		return nil, err
	}
	return t, nil
}

// Settings returns the run's settings with the defaults filled in.
func (t *JacobianTrainer) Settings() Settings { return t.s }

// forward runs batch step through network and physics: x, y, the
// residuals g and the metrics.
func (t *JacobianTrainer) forward(step int) (StepLog, error) {
	b, task := t.s.Batch, t.task
	if err := task.Batch(t.s.Seed, step, b, t.in32, t.xTrue, t.yT); err != nil {
		return StepLog{}, fmt.Errorf("step %d: data: %w", step, err)
	}
	for i, v := range t.in32 {
		t.in[i] = float64(v)
	}
	if err := t.Net.Forward(t.out, t.in); err != nil {
		return StepLog{}, fmt.Errorf("step %d: network: %w", step, err)
	}
	task.Decode64(t.x, t.out, t.yT, b)
	if !finite64(t.x) {
		return StepLog{}, errDiverged{fmt.Errorf("step %d: %w in the network output", step, ErrNonFinite)}
	}
	if err := task.Forward(t.y, t.x, b); err != nil {
		return StepLog{}, fmt.Errorf("step %d: physics: %w", step, err)
	}
	m := task.Metrics(t.x, t.xTrue, t.y, t.yT, b)
	var lossSum float64
	scale := 1.0
	if t.task.Conventions().BatchMean {
		scale = 1 / float64(b)
	}
	for i := range t.g {
		d := t.y[i] - t.yT[i]
		lossSum += 0.5 * d * d
		t.g[i] = d * scale
	}
	e := StepLog{Step: step, XL1: m.XL1, XL2: m.XL2, YL2: m.YL2, Loss: lossSum / float64(b)}
	if math.IsNaN(e.Loss) || math.IsInf(e.Loss, 0) {
		return e, errDiverged{fmt.Errorf("step %d: %w in the loss", step, ErrNonFinite)}
	}
	return e, nil
}

// jacobian stacks the per-sample Jacobians of physics ∘ network at the
// current x into t.rows: the physics Jacobian rows are the cotangents of
// one virtual batch back-propagated through the network.
func (t *JacobianTrainer) jacobian(step int) error {
	if err := t.physicsJacobian(step); err != nil {
		return err
	}
	return t.networkRows(step)
}

func (t *JacobianTrainer) physicsJacobian(step int) error {
	if err := t.task.PhysicsJacobian(t.jp, t.x, t.yT, t.s.Batch); err != nil {
		return fmt.Errorf("step %d: physics Jacobian: %w", step, err)
	}
	return nil
}

func (t *JacobianTrainer) networkRows(step int) error {
	if err := t.Net.ParamVJPs(t.rows, t.in, t.jp, t.task.YSize()); err != nil {
		return fmt.Errorf("step %d: network Jacobian: %w", step, err)
	}
	// Non-finite entries are caught in the factorisation's small triangle,
	// which sees every entry, instead of scanning the whole matrix here.
	return nil
}

// Jacobian runs batch step through network and physics and returns the
// stacked Jacobian (rows × cols, row-major, owned by t and overwritten by
// the next call), without updating the weights. Benchmarks time it alone.
func (t *JacobianTrainer) Jacobian(step int) (jac []float64, rows, cols int, err error) {
	if _, err := t.forward(step); err != nil {
		return nil, 0, 0, err
	}
	if err := t.jacobian(step); err != nil {
		return nil, 0, 0, err
	}
	return t.rows, len(t.g), len(t.delta), nil
}

// StackedJacobian recomputes the stacked Jacobian at the batch and x of
// the last Jacobian or Step call (the physics Jacobian and the network's
// per-sample rows, nothing else); benchmarks time it alone.
func (t *JacobianTrainer) StackedJacobian() ([]float64, error) {
	if err := t.jacobian(-1); err != nil {
		return nil, err
	}
	return t.rows, nil
}

// Step takes training step number step and returns its log entry without
// the time. A non-finite output, loss, Jacobian or update returns an
// ErrNonFinite error before the weights change.
func (t *JacobianTrainer) Step(step int) (StepLog, error) {
	e, err := t.forward(step)
	if err != nil {
		return e, err
	}
	if e.Extra, err = t.mon.stats64(t.Net.Params()); err != nil {
		return e, fmt.Errorf("step %d: monitor: %w", step, err)
	}
	if err := t.update(step); err != nil {
		return e, err
	}
	if !finite64(t.delta) {
		return e, errDiverged{fmt.Errorf("step %d: %w in the update", step, ErrNonFinite)}
	}
	if err := t.Opt.Update(t.Net.Params(), t.delta); err != nil {
		return e, err
	}
	return e, nil
}

// SingularValues returns the singular values of the last step's stacked
// Jacobian in decreasing order (√ of the Gram eigenvalues on the Gram
// route); the slice is owned by t and overwritten by the next step.
func (t *JacobianTrainer) SingularValues() []float64 {
	if t.LastPath == "gram" {
		return t.gram.sv
	}
	return t.solver.sv
}

// update writes the step's Δθ = J^{-p}·g into t.delta. A wide J (fewer
// rows than weights, HIG's usual case) takes the Gram route: G = J·Jᵀ from
// the network's layer factors (nn.Net.ParamGram, J is never formed), its
// eigen-decomposition, and Δθ = Jᵀc by one backward pass
// (nn.Net.ParamVJPSum); on R7 that is 128 × 128 work instead of a
// factorisation of the 128 × 1,444 J. Squaring J squares its condition
// number, so when G has eigenvalues below gramResolvable·λmax that the cut
// could keep, the step falls back to the exact path, the LQ/SVD of the
// stacked J (pinvSolver), as it does for a tall J and with ExactOnly.
func (t *JacobianTrainer) update(step int) error {
	if err := t.physicsJacobian(step); err != nil {
		return err
	}
	if v := len(t.g); !t.ExactOnly && v < len(t.delta) {
		if len(t.coef) != v {
			t.coef, t.gram.gram = make([]float64, v), make([]float64, v*v)
		}
		kept, err := t.gramUpdate(step)
		switch {
		case err == nil:
			t.Kept, t.LastPath = kept, "gram"
			t.GramSteps++
			return nil
		case errors.Is(err, ErrNonFinite):
			return errDiverged{fmt.Errorf("step %d: %w", step, err)}
		case !errors.Is(err, errUnresolved):
			return fmt.Errorf("step %d: %w", step, err)
		}
	}
	if err := t.networkRows(step); err != nil {
		return err
	}
	kept, err := t.solver.apply(t.delta, t.rows, len(t.g), len(t.delta), t.g, t.s.Tau, t.power)
	if errors.Is(err, ErrNonFinite) {
		return errDiverged{fmt.Errorf("step %d: %w", step, err)}
	}
	if err != nil {
		return fmt.Errorf("step %d: %w", step, err)
	}
	t.Kept, t.LastPath = kept, "exact"
	t.ExactSteps++
	return nil
}

// gramUpdate is update's Gram route; errUnresolved sends it to the exact
// path.
func (t *JacobianTrainer) gramUpdate(step int) (int, error) {
	ys, v := t.task.YSize(), len(t.g)
	if err := t.Net.ParamGram(t.gram.gram, t.in, t.jp, ys); err != nil {
		return 0, fmt.Errorf("step %d: network Gram matrix: %w", step, err)
	}
	kept, err := t.gram.coefficients(t.coef, t.gram.gram, v, t.g, t.s.Tau, t.power)
	if err != nil {
		return 0, err
	}
	if err := t.Net.ParamVJPSum(t.delta, t.in, t.jp, t.coef, ys); err != nil {
		return 0, fmt.Errorf("step %d: network backward: %w", step, err)
	}
	return kept, nil
}
