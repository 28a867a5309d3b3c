package main

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/physgrad/physgrad/inverse"
	"github.com/physgrad/physgrad/problems"
	"github.com/physgrad/physgrad/report"
)

type checkInverseOptions struct {
	points  int
	seed    uint64
	alpha   float64
	perturb float64
	output  outputFlags
}

func newCheckInverseCmd() *cobra.Command {
	o := &checkInverseOptions{}
	c := &cobra.Command{
		Use:   "check-inverse <problem>",
		Short: "Check a problem's local inverse like gradcheck checks an adjoint",
		Long: `For random points x_true it sets y = P(x_true), starts from a nearby x0 and
reports |P(P⁻¹(y; x0)) − y|, the distance of the returned x from x0 against that
of the exact solution x_true (a local inverse must pick the nearest branch), and
the agreement of the analytic inverse with the numerical one.

Problems: ` + strings.Join(problems.InverseProblemNames(), ", ") + `.
Exit status 1 if any point fails.`,
		Args: cobra.ExactArgs(1),
		RunE: func(c *cobra.Command, args []string) error { return runCheckInverse(o, args[0], c.OutOrStdout()) },
	}
	f := c.Flags()
	f.IntVar(&o.points, "points", 20, "number of random test points")
	f.Uint64Var(&o.seed, "seed", 0, "seed of the test points")
	f.Float64Var(&o.alpha, "alpha", 100, "scale α of the scaled problem")
	f.Float64Var(&o.perturb, "perturb", 0.05, "distance of x0 from x_true, relative to max(1, |x_true|)")
	o.output.register(c, "")
	return c
}

func runCheckInverse(o *checkInverseOptions, name string, w io.Writer) error {
	if o.points <= 0 {
		return usagef("--points: must be ≥ 1, got %d", o.points)
	}
	if !(o.perturb > 0) || o.perturb > 1e6 {
		return usagef("--perturb: must be a positive number, got %v", o.perturb)
	}
	ip, err := problems.InverseProblem(name, o.alpha)
	if err != nil {
		return usageError{err}
	}
	var stage *report.Staging
	if o.output.out != "" {
		if stage, err = report.NewStaging(o.output.out); err != nil {
			return usageError{err}
		}
		defer stage.Abort()
	}
	rep, err := inverse.Check(ip.Sim, inverse.CheckSettings{Points: o.points, Seed: o.seed, Sample: ip.Sample, Perturb: o.perturb})
	if err != nil {
		return err
	}
	if stage != nil {
		if err := writeCheckCSV(stage.Path("check_inverse.csv"), rep); err != nil {
			return err
		}
		if err := stage.Commit(); err != nil {
			return err
		}
	}
	if o.output.json {
		if err := printJSON(checkJSON(name, rep)); err != nil {
			return err
		}
	} else {
		kind := "analytic"
		if !rep.Analytic {
			kind = "numerical (the simulator has no inverse of its own)"
		}
		fmt.Fprintf(w, "check-inverse %s: %s inverse, %d points\n", name, kind, len(rep.Points))
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintf(tw, "max |P(x)−y|\tmax excess |x−x0| over |x_true−x0|\tmax |x − x_numeric|\tfailed\n")
		fmt.Fprintf(tw, "%.3g\t%.3g\t%.3g\t%d\n", rep.MaxResidual, rep.MaxExcess, rep.MaxDisagreement, rep.Failed)
		tw.Flush()
		for i, p := range rep.Points {
			if p.Problem != "" {
				fmt.Fprintf(w, "point %d (x_true %v): %s\n", i, p.XTrue, p.Problem)
			}
		}
	}
	if !rep.Passed() {
		return fmt.Errorf("check-inverse %s: %d of %d points failed", name, rep.Failed, len(rep.Points))
	}
	return nil
}

func checkJSON(name string, rep *inverse.CheckReport) any {
	type pt struct {
		XTrue        []jsonFloat `json:"x_true"`
		X0           []jsonFloat `json:"x0"`
		X            []jsonFloat `json:"x"`
		Residual     jsonFloat   `json:"residual"`
		Dist         jsonFloat   `json:"dist_x0"`
		DistTrue     jsonFloat   `json:"dist_true_x0"`
		Disagreement jsonFloat   `json:"disagreement_numeric"`
		Problem      string      `json:"problem,omitempty"`
	}
	pts := []pt{}
	for _, p := range rep.Points {
		pts = append(pts, pt{jsonFloats(p.XTrue), jsonFloats(p.X0), jsonFloats(p.X), jsonFloat(p.Residual),
			jsonFloat(p.Dist), jsonFloat(p.DistTrue), jsonFloat(p.Disagreement), p.Problem})
	}
	return map[string]any{"problem": name, "analytic": rep.Analytic, "passed": rep.Passed(), "failed": rep.Failed,
		"max_residual": jsonFloat(rep.MaxResidual), "max_excess_distance": jsonFloat(rep.MaxExcess),
		"max_disagreement": jsonFloat(rep.MaxDisagreement), "points": pts}
}

func writeCheckCSV(path string, rep *inverse.CheckReport) error {
	var rows [][]string
	g := report.Num
	for i, p := range rep.Points {
		rows = append(rows, []string{strconv.Itoa(i), g(p.Residual), g(p.Dist), g(p.DistTrue), g(p.Disagreement), p.Problem})
	}
	return report.WriteCSV(path, []string{"point", "residual", "dist_x0", "dist_true_x0", "disagreement_numeric", "problem"}, rows)
}
