// Package train trains networks through simulators: SIP (scale-invariant
// physics: the network is fitted to the inverse simulator's correction,
// SPEC §2), DP (the loss back-propagated through the simulator's adjoint,
// with any weight optimiser) and supervised training against the true x.
//
// Every method of one run sees the same initial weights and the same data
// stream: batch k is a function of (seed, k) only, so runs can be compared
// step by step and resumed from a checkpoint bit for bit.
package train

import "github.com/physgrad/physgrad/nn"

// Task is a training problem: data, network, physics and metrics. Batches
// are back-to-back samples; x has XSize values per sample, y has YSize.
type Task interface {
	// Name is the problem's catalogue name.
	Name() string
	// XSize and YSize are the per-sample sizes of x and y.
	XSize() int
	YSize() int
	// NewNet builds the task's network with weights drawn from seed.
	NewNet(seed uint64) (*nn.Net[float32], error)
	// Batch fills the network input, the true x (nil if the task has none)
	// and the target y* of batch number step, from (seed, step) alone.
	Batch(seed uint64, step, batch int, in []float32, xTrue, yTarget []float64) error
	// Decode turns the network output into x; some tasks post-process
	// (heat shifts each prediction's mean to the target's).
	Decode(x []float64, out []float32, yTarget []float64, batch int)
	// DecodeVJP maps dL/dx back to dL/d(network output).
	DecodeVJP(dout []float32, dx []float64, batch int)
	// Forward writes P(x) for the batch into y.
	Forward(y, x []float64, batch int) error
	// VJP writes Jᵀ·dy for the batch into dx (for DP).
	VJP(dx, x, dy []float64, batch int) error
	// SIPTarget writes x̃ = P⁻¹(y + Δy; x) for the batch into xt, given
	// y = P(x) and the target y*.
	SIPTarget(xt, x, y, yTarget []float64, batch int) error
	// Metrics returns the batch means of the per-sample x-L1, x-L2 (½Σ) and
	// y-L2 (½Σ) errors; x metrics are NaN without a truth.
	Metrics(x, xTrue, y, yTarget []float64, batch int) Metrics
	// Conventions are the published loss conventions.
	Conventions() Conventions
}

// Conventions fix how losses are reduced, as in the authors' code.
type Conventions struct {
	// BatchMean averages the loss over the batch before back-propagation
	// (torch loss.mean().backward()); otherwise it is summed.
	BatchMean bool
	// ProxyL1 makes the SIP proxy loss |x − x̃| (summed per sample) instead
	// of ½|x − x̃|².
	ProxyL1 bool
	// NoTruth says the task has no ground-truth x (supervised training is
	// then impossible; x metrics are to the closest exact solution).
	NoTruth bool
	// LR is the published learning rate; Batch the published batch size.
	LR    float64
	Batch int
	// HIGBatch is the published batch size of hig and gn (0: Batch) and
	// Tau HIG's singular-value cut (0: DefaultTau).
	HIGBatch int
	Tau      float64
}

// Metrics are batch means of per-sample sums, the convention of
// docs/refs/AUTHORS_RUNS.md.
type Metrics struct {
	XL1, XL2, YL2 float64
}
