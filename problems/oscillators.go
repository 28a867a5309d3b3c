package problems

import (
	"fmt"
	"math"

	"github.com/physgrad/physgrad/nn"
	"github.com/physgrad/physgrad/physics/oscillator"
	"github.com/physgrad/physgrad/train"
)

// OscillatorTask is R7, the HIG paper's control problem: a 4-20-20-20-24
// tanh MLP maps an initial state s0 of two coupled oscillators to the 24
// controls u that bring the system back to s0 after 24 RK4 steps; the loss
// is ½|P(s0, u) − s0|². Samples are drawn from a fixed set of initial
// states in [0, 1)⁴.
//
// The decoded x of a sample is (s0, u), 4 + 24 values, so that the physics
// is a function of x alone; the network only produces u. There is no ground
// truth x (any u reaching s0 is a solution), so the x metrics are NaN.
//
// Forward, VJP and the Jacobians keep per-call scratch: a task is not safe
// for concurrent use.
type OscillatorTask struct {
	P oscillator.Params
	// States are the initial states, N rows of StateSize values.
	States []float64
	N      int

	s0, u, final, jac []float64 // batch scratch
	r0                []float64 // ∂final/∂s0 of the linear system
	pinv              []float64 // pinv(∂final/∂u) of the linear system, Nt × StateSize
	ju                []float64 // ∂final/∂u of the linear system
	idx               []int
}

var (
	_ train.Task         = (*OscillatorTask)(nil)
	_ train.JacobianTask = (*OscillatorTask)(nil)
)

// OscillatorStates is R7's number of initial states, OscillatorDataSeed
// the seed they are drawn with (fixed, so every run sees the same set).
const (
	OscillatorStates   = 4096
	OscillatorDataSeed = 0
)

// NewOscillatorTask returns R7 for the system p (oscillator.Default() is
// the published one) with n initial states.
func NewOscillatorTask(p oscillator.Params, n int) (*OscillatorTask, error) {
	if n < 1 {
		return nil, fmt.Errorf("oscillators: need at least one initial state, got %d", n)
	}
	s, err := oscillator.InitialStates(p, n, OscillatorDataSeed)
	if err != nil {
		return nil, err
	}
	return &OscillatorTask{P: p, States: s, N: n}, nil
}

// Name is "oscillators".
func (t *OscillatorTask) Name() string { return "oscillators" }

// Config names the system and the data set.
func (t *OscillatorTask) Config() string {
	return fmt.Sprintf("nx=%d nt=%d dt=%g c=%g alpha=%g states=%d", t.P.Nx, t.P.Nt, t.P.Dt, t.P.Coupling, t.P.Quartic, t.N)
}

// XSize is StateSize + Nt: the initial state and the controls.
func (t *OscillatorTask) XSize() int { return t.P.StateSize() + t.P.Nt }

// YSize is StateSize, the final state.
func (t *OscillatorTask) YSize() int { return t.P.StateSize() }

func (t *OscillatorTask) sizes() []int { return []int{t.P.StateSize(), 20, 20, 20, t.P.Nt} }

// NewNet builds the published 4-20-20-20-24 tanh MLP.
func (t *OscillatorTask) NewNet(seed uint64) (*nn.Net[float32], error) {
	return nn.NewMLP[float32](t.sizes(), nn.Tanh, seed)
}

// NewNet64 is NewNet in float64, from the same draw.
func (t *OscillatorTask) NewNet64(seed uint64) (*nn.Net[float64], error) {
	return nn.NewMLP[float64](t.sizes(), nn.Tanh, seed)
}

