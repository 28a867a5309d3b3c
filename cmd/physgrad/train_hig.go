package main

import (
	"encoding/json"
	"math"

	"github.com/spf13/cobra"
	"gonum.org/v1/plot/vg"

	"github.com/physgrad/physgrad/report"
	"github.com/physgrad/physgrad/train"
)

// higOptions are the train flags of the Jacobian methods (hig, gn) and of
// the HIG toy.
type higOptions struct {
	tau, lambda float64
	maxJacMB    float64
}

func (h *higOptions) register(c *cobra.Command) {
	f := c.Flags()
	f.Float64Var(&h.tau, "tau", 0, "hig/gn: relative singular-value cut τ in (0, 1) (default: the problem's, 1e-10 for oscillators)")
	f.Float64Var(&h.lambda, "lambda", 0, "higtoy: scale λ of the second physics output (default 0.01)")
	f.Float64Var(&h.maxJacMB, "max-jacobian-mb", float64(train.DefaultMaxJacobianBytes>>20), "hig/gn: largest stacked Jacobian (batch·outputs × weights float64 values) in MiB")
}

// checkFlags validates the flags' values for problem.
func (h *higOptions) checkFlags(c *cobra.Command, problem string) error {
	if c.Flags().Changed("tau") && !(h.tau > 0 && h.tau < 1) {
		return usagef("--tau: the singular-value cut must lie in (0, 1), got %v", h.tau)
	}
	if c.Flags().Changed("lambda") {
		if problem != "higtoy" {
			return usagef("--lambda: only higtoy has λ")
		}
		if !(h.lambda > 0) || math.IsInf(h.lambda, 0) {
			return usagef("--lambda: must be a positive finite number, got %v", h.lambda)
		}
	}
	if !(h.maxJacMB > 0) || math.IsInf(h.maxJacMB, 0) {
		return usagef("--max-jacobian-mb: must be a positive number of MiB, got %v", h.maxJacMB)
	}
	return nil
}

// check sets the Jacobian methods' settings and checks, for every hig or
// gn method of the plan, the size of its stacked Jacobian against the cap,
// before any work.
func (h *higOptions) check(c *cobra.Command, p *trainPlan) error {
	jacobian := false
	for _, m := range p.methods {
		jacobian = jacobian || p.settings[m].Method == "hig" || p.settings[m].Method == "gn"
	}
	for _, f := range []string{"tau", "max-jacobian-mb"} {
		if c.Flags().Changed(f) && !jacobian {
			return usagef("--%s: only the methods hig and gn use it, and --methods has neither", f)
		}
	}
	capBytes := int64(math.Min(h.maxJacMB*(1<<20), math.MaxInt64/2))
	for _, m := range p.methods {
		s := p.settings[m]
		if s.Method != "hig" && s.Method != "gn" {
			continue
		}
		rows, cols, err := train.JacobianSize(p.tasks[m], s)
		if err != nil {
			return usagef("--methods %s: %v", m, err)
		}
		if need := float64(rows) * float64(cols) * 8; need > float64(capBytes) {
			return usagef("--max-jacobian-mb: %s needs a %d × %d float64 Jacobian, %.1f MiB, above the cap of %g MiB (lower --batch or raise the cap)",
				m, rows, cols, need/(1<<20), h.maxJacMB)
		}
		s.MaxJacobianBytes = capBytes
		s.Tau = h.tau
		p.settings[m] = s
	}
	return nil
}

// metricValue is the logged value a problem's progress and curves show.
func metricValue(metric string, e train.StepLog) float64 {
	switch metric {
	case "x_l1":
		return e.XL1
	case "y_l2":
		return e.YL2
	case "loss":
		return e.Loss
	}
	return e.XL2
}

// extraNames are the task's own statistics of a method's log (columns
// after loss in CSV and JSON).
func extraNames(p *trainPlan, method string) []string {
	return train.MonitorNames(p.tasks[method])
}

// extraNameMap maps each method of the plan to its extra statistics.
func extraNameMap(p *trainPlan) map[string][]string {
	m := map[string][]string{}
	for _, k := range p.methods {
		m[k] = extraNames(p, k)
	}
	return m
}

// MarshalJSON writes the step's fields and its extra statistics as keys of
// one object.
func (s trainStepJSON) MarshalJSON() ([]byte, error) {
	type plain trainStepJSON
	b, err := json.Marshal(plain(s))
	if err != nil || len(s.extra) == 0 {
		return b, err
	}
	b = b[:len(b)-1] // reopen the object
	for i, name := range s.names {
		k, _ := json.Marshal(name)
		v, _ := jsonFloat(s.extra[i]).MarshalJSON()
		b = append(append(append(append(b, ','), k...), ':'), v...)
	}
	return append(b, '}'), nil
}

// writeExtraCurves plots each extra statistic of the methods that log one
// (higtoy: the hidden-activation spread that shows saturation) and, for the
// problems compared at equal wall time (metric y_l2: oscillators, higtoy),
// the metric against seconds.
func writeExtraCurves(stage *report.Staging, p *trainPlan, results []*train.Result) error {
	if len(results) == 0 {
		return nil
	}
	if p.tp.Metric == "y_l2" {
		var series []report.Series
		for _, r := range results {
			s := report.Series{Name: r.Method}
			for _, e := range r.Log {
				s.X = append(s.X, e.Seconds)
				s.Y = append(s.Y, e.YL2)
			}
			series = append(series, s)
		}
		pl, err := report.Curves(p.problem+": y_l2 over wall time", "seconds", "y_l2", series, true)
		if err != nil {
			return err
		}
		if err := report.Save(pl, 6*vg.Inch, 4*vg.Inch, stage.PlotBase("curves_time")); err != nil {
			return err
		}
	}
	names := extraNames(p, results[0].Method)
	for i, name := range names {
		var series []report.Series
		for _, r := range results {
			s := report.Series{Name: r.Method}
			for _, e := range r.Log {
				if i < len(e.Extra) {
					s.X = append(s.X, float64(e.Step))
					s.Y = append(s.Y, e.Extra[i])
				}
			}
			series = append(series, s)
		}
		pl, err := report.Curves(p.problem+": "+name, "step", name, series, name == "val_loss")
		if err != nil {
			return err
		}
		if err := report.Save(pl, 6*vg.Inch, 4*vg.Inch, stage.PlotBase("curves_"+name)); err != nil {
			return err
		}
	}
	return nil
}
