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
	// Method is "sip", "supervised", "dp" (DP with Adam), or the name of a
	// weight optimiser ("adam", "sgd", "momentum", "rmsprop", "adagrad",
	// "adadelta"), meaning DP with that optimiser.
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
	// Resume continues from a checkpoint (see LoadCheckpoint).
	Resume *Checkpoint
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
}

// Kind is what a method back-propagates.
type kind int

const (
	kindSIP kind = iota
	kindDP
	kindSupervised
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
	return append([]string{"sip", "supervised", "dp"}, opt.Names()...)
}

// CheckMethod returns an error for an unknown method name.
func CheckMethod(name string) error {
	_, _, err := parseMethod(name, "")
	return err
}

// ErrNonFinite is wrapped by the error of a diverged run.
var ErrNonFinite = errors.New("non-finite value")

// Run trains task's network with one method.
func Run(task Task, s Settings) *Result {
	r := &Result{Method: s.Method}
	k, optName, err := parseMethod(s.Method, s.Optimizer)
	if err != nil {
		r.Status, r.Err = Failed, err
		return r
	}
	conv := task.Conventions()
	if s.LR == 0 {
		s.LR = conv.LR
	}
	if s.Batch == 0 {
		s.Batch = conv.Batch
	}
	if k == kindSupervised && conv.NoTruth {
		r.Status, r.Err = Failed, fmt.Errorf("supervised: problem %s has no ground-truth x", task.Name())
		return r
	}
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
	net, err := task.NewNet(s.Seed)
	if err != nil {
		r.Status, r.Err = Failed, err
		return r
	}
	o, err := opt.New[float32](optName, opt.Settings{LR: s.LR})
	if err != nil {
		r.Status, r.Err = Failed, err
		return r
	}
	r.Net, r.Optimizer = net, o
	first := 0
	offset := 0.0 // seconds already trained before a resume
	if s.Resume != nil {
		if err := s.Resume.restore(task, s, net, o); err != nil {
			r.Status, r.Err = Failed, err
			return r
		}
		r.Log = append(r.Log, s.Resume.Log...)
		first = s.Resume.Step + 1
		if n := len(r.Log); n > 0 {
			offset = r.Log[n-1].Seconds
		}
	}
	b := s.Batch
	xs, ys := task.XSize(), task.YSize()
	in := make([]float32, b*net.InSize())
	out := make([]float32, b*net.OutSize())
	dout := make([]float32, len(out))
	xTrue := make([]float64, b*xs)
	yT := make([]float64, b*ys)
	x := make([]float64, b*xs)
	y := make([]float64, b*ys)
	dx := make([]float64, b*xs)
	dy := make([]float64, b*ys)
	if err := net.Prepare(b); err != nil {
		r.Status, r.Err = Failed, err
		return r
	}
	start := time.Now()
	save := func(step int) error {
		if s.Checkpoint == "" {
			return nil
		}
		return saveCheckpoint(s.Checkpoint, task, s, step, net, o, r.Log)
	}
	step := first
	for ; step < s.Steps; step++ {
		if s.TimeLimit > 0 && time.Since(start) > s.TimeLimit {
			r.Status = TimeLimit
			break
		}
		if err := task.Batch(s.Seed, step, b, in, xTrue, yT); err != nil {
			r.Status, r.Err = Failed, fmt.Errorf("step %d: data: %w", step, err)
			break
		}
		net.ZeroGrad()
		if err := net.Forward(out, in); err != nil {
			r.Status, r.Err = Failed, fmt.Errorf("step %d: network: %w", step, err)
			break
		}
		task.Decode(x, out, yT, b)
		if !finite64(x) {
			r.Status, r.Err = Diverged, fmt.Errorf("step %d: %w in the network output", step, ErrNonFinite)
			break
		}
		if err := task.Forward(y, x, b); err != nil {
			r.Status, r.Err = Failed, fmt.Errorf("step %d: physics: %w", step, err)
			break
		}
		m := task.Metrics(x, xTrue, y, yT, b)
		var lossSum float64
		switch k {
		case kindSIP:
			if err := task.SIPTarget(dx, x, y, yT, b); err != nil {
				r.Status, r.Err = Failed, fmt.Errorf("step %d: inverse: %w", step, err)
				break
			}
			for i := range dx {
				d := x[i] - dx[i]
				if conv.ProxyL1 {
					lossSum += math.Abs(d)
					dx[i] = sign(d)
				} else {
					lossSum += 0.5 * d * d
					dx[i] = d
				}
			}
		case kindDP:
			for i := range dy {
				d := y[i] - yT[i]
				lossSum += 0.5 * d * d
				dy[i] = d
			}
			if err := task.VJP(dx, x, dy, b); err != nil {
				r.Status, r.Err = Failed, fmt.Errorf("step %d: adjoint: %w", step, err)
				break
			}
		case kindSupervised:
			for i := range dx {
				d := x[i] - xTrue[i]
				lossSum += 0.5 * d * d
				dx[i] = d
			}
		}
		if r.Status != Done {
			break
		}
		loss := lossSum / float64(b)
		entry := StepLog{Step: step, Seconds: offset + time.Since(start).Seconds(), XL1: m.XL1, XL2: m.XL2, YL2: m.YL2, Loss: loss}
		if math.IsNaN(loss) || math.IsInf(loss, 0) || !finite64(dx) {
			r.Status, r.Err = Diverged, fmt.Errorf("step %d: %w in the loss or its gradient", step, ErrNonFinite)
			break
		}
		if conv.BatchMean {
			inv := 1 / float64(b)
			for i := range dx {
				dx[i] *= inv
			}
		}
		task.DecodeVJP(dout, dx, b)
		if err := net.Backward(nil, dout); err != nil {
			r.Status, r.Err = Failed, fmt.Errorf("step %d: backward: %w", step, err)
			break
		}
		if !finite32(net.Grads()) {
			r.Status, r.Err = Diverged, fmt.Errorf("step %d: %w in the weight gradients", step, ErrNonFinite)
			break
		}
		if err := o.Update(net.Params(), net.Grads()); err != nil {
			r.Status, r.Err = Failed, err
			break
		}
		entry.Seconds = offset + time.Since(start).Seconds()
		r.Log = append(r.Log, entry)
		if s.OnStep != nil {
			s.OnStep(entry)
		}
		if (step+1)%s.CheckpointEvery == 0 {
			if err := save(step); err != nil {
				r.Status, r.Err = Failed, fmt.Errorf("step %d: checkpoint: %w", step, err)
				break
			}
		}
	}
	// The last good state: after a divergence the weights were not updated.
	if r.Status == Done || r.Status == TimeLimit {
		if err := save(step - 1); err != nil && r.Err == nil {
			r.Status, r.Err = Failed, fmt.Errorf("checkpoint: %w", err)
		}
	}
	return r
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
