package problems

import (
	"fmt"
	"math"

	"github.com/physgrad/physgrad/nn"
	"github.com/physgrad/physgrad/train"
)

// HIGToyTask is R8, the HIG paper's toy problem: a 1-7-2 tanh MLP maps
// t ∈ [−1, 1] to x = (x1, x2), the physics scales the second component,
// P(x) = (x1, λ·x2), and the target is y* = (sin 6t, cos 9t), so the loss is
// ½(sin 6t − x1)² + ½(cos 9t − λ·x2)². Small λ makes the problem
// ill-conditioned: the second output has to grow to cos(9t)/λ through
// weights it shares with the first. The true x is (sin 6t, cos(9t)/λ).
//
// Each step draws a fresh batch of t uniformly from [−1, 1]. Every step
// also logs statistics of a fixed validation grid (see Monitor): the mean
// and spread of the 7 hidden tanh activations, whose spread falls to zero
// when the neurons saturate, and the validation loss.
type HIGToyTask struct {
	plainOutput
	Lambda float64
}

var (
	_ train.JacobianTask = (*HIGToyTask)(nil)
	_ train.Monitor      = (*HIGToyTask)(nil)
)

// HIGToy constants: the hidden width, the validation grid, HIG's τ on this
// problem (not published; chosen in docs/higtoy.md) and the batch size of
// every method.
const (
	HIGToyHidden     = 7
	HIGToyValidation = 256
	HIGToyTau        = 1e-6
	HIGToyBatch      = 256
)

// NewHIGToyTask returns R8 with the physics factor λ (published: 1 and
// 0.01).
func NewHIGToyTask(lambda float64) (*HIGToyTask, error) {
	if !(lambda > 0) || math.IsInf(lambda, 0) {
		return nil, fmt.Errorf("higtoy: λ must be a positive finite number, got %v", lambda)
	}
	return &HIGToyTask{Lambda: lambda}, nil
}

// Name is "higtoy".
func (t *HIGToyTask) Name() string { return "higtoy" }

// Config names λ, so that checkpoints resume only the same problem.
func (t *HIGToyTask) Config() string { return fmt.Sprintf("lambda=%g", t.Lambda) }

// XSize is 2.
func (t *HIGToyTask) XSize() int { return 2 }

// YSize is 2.
func (t *HIGToyTask) YSize() int { return 2 }

var higToySizes = []int{1, HIGToyHidden, 2}

// NewNet builds the 1-7-2 tanh MLP.
func (t *HIGToyTask) NewNet(seed uint64) (*nn.Net[float32], error) {
	return nn.NewMLP[float32](higToySizes, nn.Tanh, seed)
}

// NewNet64 is NewNet in float64, from the same draw.
func (t *HIGToyTask) NewNet64(seed uint64) (*nn.Net[float64], error) {
	return nn.NewMLP[float64](higToySizes, nn.Tanh, seed)
}

// target writes y* and the true x of the input v.
func (t *HIGToyTask) target(y, x []float64, v float64) {
	y[0], y[1] = math.Sin(6*v), math.Cos(9*v)
	x[0], x[1] = y[0], y[1]/t.Lambda
}

// Batch draws t ~ U(−1, 1); the targets are those of the float32 input the
// network sees.
func (t *HIGToyTask) Batch(seed uint64, step, batch int, in []float32, xTrue, yTarget []float64) error {
	r := stepRNG(seed, step)
	for i := 0; i < batch; i++ {
		in[i] = float32(2*r.Float64() - 1)
		t.target(yTarget[2*i:2*i+2], xTrue[2*i:2*i+2], float64(in[i]))
	}
	return nil
}

// Decode64 copies the network output.
func (t *HIGToyTask) Decode64(x, out, yTarget []float64, batch int) { copy(x, out) }

// Forward is P(x) = (x1, λ·x2).
func (t *HIGToyTask) Forward(y, x []float64, batch int) error {
	for i := 0; i < batch; i++ {
		y[2*i], y[2*i+1] = x[2*i], t.Lambda*x[2*i+1]
	}
	return nil
}

// VJP is Jᵀ·dy = (dy1, λ·dy2).
func (t *HIGToyTask) VJP(dx, x, dy []float64, batch int) error {
	for i := 0; i < batch; i++ {
		dx[2*i], dx[2*i+1] = dy[2*i], t.Lambda*dy[2*i+1]
	}
	return nil
}