// Batch draws batch distinct initial states (with replacement only if
// batch exceeds the data set); the network input is s0 and the target y*
// is s0 as well.
func (t *OscillatorTask) Batch(seed uint64, step, batch int, in []float32, xTrue, yTarget []float64) error {
	m := t.P.StateSize()
	r := stepRNG(seed, step)
	if len(t.idx) != t.N {
		t.idx = make([]int, t.N)
	}
	for i := range t.idx {
		t.idx[i] = i
	}
	for i := 0; i < batch; i++ {
		// A partial Fisher-Yates shuffle; past N samples it starts over.
		j := i % t.N
		k := j + r.IntN(t.N-j)
		t.idx[j], t.idx[k] = t.idx[k], t.idx[j]
		src := t.States[t.idx[j]*m : (t.idx[j]+1)*m]
		copy(yTarget[i*m:(i+1)*m], src)
		for c, v := range src {
			in[i*m+c] = float32(v)
		}
	}
	for i := range xTrue {
		xTrue[i] = math.NaN()
	}
	return nil
}

// Decode writes x = (s0, u) per sample, s0 being the target.
func (t *OscillatorTask) Decode(x []float64, out []float32, yTarget []float64, batch int) {
	m, nt := t.P.StateSize(), t.P.Nt
	for i := 0; i < batch; i++ {
		xi := x[i*(m+nt) : (i+1)*(m+nt)]
		copy(xi[:m], yTarget[i*m:(i+1)*m])
		for k, v := range out[i*nt : (i+1)*nt] {
			xi[m+k] = float64(v)
		}
	}
}

// Decode64 is Decode for a float64 network.
func (t *OscillatorTask) Decode64(x, out, yTarget []float64, batch int) {
	m, nt := t.P.StateSize(), t.P.Nt
	for i := 0; i < batch; i++ {
		xi := x[i*(m+nt) : (i+1)*(m+nt)]
		copy(xi[:m], yTarget[i*m:(i+1)*m])
		copy(xi[m:], out[i*nt:(i+1)*nt])
	}
}

// DecodeVJP keeps the control part of dL/dx.
func (t *OscillatorTask) DecodeVJP(dout []float32, dx []float64, batch int) {
	m, nt := t.P.StateSize(), t.P.Nt
	for i := 0; i < batch; i++ {
		for k, v := range dx[i*(m+nt)+m : (i+1)*(m+nt)] {
			dout[i*nt+k] = float32(v)
		}
	}
}

// split copies x's states and controls into the batch scratch.
func (t *OscillatorTask) split(x []float64, batch int, withJac bool) {
	m, nt := t.P.StateSize(), t.P.Nt
	if len(t.s0) != batch*m {
		t.s0, t.u, t.final = make([]float64, batch*m), make([]float64, batch*nt), make([]float64, batch*m)
	}
	if withJac && len(t.jac) != batch*m*nt {
		t.jac = make([]float64, batch*m*nt)
	}
	for i := 0; i < batch; i++ {
		xi := x[i*(m+nt) : (i+1)*(m+nt)]
		copy(t.s0[i*m:(i+1)*m], xi[:m])
		copy(t.u[i*nt:(i+1)*nt], xi[m:])
	}
}

// Forward runs the 24 steps of every sample.
func (t *OscillatorTask) Forward(y, x []float64, batch int) error {
	t.split(x, batch, false)
	return t.P.RunBatch(y, nil, t.s0, t.u, batch)
}

// PhysicsJacobian writes ∂final/∂u per sample (StateSize × Nt), the
// Jacobian with respect to the network output. The linear system's is the
// same for every state and control, so it is computed once.
func (t *OscillatorTask) PhysicsJacobian(jac, x, yTarget []float64, batch int) error {
	m, nt := t.P.StateSize(), t.P.Nt
	if len(jac) != batch*m*nt {
		return fmt.Errorf("%w: oscillators: Jacobian has %d values, want %d", oscillator.ErrSize, len(jac), batch*m*nt)
	}
	if t.P.Quartic == 0 {
		if t.ju == nil {
			ju := make([]float64, m*nt)
			if err := t.P.Run(make([]float64, m), ju, make([]float64, m), make([]float64, nt)); err != nil {
				return err
			}
			t.ju = ju
		}
		for i := 0; i < batch; i++ {
			copy(jac[i*m*nt:(i+1)*m*nt], t.ju)
		}
		return nil
	}
	t.split(x, batch, false)
	return t.P.RunBatch(t.final, jac, t.s0, t.u, batch)
}

