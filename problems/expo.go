package problems

import (
	"fmt"
	"math"

	"github.com/physgrad/physgrad/nn"
	"github.com/physgrad/physgrad/physics/expo"
	"github.com/physgrad/physgrad/train"
)

// ExpTask is the exponential problem R3: a 1-16-64-16-1 sigmoid MLP maps
// y = exp(x), x ~ U[−12, 0], back to x. SIP's inverse is a per-sample step
// in x chosen by Step (Newton, Newton clipped to 0.1, or a sign step).
type ExpTask struct {
	plainOutput
	Step expo.Step
}

var _ train.Task = (*ExpTask)(nil)

// ExpLow and ExpHigh bound x in R3.
const (
	ExpLow  = -12.0
	ExpHigh = 0.0
)

// Name is "exp".
func (t *ExpTask) Name() string { return "exp" }

// Config names the SIP step variant.
func (t *ExpTask) Config() string { return fmt.Sprintf("step=%d", t.Step) }

// XSize is 1.
func (t *ExpTask) XSize() int { return 1 }

// YSize is 1.
func (t *ExpTask) YSize() int { return 1 }

// NewNet builds the 1-16-64-16-1 sigmoid MLP.
func (t *ExpTask) NewNet(seed uint64) (*nn.Net[float32], error) {
	return nn.NewMLP[float32]([]int{1, 16, 64, 16, 1}, nn.Sigmoid, seed)
}

// Batch draws x ~ U[−12, 0]; the input and target are exp(x).
func (t *ExpTask) Batch(seed uint64, step, batch int, in []float32, xTrue, yTarget []float64) error {
	r := stepRNG(seed, step)
	for i := 0; i < batch; i++ {
		xTrue[i] = ExpLow + (ExpHigh-ExpLow)*r.Float64()
		yTarget[i] = math.Exp(xTrue[i])
		in[i] = float32(yTarget[i])
	}
	return nil
}

// Forward is exp.
func (t *ExpTask) Forward(y, x []float64, batch int) error {
	for i, v := range x {
		y[i] = math.Exp(v)
	}
	return nil
}

// VJP is exp(x)·dy.
func (t *ExpTask) VJP(dx, x, dy []float64, batch int) error {
	for i, v := range x {
		dx[i] = math.Exp(v) * dy[i]
	}
	return nil
}

// SIPTarget is x + the per-sample step.
func (t *ExpTask) SIPTarget(xt, x, y, yTarget []float64, batch int) error {
	for i, v := range x {
		xt[i] = v + expo.SIPStep(t.Step, v, yTarget[i])
	}
	return nil
}

// Metrics: batch means of |x − x*|, ½(x − x*)², ½(y − y*)².
func (t *ExpTask) Metrics(x, xTrue, y, yTarget []float64, batch int) train.Metrics {
	return fieldMetrics(x, xTrue, y, yTarget, batch)
}

// Conventions: batch-mean loss, L2 proxy, Adam 1e-3, batch 100.
func (t *ExpTask) Conventions() train.Conventions {
	return train.Conventions{BatchMean: true, LR: 1e-3, Batch: 100}
}

// ExpError evaluates a trained network on n points evenly spaced over
// [−12, 0] and returns the points and |f(exp(x)) − x| at each.
func ExpError(net *nn.Net[float32], n int) (xs, errs []float64, err error) {
	in := make([]float32, n)
	out := make([]float32, n)
	xs = make([]float64, n)
	for i := range xs {
		xs[i] = ExpLow + (ExpHigh-ExpLow)*float64(i)/float64(n-1)
		in[i] = float32(math.Exp(xs[i]))
	}
	net.SetTraining(false)
	defer net.SetTraining(true)
	if err := net.Forward(out, in); err != nil {
		return nil, nil, err
	}
	errs = make([]float64, n)
	for i := range errs {
		errs[i] = math.Abs(float64(out[i]) - xs[i])
	}
	return xs, errs, nil
}
