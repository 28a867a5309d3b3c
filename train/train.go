package train

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/physgrad/physgrad/nn"
	"github.com/physgrad/physgrad/opt"
)

// Settings of one training run. Zero fields take the task's published
// conventions (learning rate, batch size).
type Settings struct {
	// Method is "sip", "supervised", "dp" (DP with Adam), the name of a
	// weight optimiser ("adam", "sgd", "momentum", "rmsprop", "adagrad",
	// "adadelta"), meaning DP with that optimiser, or "hig" / "gn"
	// (half-inverse gradients and Gauss-Newton on the stacked per-sample
	// Jacobian of network and physics, see NewJacobianTrainer).
	Method string
	// Optimizer is the weight optimiser of sip, supervised and dp
	// (default adam).
	Optimizer string
	LR        float64
	Batch     int
	// Steps is the number of training steps; TimeLimit, if > 0, stops
	// earlier. At least one of the two must be set.
	Steps     int
	TimeLimit time.Duration
	// Seed fixes the initial weights and the data stream.
	Seed uint64
	// OnStep, if set, is called after every step with its log entry.
	OnStep func(StepLog)
	// Checkpoint, if set, is a folder where the run keeps a checkpoint of
	// weights and optimiser state, every CheckpointEvery steps (default 10)
	// and at the end.
	Checkpoint      string
	CheckpointEvery int
	// CheckpointInterval, if > 0, skips periodic checkpoints until that
	// much time has passed since the last one (the checkpoint carries the
	// whole log, so fast runs would otherwise spend their time writing).
	CheckpointInterval time.Duration
	// Resume continues from a checkpoint (see LoadCheckpoint).
	Resume *Checkpoint
	// Tau is the relative singular-value cut of hig and gn (0: the task's
	// Conventions.Tau, else DefaultTau).
	Tau float64
	// MaxJacobianBytes caps the stacked Jacobian of hig and gn (0:
	// DefaultMaxJacobianBytes); a larger one fails before any work.
	MaxJacobianBytes int64
	// InitWeights, if set, replaces the seed's initial weights: all the
	// network's parameters in its layout (for the U-Net PyTorch's
	// state_dict order, so a torch initialisation can be reproduced). The
	// seed still fixes the data stream; Resume overrides InitWeights.
	// problems.TorchUNetWeights (the authors' initial U-Net) and
	// problems.ReadWeights (a .npy file) provide them.
	InitWeights []float32
	// InitLabel says where the initial weights came from (the CLI's --init
	// value); checkpoints record it, so a resumed command can start a
	// method that has no checkpoint yet the same way.
	InitLabel string
}

// StepLog is one step's record. x metrics are those of the prediction
// before the weight update; Loss is the batch mean of the loss that was
// back-propagated.
type StepLog struct {
	Step    int     `json:"step"`
	Seconds float64 `json:"seconds"`
	XL1     float64 `json:"x_l1"`
	XL2     float64 `json:"x_l2"`
	YL2     float64 `json:"y_l2"`
	Loss    float64 `json:"loss"`
	// Extra holds the task's own statistics (see Monitor), in the order of
	// its MonitorNames.
	Extra []float64 `json:"extra,omitempty"`
}

// Status says how a training run ended.
type Status int

const (
	// Done means all steps were taken.
	Done Status = iota
	// TimeLimit means the time limit stopped the run.
	TimeLimit
	// Diverged means a non-finite output, loss or gradient stopped it.
	Diverged
	// Failed means an error stopped it.
	Failed
)

// String names the status.
func (s Status) String() string { return [...]string{"done", "time-limit", "diverged", "failed"}[s] }

// Result of a run.
type Result struct {
	Method string
	Log    []StepLog
	Status Status
	Err    error
	Net    *nn.Net[float32]
	// Optimizer is the weight optimiser with its final state.
	Optimizer opt.Optimizer[float32]
	// Net64 and Optimizer64 replace Net and Optimizer for hig and gn,
	// which train in float64.
	Net64       *nn.Net[float64]
	Optimizer64 opt.Optimizer[float64]
}

