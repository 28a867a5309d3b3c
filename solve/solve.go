// Package solve drives an update rule on simulator inputs: it iterates a
// method from a start, records the history, and stops on divergence
// (non-finite x or loss), on a time limit, or when the method converges.
package solve

import (
	"errors"
	"fmt"
	"io"
	"math"
	"time"

	"github.com/physgrad/physgrad/method"
)

// Status says how a run ended.
type Status int

const (
	// Done means all requested steps were taken.
	Done Status = iota
	// Converged means the method stopped by itself.
	Converged
	// TimeLimit means the time limit was reached.
	TimeLimit
	// Diverged means x or the loss became non-finite; Result.Step says when.
	Diverged
	// NotApplicable means the method cannot run on this problem.
	NotApplicable
	// Failed means a step returned an error.
	Failed
)

// String is the status as the CLI and JSON output name it.
func (s Status) String() string {
	return [...]string{"done", "converged", "time-limit", "diverged", "not-applicable", "failed"}[s]
}

// GrowthLimit is how far the loss may grow over its starting value before a
// run counts as diverged, even while it is still finite.
const GrowthLimit = 1e10

// Settings of a run.
type Settings struct {
	// Steps is the number of iterations.
	Steps int
	// TimeLimit, if > 0, stops the run once exceeded.
	TimeLimit time.Duration
	// KeepIterates records every x and y in Result.X and Result.Y.
	KeepIterates bool
	// Observe, if set, is called on every iterate (the start included) and
	// its value recorded in Result.Metric, e.g. the distance to a known truth.
	Observe func(x []float64) float64
}

// Result of a run. Loss, Seconds (since the start) and Metric are indexed by
// iteration, index 0 being the start.
type Result struct {
	Method  string
	X, Y    [][]float64
	Final   []float64
	Loss    []float64
	Seconds []float64
	Metric  []float64
	Status  Status
	// Step is the iteration at which the run stopped early (1-based), or
	// the number of steps taken.
	Step int
	Err  error
}

// Run iterates m on p from x0. It never panics on a method's failure: the
// error is in Result.Err and the Status says what happened.
func Run(p *method.Problem, m method.Method, x0 []float64, s Settings) *Result {
	r := &Result{Method: m.Name()}
	x := append([]float64(nil), x0...)
	y := make([]float64, p.Sim.OutputSize())
	start := time.Now()
	record := func() bool {
		l, err := p.Objective(x, y)
		if err != nil {
			r.Status, r.Err = Failed, err
			return false
		}
		r.Loss = append(r.Loss, l)
		r.Seconds = append(r.Seconds, time.Since(start).Seconds())
		if s.KeepIterates {
			r.X = append(r.X, append([]float64(nil), x...))
			r.Y = append(r.Y, append([]float64(nil), y...))
		}
		if s.Observe != nil {
			r.Metric = append(r.Metric, s.Observe(x))
		}
		if !finite(x) || !finite(y) || math.IsNaN(l) || math.IsInf(l, 0) {
			r.Status = Diverged
			r.Err = fmt.Errorf("%s diverged at iteration %d: non-finite x or loss", m.Name(), r.Step)
			return false
		}
		if l0 := r.Loss[0]; l > GrowthLimit*l0 && l0 > 0 {
			r.Status = Diverged
			r.Err = fmt.Errorf("%s diverged at iteration %d: the loss grew from %.3g to %.3g", m.Name(), r.Step, l0, l)
			return false
		}
		return true
	}
	if c, ok := m.(io.Closer); ok {
		defer c.Close()
	}
	defer func() { r.Final = x }()
	if err := m.Init(p, x); err != nil {
		r.Err = err
		r.Status = Failed
		if errors.Is(err, method.ErrNotApplicable) {
			r.Status = NotApplicable
		}
		return r
	}
	if !record() {
		return r
	}
	for r.Step < s.Steps {
		if s.TimeLimit > 0 && time.Since(start) > s.TimeLimit {
			r.Status = TimeLimit
			return r
		}
		err := m.Step(x)
		if errors.Is(err, method.ErrConverged) {
			r.Status = Converged
			return r
		}
		r.Step++
		if err != nil {
			r.Status, r.Err = Failed, fmt.Errorf("%s failed at iteration %d: %w", m.Name(), r.Step, err)
			return r
		}
		if !record() {
			return r
		}
	}
	return r
}

func finite(v []float64) bool {
	for _, e := range v {
		if math.IsNaN(e) || math.IsInf(e, 0) {
			return false
		}
	}
	return true
}
