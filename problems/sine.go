package problems

import (
	"fmt"
	"math"

	"github.com/physgrad/physgrad/nn"
	"github.com/physgrad/physgrad/physics/sine"
	"github.com/physgrad/physgrad/train"
)

// SineTask is the sine characterisation R4 as a training task: a 2-32-64-32-2
// ReLU MLP maps targets y* ~ U(-1, 1)² to x. SIP's inverse is the per-sample
// Newton step on the composite loss with max_loss_change 0.2 and an L1 proxy
// loss; metrics are to the closest exact solution.
type SineTask struct {
	plainOutput
	Xi, Phi float64
	sim     *sine.Sine
}

var _ train.Task = (*SineTask)(nil)

// MaxLossChange is the published cap of SIP's Newton step on R4.
const MaxLossChange = 0.2

// NewSineTask returns R4 with conditioning xi and angle phi (degrees).
func NewSineTask(xi, phi float64) (*SineTask, error) {
	s, err := sine.New(xi, phi)
	if err != nil {
		return nil, err
	}
	return &SineTask{Xi: xi, Phi: phi, sim: s}, nil
}

// Name is "sin".
func (t *SineTask) Name() string { return "sin" }

// Config names ξ and φ, so that checkpoints resume only the same problem.
func (t *SineTask) Config() string { return fmt.Sprintf("xi=%g phi=%g", t.Xi, t.Phi) }

// XSize is 2.
func (t *SineTask) XSize() int { return 2 }

// YSize is 2.
func (t *SineTask) YSize() int { return 2 }

// NewNet builds the published dense_net(2, 2, [32, 64, 32]) with ReLU.
func (t *SineTask) NewNet(seed uint64) (*nn.Net[float32], error) {
	return nn.NewMLP[float32]([]int{2, 32, 64, 32, 2}, nn.ReLU, seed)
}

// Batch draws targets y* ~ U(-1, 1)²; the network input is y*.
func (t *SineTask) Batch(seed uint64, step, batch int, in []float32, xTrue, yTarget []float64) error {
	r := stepRNG(seed, step)
	for i := 0; i < 2*batch; i++ {
		yTarget[i] = 2*r.Float64() - 1
		in[i] = float32(yTarget[i])
	}
	for i := range xTrue {
		xTrue[i] = math.NaN()
	}
	return nil
}

// Forward applies P per sample.
func (t *SineTask) Forward(y, x []float64, batch int) error {
	for b := 0; b < batch; b++ {
		if err := t.sim.Forward(y[2*b:2*b+2], x[2*b:2*b+2]); err != nil {
			return err
		}
	}
	return nil
}

// VJP applies Jᵀ per sample.
func (t *SineTask) VJP(dx, x, dy []float64, batch int) error {
	for b := 0; b < batch; b++ {
		if err := t.sim.VJP(dx[2*b:2*b+2], x[2*b:2*b+2], dy[2*b:2*b+2]); err != nil {
			return err
		}
	}
	return nil
}

// SIPTarget is x + the per-sample Newton step.
func (t *SineTask) SIPTarget(xt, x, y, yTarget []float64, batch int) error {
	for b := 0; b < batch; b++ {
		d := xt[2*b : 2*b+2]
		if err := t.sim.NewtonStep(d, x[2*b:2*b+2], yTarget[2*b:2*b+2], MaxLossChange); err != nil {
			return err
		}
		d[0] += x[2*b]
		d[1] += x[2*b+1]
	}
	return nil
}

// Metrics measures x against the closest exact solution of each target.
func (t *SineTask) Metrics(x, xTrue, y, yTarget []float64, batch int) train.Metrics {
	var m train.Metrics
	for b := 0; b < batch; b++ {
		c0, c1 := t.sim.Closest(x[2*b], x[2*b+1], yTarget[2*b], yTarget[2*b+1])
		d0, d1 := x[2*b]-c0, x[2*b+1]-c1
		m.XL1 += math.Abs(d0) + math.Abs(d1)
		m.XL2 += 0.5 * (d0*d0 + d1*d1)
		e0, e1 := y[2*b]-yTarget[2*b], y[2*b+1]-yTarget[2*b+1]
		m.YL2 += 0.5 * (e0*e0 + e1*e1)
	}
	n := float64(batch)
	m.XL1, m.XL2, m.YL2 = m.XL1/n, m.XL2/n, m.YL2/n
	return m
}

// Conventions: loss.mean().backward(), L1 proxy, Adam 1e-3, batch 100.
func (t *SineTask) Conventions() train.Conventions {
	return train.Conventions{BatchMean: true, ProxyL1: true, NoTruth: true, LR: 1e-3, Batch: 100}
}