// Kind is what a method back-propagates.
type kind int

const (
	kindSIP kind = iota
	kindDP
	kindSupervised
	kindHIG
	kindGN
)

// parseMethod splits a method name into its kind and optimiser.
func parseMethod(name, optimizer string) (kind, string, error) {
	if optimizer == "" {
		optimizer = "adam"
	}
	switch name {
	case "sip":
		return kindSIP, optimizer, nil
	case "supervised":
		return kindSupervised, optimizer, nil
	case "dp":
		return kindDP, optimizer, nil
	case "hig":
		return kindHIG, "sgd", nil
	case "gn":
		return kindGN, "sgd", nil
	}
	for _, o := range opt.Names() {
		if name == o {
			return kindDP, o, nil
		}
	}
	return 0, "", fmt.Errorf("unknown training method %q (known: %s)", name, strings.Join(MethodNames(), ", "))
}

// MethodNames lists the training methods.
func MethodNames() []string {
	return append([]string{"sip", "supervised", "dp", "hig", "gn"}, opt.Names()...)
}

// CheckMethod returns an error for an unknown method name.
func CheckMethod(name string) error {
	_, _, err := parseMethod(name, "")
	return err
}

// ErrNonFinite is wrapped by the error of a diverged run.
var ErrNonFinite = errors.New("non-finite value")

// errDiverged marks step errors that mean divergence rather than failure.
type errDiverged struct{ error }

func (e errDiverged) Unwrap() error { return e.error }

// Trainer holds one run's network, optimiser and buffers; Step takes one
// training step. Run drives it; benchmarks time Step alone.
type Trainer struct {
	task Task
	s    Settings
	conv Conventions
	kind kind
	Net  *nn.Net[float32]
	Opt  opt.Optimizer[float32]
	mon  *monitor
	// buffers, sized for one batch
	in, out, dout           []float32
	xTrue, yT, x, y, dx, dy []float64
}

// NewTrainer prepares a run: it builds the network from the seed, the
// optimiser, and all buffers, and restores s.Resume if set.
func NewTrainer(task Task, s Settings) (*Trainer, error) {
	k, optName, err := parseMethod(s.Method, s.Optimizer)
	if err != nil {
		return nil, err
	}
	if k == kindHIG || k == kindGN {
		return nil, fmt.Errorf("train: %s trains in float64 outside Trainer (see Run)", s.Method)
	}
	conv := task.Conventions()
	if s.LR == 0 {
		s.LR = conv.LR
	}
	if s.Batch == 0 {
		s.Batch = conv.Batch
	}
	if s.Batch < 1 {
		return nil, fmt.Errorf("train: batch size must be ≥ 1, got %d", s.Batch)
	}
	if k == kindSupervised && conv.NoTruth {
		return nil, fmt.Errorf("supervised: problem %s has no ground-truth x", task.Name())
	}
	net, err := task.NewNet(s.Seed)
	if err != nil {
		return nil, err
	}
	if err := setInitWeights(net, s.InitWeights); err != nil {
		return nil, err
	}
	o, err := opt.New[float32](optName, opt.Settings{LR: s.LR})
	if err != nil {
		return nil, err
	}
	if s.Resume != nil {
		if err := restore(s.Resume, task, s, net, o); err != nil {
			return nil, err
		}
	}
	b, xs, ys := s.Batch, task.XSize(), task.YSize()
	t := &Trainer{task: task, s: s, conv: conv, kind: k, Net: net, Opt: o, mon: newMonitor(task),
		in: make([]float32, b*net.InSize()), out: make([]float32, b*net.OutSize()), dout: make([]float32, b*net.OutSize()),
		xTrue: make([]float64, b*xs), yT: make([]float64, b*ys), x: make([]float64, b*xs), y: make([]float64, b*ys),
		dx: make([]float64, b*xs), dy: make([]float64, b*ys)}
	if err := net.Prepare(b); err != nil {
		return nil, err
	}
	return t, nil
}

