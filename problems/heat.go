package problems

import (
	"fmt"

	"github.com/physgrad/physgrad/nn"
	"github.com/physgrad/physgrad/physics/heat"
	"github.com/physgrad/physgrad/train"
)

// HeatTask is the heat inverse problem R6 as a training task: the U-Net
// maps an observed diffused field y* (64×64 periodic, ν·t = 8) to the
// initial field x of 4–10 soft rectangles; each prediction's mean is
// shifted to the target's (diffusion preserves the mean). SIP's inverse is
// the damped probabilistic inverse; physics in float64, network in float32.
type HeatTask struct {
	N     int // grid size per axis
	batch *heat.Batch
	ybuf  []float64 // P(x) recomputed by the fused forward+inverse
}

var _ train.Task = (*HeatTask)(nil)

// NewHeatTask returns R6 on an n×n grid with the published settings.
func NewHeatTask(n int) (*HeatTask, error) {
	if n < 8 || n%8 != 0 {
		return nil, fmt.Errorf("heat: grid size must be a multiple of 8, got %d", n)
	}
	b, err := heat.NewBatch(n, n, heat.Settings{}, 0)
	if err != nil {
		return nil, err
	}
	return &HeatTask{N: n, batch: b}, nil
}

// Name is "heat".
func (t *HeatTask) Name() string { return "heat" }

// XSize is N².
func (t *HeatTask) XSize() int { return t.N * t.N }

// YSize is N².
func (t *HeatTask) YSize() int { return t.N * t.N }

// NewNet builds the authors' U-Net(1, 1).
func (t *HeatTask) NewNet(seed uint64) (*nn.Net[float32], error) {
	return nn.NewUNet[float32](nn.UNetConfig{In: 1, Out: 1, Height: t.N, Width: t.N, Seed: seed})
}

// Batch generates rectangles x and their diffusion y*; the input is y*.
func (t *HeatTask) Batch(seed uint64, step, batch int, in []float32, xTrue, yTarget []float64) error {
	if err := heat.RectangleBatch(xTrue, batch, t.N, t.N, stepSeed(seed, step)); err != nil {
		return err
	}
	if err := t.batch.Forward(yTarget, xTrue); err != nil {
		return err
	}
	for i, v := range yTarget {
		in[i] = float32(v)
	}
	return nil
}

// Decode shifts each prediction's mean to its target's mean.
func (t *HeatTask) Decode(x []float64, out []float32, yTarget []float64, batch int) {
	c := t.N * t.N
	for b := 0; b < batch; b++ {
		o, yt, xb := out[b*c:(b+1)*c], yTarget[b*c:(b+1)*c], x[b*c:(b+1)*c]
		var so, sy float64
		for i := range o {
			so += float64(o[i])
			sy += yt[i]
		}
		shift := (sy - so) / float64(c)
		for i := range o {
			xb[i] = float64(o[i]) + shift
		}
	}
}

// DecodeVJP removes each sample's mean from the cotangent (the adjoint of
// the mean shift).
func (t *HeatTask) DecodeVJP(dout []float32, dx []float64, batch int) {
	c := t.N * t.N
	for b := 0; b < batch; b++ {
		d := dx[b*c : (b+1)*c]
		s := 0.0
		for _, v := range d {
			s += v
		}
		m := s / float64(c)
		for i, v := range d {
			dout[b*c+i] = float32(v - m)
		}
	}
}

// Forward diffuses the batch.
func (t *HeatTask) Forward(y, x []float64, batch int) error { return t.batch.Forward(y, x) }

// VJP is diffusion again: the Fourier multiplier is real and symmetric.
func (t *HeatTask) VJP(dx, x, dy []float64, batch int) error { return t.batch.Forward(dx, dy) }

// SIPTarget is x + the damped inverse of the residual.
func (t *HeatTask) SIPTarget(xt, x, y, yTarget []float64, batch int) error {
	if len(t.ybuf) != len(y) {
		t.ybuf = make([]float64, len(y))
	}
	if err := t.batch.ForwardInverse(t.ybuf, xt, x, yTarget); err != nil {
		return err
	}
	for i := range xt {
		xt[i] += x[i]
	}
	return nil
}

// Metrics: batch means of Σ|x − x*|, ½Σ(x − x*)², ½Σ(y − y*)².
func (t *HeatTask) Metrics(x, xTrue, y, yTarget []float64, batch int) train.Metrics {
	return fieldMetrics(x, xTrue, y, yTarget, batch)
}

// Conventions: loss.sum().backward(), L2 proxy, Adam 1e-3, batch 128.
func (t *HeatTask) Conventions() train.Conventions {
	return train.Conventions{LR: 1e-3, Batch: 128}
}

// fieldMetrics are the per-sample-sum, batch-mean errors of field tasks.
func fieldMetrics(x, xTrue, y, yTarget []float64, batch int) train.Metrics {
	var m train.Metrics
	for i := range x {
		d := x[i] - xTrue[i]
		if d < 0 {
			m.XL1 -= d
		} else {
			m.XL1 += d
		}
		m.XL2 += 0.5 * d * d
	}
	for i := range y {
		e := y[i] - yTarget[i]
		m.YL2 += 0.5 * e * e
	}
	n := float64(batch)
	m.XL1, m.XL2, m.YL2 = m.XL1/n, m.XL2/n, m.YL2/n
	return m
}

// validationStep numbers the batch used for validation images; training
// never reaches it.
const validationStep = 1 << 30

// HeatValidation runs net in evaluation mode on one validation sample of
// the run with seed and returns the reconstruction, the true x and y*.
func HeatValidation(t *HeatTask, net *nn.Net[float32], seed uint64) (x, xTrue, yTarget []float64, err error) {
	c := t.N * t.N
	in := make([]float32, c)
	out := make([]float32, c)
	xTrue, yTarget, x = make([]float64, c), make([]float64, c), make([]float64, c)
	if err := t.Batch(seed, validationStep, 1, in, xTrue, yTarget); err != nil {
		return nil, nil, nil, err
	}
	was := net.Training()
	net.SetTraining(false)
	defer net.SetTraining(was)
	if err := net.Forward(out, in); err != nil {
		return nil, nil, nil, err
	}
	t.Decode(x, out, yTarget, 1)
	return x, xTrue, yTarget, nil
}