// VJP writes (∂final/∂s0)ᵀ·dy and (∂final/∂u)ᵀ·dy per sample.
func (t *OscillatorTask) VJP(dx, x, dy []float64, batch int) error {
	m, nt := t.P.StateSize(), t.P.Nt
	t.split(x, batch, true)
	if err := t.P.RunBatch(t.final, t.jac, t.s0, t.u, batch); err != nil {
		return err
	}
	for i := 0; i < batch; i++ {
		ji, dyi := t.jac[i*m*nt:(i+1)*m*nt], dy[i*m:(i+1)*m]
		du := dx[i*(m+nt)+m : (i+1)*(m+nt)]
		clear(du)
		for r, d := range dyi {
			for k, v := range ji[r*nt : (r+1)*nt] {
				du[k] += v * d
			}
		}
		ds := dx[i*(m+nt) : i*(m+nt)+m]
		if err := t.stateVJP(ds, t.s0[i*m:(i+1)*m], t.u[i*nt:(i+1)*nt], dyi); err != nil {
			return err
		}
	}
	return nil
}

// stateVJP writes (∂final/∂s0)ᵀ·dy. For the linear system ∂final/∂s0 = S^Nt
// is a constant, computed once; otherwise it is a backward sweep through
// the step Jacobians along the trajectory.
func (t *OscillatorTask) stateVJP(ds, s0, u, dy []float64) error {
	m, nt := t.P.StateSize(), t.P.Nt
	sj := make([]float64, m*(m+1))
	if t.P.Quartic == 0 {
		if t.r0 == nil {
			if err := t.P.StepJacobian(sj, make([]float64, m), 0); err != nil {
				return err
			}
			r := make([]float64, m*m)
			for i := range m {
				r[i*m+i] = 1
			}
			for range nt {
				next := make([]float64, m*m)
				for i := range m {
					for j := range m {
						for l := range m {
							next[i*m+j] += sj[i*(m+1)+l] * r[l*m+j]
						}
					}
				}
				r = next
			}
			t.r0 = r
		}
		for j := range m {
			acc := 0.0
			for i := range m {
				acc += t.r0[i*m+j] * dy[i]
			}
			ds[j] = acc
		}
		return nil
	}
	states := make([]float64, (nt+1)*m)
	copy(states, s0)
	for k := range nt {
		if err := t.P.Step(states[(k+1)*m:(k+2)*m], states[k*m:(k+1)*m], u[k]); err != nil {
			return err
		}
	}
	lam := append([]float64(nil), dy...)
	next := make([]float64, m)
	for k := nt - 1; k >= 0; k-- {
		if err := t.P.StepJacobian(sj, states[k*m:(k+1)*m], u[k]); err != nil {
			return err
		}
		for j := range m {
			acc := 0.0
			for i := range m {
				acc += sj[i*(m+1)+j] * lam[i]
			}
			next[j] = acc
		}
		copy(lam, next)
	}
	copy(ds, lam)
	return nil
}