// Step takes training step number step (its batch is a function of the
// seed and step) and returns its log entry without the time. A non-finite
// network output, loss or gradient returns an ErrNonFinite error before
// the weights change.
func (t *Trainer) Step(step int) (StepLog, error) {
	b, task := t.s.Batch, t.task
	if err := task.Batch(t.s.Seed, step, b, t.in, t.xTrue, t.yT); err != nil {
		return StepLog{}, fmt.Errorf("step %d: data: %w", step, err)
	}
	t.Net.ZeroGrad()
	if err := t.Net.Forward(t.out, t.in); err != nil {
		return StepLog{}, fmt.Errorf("step %d: network: %w", step, err)
	}
	x, y, dx, dy := t.x, t.y, t.dx, t.dy
	task.Decode(x, t.out, t.yT, b)
	if !finite64(x) {
		return StepLog{}, errDiverged{fmt.Errorf("step %d: %w in the network output", step, ErrNonFinite)}
	}
	if err := task.Forward(y, x, b); err != nil {
		return StepLog{}, fmt.Errorf("step %d: physics: %w", step, err)
	}
	m := task.Metrics(x, t.xTrue, y, t.yT, b)
	var lossSum float64
	switch t.kind {
	case kindSIP:
		if err := task.SIPTarget(dx, x, y, t.yT, b); err != nil {
			return StepLog{}, fmt.Errorf("step %d: inverse: %w", step, err)
		}
		for i := range dx {
			d := x[i] - dx[i]
			if t.conv.ProxyL1 {
				lossSum += math.Abs(d)
				dx[i] = sign(d)
			} else {
				lossSum += 0.5 * d * d
				dx[i] = d
			}
		}
	case kindDP:
		for i := range dy {
			d := y[i] - t.yT[i]
			lossSum += 0.5 * d * d
			dy[i] = d
		}
		if err := task.VJP(dx, x, dy, b); err != nil {
			return StepLog{}, fmt.Errorf("step %d: adjoint: %w", step, err)
		}
	case kindSupervised:
		for i := range dx {
			d := x[i] - t.xTrue[i]
			lossSum += 0.5 * d * d
			dx[i] = d
		}
	}
	entry := StepLog{Step: step, XL1: m.XL1, XL2: m.XL2, YL2: m.YL2, Loss: lossSum / float64(b)}
	var err error
	if entry.Extra, err = t.mon.stats(t.Net.Params()); err != nil {
		return entry, fmt.Errorf("step %d: monitor: %w", step, err)
	}
	if math.IsNaN(entry.Loss) || math.IsInf(entry.Loss, 0) || !finite64(dx) {
		return entry, errDiverged{fmt.Errorf("step %d: %w in the loss or its gradient", step, ErrNonFinite)}
	}
	if t.conv.BatchMean {
		inv := 1 / float64(b)
		for i := range dx {
			dx[i] *= inv
		}
	}
	task.DecodeVJP(t.dout, dx, b)
	if err := t.Net.Backward(nil, t.dout); err != nil {
		return entry, fmt.Errorf("step %d: backward: %w", step, err)
	}
	if !finite32(t.Net.Grads()) {
		return entry, errDiverged{fmt.Errorf("step %d: %w in the weight gradients", step, ErrNonFinite)}
	}
	if err := t.Opt.Update(t.Net.Params(), t.Net.Grads()); err != nil {
		return entry, err
	}
	return entry, nil
}

