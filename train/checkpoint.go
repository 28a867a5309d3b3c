package train

import (
	"bytes"
	"encoding"
	"encoding/gob"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/physgrad/physgrad/nn"
	"github.com/physgrad/physgrad/opt"
)

// CheckpointFile is the checkpoint's file name inside its folder.
const CheckpointFile = "checkpoint.gob"

// Checkpoint is the complete state of a run after a step: enough to
// continue it bit for bit.
type Checkpoint struct {
	// Task is the task's name and TaskConfig its parameters (see Configured).
	Task, TaskConfig, Architecture string
	Method, Optimizer              string
	LR                             float64
	Batch                          int
	Seed                           uint64
	// Init is Settings.InitLabel: where the run's initial weights came from.
	Init string
	// Step is the last completed step.
	Step int
	// Net is the network's own encoding (weights and batch-norm buffers).
	Net []byte
	// Opt is the gob encoding of the optimiser with its state.
	Opt []byte
	Log []StepLog
}

func netState[T nn.Float](net *nn.Net[T]) ([]byte, error) {
	if m, ok := any(net).(encoding.BinaryMarshaler); ok {
		return m.MarshalBinary()
	}
	var buf bytes.Buffer
	err := gob.NewEncoder(&buf).Encode(net.Params())
	return buf.Bytes(), err
}

func setNetState[T nn.Float](net *nn.Net[T], b []byte) error {
	if u, ok := any(net).(encoding.BinaryUnmarshaler); ok {
		return u.UnmarshalBinary(b)
	}
	var p []T
	if err := gob.NewDecoder(bytes.NewReader(b)).Decode(&p); err != nil {
		return err
	}
	if len(p) != len(net.Params()) {
		return fmt.Errorf("checkpoint has %d weights, network %d", len(p), len(net.Params()))
	}
	copy(net.Params(), p)
	return nil
}

// saveCheckpoint writes the checkpoint atomically: a temporary file in the
// same folder, fsync, rename, fsync of the folder.
func saveCheckpoint[T nn.Float](dir string, task Task, s Settings, step int, net *nn.Net[T], o opt.Optimizer[T], log []StepLog) error {
	_, optName, _ := parseMethod(s.Method, s.Optimizer)
	ns, err := netState(net)
	if err != nil {
		return err
	}
	var ob bytes.Buffer
	if err := gob.NewEncoder(&ob).Encode(o); err != nil {
		return err
	}
	c := Checkpoint{Task: task.Name(), TaskConfig: taskConfig(task), Architecture: net.Architecture(), Method: s.Method, Optimizer: optName, Init: s.InitLabel,
		LR: s.LR, Batch: s.Batch, Seed: s.Seed, Step: step, Net: ns, Opt: ob.Bytes(), Log: log}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, "."+CheckpointFile+".tmp-")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	// CreateTemp makes the file private (0600); a checkpoint is an output
	// like the CSVs and plots next to it.
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return err
	}
	if err := gob.NewEncoder(tmp).Encode(&c); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), filepath.Join(dir, CheckpointFile)); err != nil {
		return err
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}

// Configured is implemented by tasks with parameters; a checkpoint only
// resumes a task with the same configuration.
type Configured interface {
	Config() string
}

func taskConfig(t Task) string {
	if c, ok := t.(Configured); ok {
		return c.Config()
	}
	return ""
}

// LoadCheckpoint reads the checkpoint in dir.
func LoadCheckpoint(dir string) (*Checkpoint, error) {
	f, err := os.Open(filepath.Join(dir, CheckpointFile))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var c Checkpoint
	if err := gob.NewDecoder(f).Decode(&c); err != nil {
		return nil, fmt.Errorf("%s: not a physgrad checkpoint: %v", filepath.Join(dir, CheckpointFile), err)
	}
	return &c, nil
}

// ErrMismatch is wrapped by errors for a checkpoint from another problem,
// method or network.
var ErrMismatch = errors.New("checkpoint does not match")

// Check returns an ErrMismatch error unless the checkpoint belongs to this
// task, network and method.
func (c *Checkpoint) Check(task Task, s Settings) error {
	net, err := task.NewNet(s.Seed)
	if err != nil {
		return err
	}
	_, optName, err := parseMethod(s.Method, s.Optimizer)
	if err != nil {
		return err
	}
	switch {
	case c.Task != task.Name():
		return fmt.Errorf("%w: it is from problem %q, not %q", ErrMismatch, c.Task, task.Name())
	case c.TaskConfig != taskConfig(task):
		return fmt.Errorf("%w: its problem parameters are %q, not %q", ErrMismatch, c.TaskConfig, taskConfig(task))
	case c.Architecture != net.Architecture():
		return fmt.Errorf("%w: its network is %s, this one is %s", ErrMismatch, c.Architecture, net.Architecture())
	case c.Method != s.Method || c.Optimizer != optName:
		return fmt.Errorf("%w: it is from method %s (%s), not %s (%s)", ErrMismatch, c.Method, c.Optimizer, s.Method, optName)
	case c.Batch != s.Batch && s.Batch != 0:
		return fmt.Errorf("%w: its batch size is %d, not %d", ErrMismatch, c.Batch, s.Batch)
	case c.Seed != s.Seed:
		return fmt.Errorf("%w: its seed is %d, not %d", ErrMismatch, c.Seed, s.Seed)
	}
	// Decode into a fresh network and optimiser, so that a damaged file is
	// found before any work rather than in the middle of a run.
	if s.Method == "hig" || s.Method == "gn" {
		jt, ok := task.(JacobianTask)
		if !ok {
			return fmt.Errorf("%w: problem %s has no per-sample Jacobians", ErrMismatch, task.Name())
		}
		n64, err := jt.NewNet64(s.Seed)
		if err != nil {
			return err
		}
		o64, err := opt.New[float64]("sgd", opt.Settings{LR: 1})
		if err != nil {
			return err
		}
		return decodeState(c, n64, o64)
	}
	o, err := opt.New[float32](optName, opt.Settings{LR: 1})
	if err != nil {
		return err
	}
	return decodeState(c, net, o)
}

func decodeState[T nn.Float](c *Checkpoint, net *nn.Net[T], o opt.Optimizer[T]) error {
	if err := setNetState(net, c.Net); err != nil {
		return fmt.Errorf("checkpoint network: %w", err)
	}
	if err := gob.NewDecoder(bytes.NewReader(c.Opt)).Decode(o); err != nil {
		return fmt.Errorf("checkpoint optimiser: %w", err)
	}
	return nil
}

func restore[T nn.Float](c *Checkpoint, task Task, s Settings, net *nn.Net[T], o opt.Optimizer[T]) error {
	if err := c.Check(task, s); err != nil {
		return err
	}
	return decodeState(c, net, o)
}