// SIPTarget keeps s0 and replaces u by one Gauss-Newton step of the
// rollout towards s0, singular values below 1e-5·σmax dropped (R7's SIP).
// The linear system's control Jacobian is the same for every sample and
// control, so its pseudo-inverse is computed once (by the same
// oscillator.GaussNewton) and the step is u + pinv·(s0 − P(s0, u)), with
// y = P(x) as given.
func (t *OscillatorTask) SIPTarget(xt, x, y, yTarget []float64, batch int) error {
	m, nt := t.P.StateSize(), t.P.Nt
	if t.P.Quartic == 0 {
		if t.pinv == nil {
			if err := t.linearPinv(); err != nil {
				return err
			}
		}
		for i := 0; i < batch; i++ {
			xi, xti := x[i*(m+nt):(i+1)*(m+nt)], xt[i*(m+nt):(i+1)*(m+nt)]
			copy(xti, xi)
			for r := 0; r < m; r++ {
				d := yTarget[i*m+r] - y[i*m+r]
				for k := 0; k < nt; k++ {
					xti[m+k] += t.pinv[k*m+r] * d
				}
			}
		}
		return nil
	}
	t.split(x, batch, false)
	if len(t.jac) < batch*nt {
		t.jac = make([]float64, batch*m*nt)
	}
	uNew := t.jac[:batch*nt]
	if err := t.P.GaussNewtonBatch(uNew, t.s0, t.u, yTarget, batch, oscillator.DefaultCut); err != nil {
		return err
	}
	for i := 0; i < batch; i++ {
		xi := xt[i*(m+nt) : (i+1)*(m+nt)]
		copy(xi[:m], t.s0[i*m:(i+1)*m])
		copy(xi[m:], uNew[i*nt:(i+1)*nt])
	}
	return nil
}

// linearPinv computes pinv(∂final/∂u) column by column: from s0 = 0 and
// u = 0 (final state 0) one Gauss-Newton step towards e_r is pinv·e_r.
func (t *OscillatorTask) linearPinv() error {
	m, nt := t.P.StateSize(), t.P.Nt
	pinv := make([]float64, nt*m)
	col, e := make([]float64, nt), make([]float64, m)
	for r := 0; r < m; r++ {
		clear(e)
		e[r] = 1
		if err := t.P.GaussNewton(col, make([]float64, m), make([]float64, nt), e, oscillator.DefaultCut); err != nil {
			return err
		}
		for k, v := range col {
			pinv[k*m+r] = v
		}
	}
	t.pinv = pinv
	return nil
}

// Metrics: the y-L2 error ½|final − s0|²; x metrics are NaN (no truth).
func (t *OscillatorTask) Metrics(x, xTrue, y, yTarget []float64, batch int) train.Metrics {
	var yl2 float64
	for i := range y {
		d := y[i] - yTarget[i]
		yl2 += 0.5 * d * d
	}
	return train.Metrics{XL1: math.NaN(), XL2: math.NaN(), YL2: yl2 / float64(batch)}
}

// OscillatorLoss is the mean loss ½|P(s0, u) − s0|² over all of the
// task's initial states of the network with weights params (float64, in
// the layout of nn.Net.Params; float32 weights converted): the batch-noise
// free measure that equal-time comparisons end on.
func OscillatorLoss(task *OscillatorTask, params []float64) (float64, error) {
	net, err := task.NewNet64(0)
	if err != nil {
		return 0, err
	}
	if len(params) != net.NumParams() {
		return 0, fmt.Errorf("oscillators: %d weights, the network has %d", len(params), net.NumParams())
	}
	copy(net.Params(), params)
	n, m, nt := task.N, task.P.StateSize(), task.P.Nt
	// The network sees the states rounded to float32, as in training.
	in, out := make([]float64, len(task.States)), make([]float64, n*nt)
	for i, v := range task.States {
		in[i] = float64(float32(v))
	}
	if err := net.Forward(out, in); err != nil {
		return 0, err
	}
	x, y := make([]float64, n*task.XSize()), make([]float64, n*m)
	task.Decode64(x, out, task.States, n)
	if err := task.Forward(y, x, n); err != nil {
		return 0, err
	}
	return task.Metrics(x, nil, y, task.States, n).YL2, nil
}

// Conventions are R7's published settings: Adam 1e-3 with batch 256 (DP
// and SIP, loss averaged over the batch), HIG with batch 32 and τ = 1e-10.
func (t *OscillatorTask) Conventions() train.Conventions {
	return train.Conventions{BatchMean: true, NoTruth: true, LR: 1e-3, Batch: 256, HIGBatch: 32, Tau: 1e-10}
}