// Run trains task's network with one method. Every method started from
// the same seed has the same initial weights and sees the same batches.
func Run(task Task, s Settings) *Result {
	r := &Result{Method: s.Method}
	if s.CheckpointEvery <= 0 {
		s.CheckpointEvery = 10
	}
	if s.Steps <= 0 && s.TimeLimit <= 0 {
		r.Status, r.Err = Failed, errors.New("train: set Steps or TimeLimit")
		return r
	}
	if s.Steps <= 0 {
		s.Steps = math.MaxInt32
	}
	if s.Method == "hig" || s.Method == "gn" {
		t, err := NewJacobianTrainer(task, s)
		if err != nil {
			r.Status, r.Err = Failed, err
			return r
		}
		r.Net64, r.Optimizer64 = t.Net, t.Opt
		loop(t.s, r, t.Step, func(step int) error {
			return saveCheckpoint(t.s.Checkpoint, task, t.s, step, t.Net, t.Opt, r.Log)
		})
		return r
	}
	t, err := NewTrainer(task, s)
	if err != nil {
		r.Status, r.Err = Failed, err
		return r
	}
	r.Net, r.Optimizer = t.Net, t.Opt
	loop(t.s, r, t.Step, func(step int) error {
		return saveCheckpoint(t.s.Checkpoint, task, t.s, step, t.Net, t.Opt, r.Log)
	})
	return r
}

// loop runs the steps of a prepared trainer: time limit, log, progress
// callback and checkpoints. save writes the checkpoint after a step.
func loop(s Settings, r *Result, step func(int) (StepLog, error), save func(int) error) {
	first, offset := 0, 0.0 // offset: seconds trained before a resume
	if s.Resume != nil {
		r.Log = append(r.Log, s.Resume.Log...)
		first = s.Resume.Step + 1
		if n := len(r.Log); n > 0 {
			offset = r.Log[n-1].Seconds
		}
	}
	checkpoint := func(k int) error {
		if s.Checkpoint == "" || k < 0 {
			return nil
		}
		return save(k)
	}
	start := time.Now()
	lastSave := start
	k := first
	for ; k < s.Steps; k++ {
		if s.TimeLimit > 0 && time.Since(start) > s.TimeLimit {
			r.Status = TimeLimit
			break
		}
		entry, err := step(k)
		if err != nil {
			r.Status, r.Err = Failed, err
			var d errDiverged
			if errors.As(err, &d) {
				r.Status = Diverged
			}
			break
		}
		entry.Seconds = offset + time.Since(start).Seconds()
		r.Log = append(r.Log, entry)
		if s.OnStep != nil {
			s.OnStep(entry)
		}
		if (k+1)%s.CheckpointEvery == 0 && time.Since(lastSave) >= s.CheckpointInterval {
			lastSave = time.Now()
			if err := checkpoint(k); err != nil {
				r.Status, r.Err = Failed, fmt.Errorf("step %d: checkpoint: %w", k, err)
				break
			}
		}
	}
	// After a divergence the weights were not updated, but the periodic
	// checkpoint is kept as the last good one.
	if r.Status == Done || r.Status == TimeLimit {
		if err := checkpoint(k - 1); err != nil {
			r.Status, r.Err = Failed, fmt.Errorf("checkpoint: %w", err)
		}
	}
}

func sign(v float64) float64 {
	switch {
	case v > 0:
		return 1
	case v < 0:
		return -1
	}
	return 0
}

func finite64(v []float64) bool {
	for _, e := range v {
		if math.IsNaN(e) || math.IsInf(e, 0) {
			return false
		}
	}
	return true
}

func finite32(v []float32) bool {
	for _, e := range v {
		f := float64(e)
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return false
		}
	}
	return true
}

// ErrInitWeights is wrapped by the error for Settings.InitWeights that do
// not fit the network.
var ErrInitWeights = errors.New("initial weights do not fit the network")

// setInitWeights copies w (if any) over net's parameters.
func setInitWeights[T nn.Float](net *nn.Net[T], w []float32) error {
	if w == nil {
		return nil
	}
	p := net.Params()
	if len(w) != len(p) {
		return fmt.Errorf("%w: %d values for %d parameters", ErrInitWeights, len(w), len(p))
	}
	for i, v := range w {
		if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
			return fmt.Errorf("%w: value %d is %v", ErrInitWeights, i, v)
		}
		p[i] = T(v)
	}
	return nil
}
