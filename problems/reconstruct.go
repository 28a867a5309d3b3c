package problems

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"strings"

	"github.com/physgrad/physgrad/loss"
	"github.com/physgrad/physgrad/method"
	"github.com/physgrad/physgrad/physics/heat"
	"github.com/physgrad/physgrad/physics/poisson"
	"github.com/physgrad/physgrad/sim"
)

// Reconstruction is a field inverse problem without a network: recover x
// from an observed y* = P(x) by iterating an update rule on x.
type Reconstruction struct {
	Name   string
	NY, NX int
	// Problem is the simulator with the loss ½|P(x) − y*|².
	Problem *method.Problem
	Target  []float64
	// Truth is the true x, nil when unknown.
	Truth []float64
	// Eta is the default step size per method.
	Eta map[string]float64
}

// ReconstructionOptions configure NewReconstruction. Without a Target the
// problem generates its own example from Seed.
type ReconstructionOptions struct {
	Seed uint64
	// Amount is heat's ν·t (0: the default 8).
	Amount float64
	// Precision is the relative precision of the observation, the floor of
	// heat's noise estimate (0: 1e-16, exact float64 data). A float32 or
	// noisy observation needs its own, or iterated PG amplifies the noise.
	Precision float64
	// Target and Truth are the user's observation and optional true x,
	// NY×NX row-major.
	Target, Truth []float64
	NY, NX        int
}

// reconstructionMethods are the update rules that scale to fields: those
// that need only the adjoint or the inverse. Newton, Gauss-Newton, IG and
// pg-numeric would need a dense (NY·NX)² Jacobian or Hessian.
var reconstructionMethods = []string{"pg", "gd", "momentum", "adam", "rmsprop", "adagrad", "adadelta", "lbfgs", "bfgs"}

// ReconstructionNames lists the reconstruction problems.
func ReconstructionNames() []string { return []string{"heat", "poisson"} }

// CheckReconstructionMethod returns an error explaining why a method does
// not apply to field reconstruction.
func CheckReconstructionMethod(name string) error {
	for _, m := range reconstructionMethods {
		if m == name {
			return nil
		}
	}
	if _, err := method.New(name, 1); err != nil {
		return err
	}
	return fmt.Errorf("method %q needs a dense Jacobian or Hessian of the whole field, too large here (choose from %s)",
		name, strings.Join(reconstructionMethods, ", "))
}

// ReconstructionMethods lists the methods that apply, sorted.
func ReconstructionMethods() []string {
	m := append([]string(nil), reconstructionMethods...)
	sort.Strings(m)
	return m
}

// NewReconstruction returns the named reconstruction problem.
func NewReconstruction(name string, o ReconstructionOptions) (*Reconstruction, error) {
	if o.Target == nil {
		o.NY, o.NX = 64, 64
	}
	if o.Truth != nil && len(o.Truth) != len(o.Target) && o.Target != nil {
		return nil, fmt.Errorf("truth has %d values but the target %d", len(o.Truth), len(o.Target))
	}
	r := &Reconstruction{Name: name, NY: o.NY, NX: o.NX}
	var s sim.Simulator
	switch name {
	case "heat":
		if o.Amount < 0 || math.IsNaN(o.Amount) || math.IsInf(o.Amount, 0) {
			return nil, fmt.Errorf("amount must be a non-negative finite number, got %v", o.Amount)
		}
		h, err := heat.New(o.NY, o.NX, heat.Settings{Amount: o.Amount, Precision: o.Precision})
		if err != nil {
			return nil, err
		}
		s = h
		// ∂P/∂x has eigenvalues in (0, 1], so GD with rate 1 is stable.
		r.Eta = map[string]float64{"pg": 1, "gd": 1, "momentum": 0.5, "adam": 0.01, "rmsprop": 0.001, "adagrad": 0.1, "adadelta": 1}
	case "poisson":
		if o.Amount != 0 {
			return nil, errors.New("amount applies to heat only")
		}
		p, err := poisson.New(o.NY, o.NX, poisson.Settings{})
		if err != nil {
			return nil, err
		}
		s = p
		// (∇²)⁻¹ has eigenvalues up to ~1/(2(π/(N+1))²) ≈ 213 on 64², so
		// GD needs a rate below 2/213² ≈ 4.4e-5.
		r.Eta = map[string]float64{"pg": 1, "gd": 2e-5, "momentum": 2e-6, "adam": 0.5, "rmsprop": 0.001, "adagrad": 0.1, "adadelta": 1}
	default:
		return nil, fmt.Errorf("unknown problem %q (known: %s)", name, strings.Join(ReconstructionNames(), ", "))
	}
	if o.Target == nil {
		x := make([]float64, o.NY*o.NX)
		rng := rand.New(rand.NewPCG(o.Seed, 0x7265636f6e))
		var err error
		if name == "heat" {
			err = heat.Rectangles(x, o.NY, o.NX, rng)
		} else {
			err = poisson.FieldBatch(x, 1, o.NY, o.NX, rng.Uint64())
		}
		if err != nil {
			return nil, err
		}
		y, err := sim.Eval(s, x)
		if err != nil {
			return nil, err
		}
		o.Target, o.Truth = y, x
	}
	r.Target, r.Truth = o.Target, o.Truth
	r.Problem = &method.Problem{Sim: s, Loss: loss.L2{Target: o.Target}}
	return r, nil
}

// XL2 is ½Σ(x − x*)², NaN without a truth.
func (r *Reconstruction) XL2(x []float64) float64 {
	if r.Truth == nil {
		return math.NaN()
	}
	s := 0.0
	for i, v := range x {
		d := v - r.Truth[i]
		s += d * d
	}
	return 0.5 * s
}