// PhysicsJacobian is diag(1, λ) per sample.
func (t *HIGToyTask) PhysicsJacobian(jac, x, yTarget []float64, batch int) error {
	for i := 0; i < batch; i++ {
		j := jac[4*i : 4*i+4]
		j[0], j[1], j[2], j[3] = 1, 0, 0, t.Lambda
	}
	return nil
}

// SIPTarget is the exact inverse of the full y-space step, (y1*, y2*/λ).
func (t *HIGToyTask) SIPTarget(xt, x, y, yTarget []float64, batch int) error {
	for i := 0; i < batch; i++ {
		xt[2*i], xt[2*i+1] = yTarget[2*i], yTarget[2*i+1]/t.Lambda
	}
	return nil
}

// Metrics are the batch means of the per-sample errors.
func (t *HIGToyTask) Metrics(x, xTrue, y, yTarget []float64, batch int) train.Metrics {
	var m train.Metrics
	for i := range x {
		d := x[i] - xTrue[i]
		m.XL1 += math.Abs(d)
		m.XL2 += 0.5 * d * d
		e := y[i] - yTarget[i]
		m.YL2 += 0.5 * e * e
	}
	n := float64(batch)
	m.XL1, m.XL2, m.YL2 = m.XL1/n, m.XL2/n, m.YL2/n
	return m
}

// Conventions: loss averaged over the batch, Adam 1e-3 (PyTorch's default;
// R8's rate is not published), batch 256 for every method, τ = HIGToyTau.
func (t *HIGToyTask) Conventions() train.Conventions {
	return train.Conventions{BatchMean: true, LR: 1e-3, Batch: HIGToyBatch, HIGBatch: HIGToyBatch, Tau: HIGToyTau}
}

// MonitorNames are the validation statistics of Monitor.
func (t *HIGToyTask) MonitorNames() []string {
	return []string{"act_mean", "act_std", "val_loss", "act_sat"}
}

// saturated is the |tanh| above which a hidden activation counts as
// saturated: its derivative 1 − a² is below 0.02.
const saturated = 0.99

// Monitor evaluates the network with weights params on the validation grid
// t_k = −1 + 2k/255 and returns the mean of the hidden activations over
// all neurons and points, the per-neuron standard deviation over the
// points averaged over the neurons (→ 0 when every neuron is stuck at one
// value), the mean loss, and the fraction of activations (neurons × points)
// that are saturated, |a| > 0.99 (→ 1 when every neuron saturates, stuck or
// switching between ±1). params has NewMLP's layout: W1 [7×1], b1,
// W2 [2×7], b2.
func (t *HIGToyTask) Monitor(params []float64) ([]float64, error) {
	h := HIGToyHidden
	if len(params) != 3*h+2*h+2-h {
		return nil, fmt.Errorf("higtoy: %d weights, the 1-%d-2 network has %d", len(params), h, 4*h+2)
	}
	w1, b1, w2, b2 := params[:h], params[h:2*h], params[2*h:4*h], params[4*h:]
	var sum, loss, sat float64
	var nsum, nsq [HIGToyHidden]float64
	a := make([]float64, h)
	y, x := make([]float64, 2), make([]float64, 2)
	for k := 0; k < HIGToyValidation; k++ {
		v := -1 + 2*float64(k)/float64(HIGToyValidation-1)
		for j := range a {
			a[j] = math.Tanh(w1[j]*v + b1[j])
			sum += a[j]
			nsum[j] += a[j]
			nsq[j] += a[j] * a[j]
			if math.Abs(a[j]) > saturated {
				sat++
			}
		}
		o0, o1 := b2[0], b2[1]
		for j, aj := range a {
			o0 += w2[j] * aj
			o1 += w2[h+j] * aj
		}
		t.target(y, x, v)
		d0, d1 := y[0]-o0, y[1]-t.Lambda*o1
		loss += 0.5 * (d0*d0 + d1*d1)
	}
	n := float64(HIGToyValidation)
	var std float64
	for j := range nsum {
		mean := nsum[j] / n
		std += math.Sqrt(max(nsq[j]/n-mean*mean, 0))
	}
	return []float64{sum / (n * float64(h)), std / float64(h), loss / n, sat / (n * float64(h))}, nil
}
