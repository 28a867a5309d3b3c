package method

import (
	"errors"
	"math"

	"gonum.org/v1/gonum/optimize"
)

// quasiNewton runs gonum's BFGS or L-BFGS (with gonum's own line searches)
// and hands out its major iterations one Step at a time. The optimiser runs
// in a goroutine whose Recorder blocks after each major iteration until the
// next Step; Close stops it.
type quasiNewton struct {
	name    string
	p       *Problem
	next    chan []float64
	resume  chan bool
	done    chan error
	stopped bool // set by the recorder's goroutine only
	started bool
	ended   bool
}

var errStopped = errors.New("stopped by caller")

func init() {
	register("bfgs", func(float64) Method { return &quasiNewton{name: "bfgs"} })
	register("lbfgs", func(float64) Method { return &quasiNewton{name: "lbfgs"} })
}

func (m *quasiNewton) Name() string { return m.name }

// Init starts gonum's optimiser from x in its goroutine.
func (m *quasiNewton) Init(p *Problem, x []float64) error {
	m.Close()
	m.p = p
	m.next = make(chan []float64)
	m.resume = make(chan bool)
	m.done = make(chan error, 1)
	m.started, m.ended, m.stopped = false, false, false
	var evalErr error
	prob := optimize.Problem{
		Func: func(xv []float64) float64 {
			v, err := p.Objective(xv, nil)
			if err != nil {
				evalErr = err
				return math.NaN()
			}
			return v
		},
		Grad: func(g, xv []float64) {
			if err := p.Gradient(g, xv); err != nil {
				evalErr = err
			}
		},
	}
	var om optimize.Method = &optimize.BFGS{}
	if m.name == "lbfgs" {
		om = &optimize.LBFGS{}
	}
	set := &optimize.Settings{
		Recorder:  recorder{m},
		Converger: &optimize.FunctionConverge{Iterations: math.MaxInt32},
	}
	x0 := append([]float64(nil), x...)
	go func() {
		_, err := optimize.Minimize(prob, x0, set, om)
		if evalErr != nil {
			err = evalErr
		}
		m.done <- err
	}()
	return nil
}

type recorder struct{ m *quasiNewton }

func (recorder) Init() error { return nil }

func (r recorder) Record(loc *optimize.Location, op optimize.Operation, _ *optimize.Stats) error {
	if r.m.stopped {
		return errStopped
	}
	if op != optimize.MajorIteration {
		return nil
	}
	r.m.next <- append([]float64(nil), loc.X...)
	if !<-r.m.resume {
		r.m.stopped = true
		return errStopped
	}
	return nil
}

func (m *quasiNewton) Step(x []float64) error {
	if m.ended {
		return ErrConverged
	}
	if m.started {
		m.resume <- true
	}
	first := !m.started
	m.started = true
	for {
		select {
		case xi := <-m.next:
			// gonum reports the start itself as the first major iteration.
			if first && equal(xi, x) {
				first = false
				m.resume <- true
				continue
			}
			copy(x, xi)
			return nil
		case err := <-m.done:
			m.ended = true
			if err != nil && !errors.Is(err, errStopped) {
				return err
			}
			return ErrConverged
		}
	}
}

func equal(a, b []float64) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// Close stops the optimiser goroutine; Step must not be called afterwards
// without a new Init.
func (m *quasiNewton) Close() error {
	if m.done == nil || m.ended {
		return nil
	}
	if m.started {
		m.resume <- false
	} else {
		select {
		case <-m.next:
			m.resume <- false
		case <-m.done:
			m.ended = true
			return nil
		}
	}
	<-m.done
	m.ended = true
	return nil
}
