package main

import (
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"
	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/plot/vg"

	"github.com/physgrad/physgrad/method"
	"github.com/physgrad/physgrad/problems"
	"github.com/physgrad/physgrad/report"
	"github.com/physgrad/physgrad/solve"
)

type toyOptions struct {
	problem string
	alpha   float64
	start   string
	steps   int
	methods string
	etas    string
	output  outputFlags
}

func newToyCmd() *cobra.Command {
	o := &toyOptions{}
	c := &cobra.Command{
		Use:   "toy",
		Short: "Compare update rules on the two-dimensional toy problems (SPEC R1, R2)",
		Long: `Runs each method from the same start on a toy problem and prints the final
iterate, loss and distance to the optimum.

Problems: square (y = (x0, x1²), L = |y|², R1) and scaled (y = (x0, α·x1), R2).
Methods: ` + strings.Join(method.Names(), ", ") + `.
Default step sizes: gd 0.01, newton 1/3, pg 0.3 (published); see --eta.`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error { return runToyCmd(o, c.OutOrStdout()) },
	}
	f := c.Flags()
	f.StringVar(&o.problem, "problem", "square", "toy problem: square or scaled")
	f.Float64Var(&o.alpha, "alpha", 1, "scale α of the scaled problem")
	f.StringVar(&o.start, "start", "3,3", "start x0,x1")
	f.IntVar(&o.steps, "steps", 10, "iterations per method")
	f.StringVar(&o.methods, "methods", "gd,newton,pg", "comma list of methods")
	f.StringVar(&o.etas, "eta", "", "per-method step sizes, e.g. gd=0.02,pg=0.5 (others keep their defaults)")
	o.output.register(c, "")
	return c
}

// toyResult is what a toy comparison produced.
type toyResult struct {
	toy     *problems.Toy
	etas    map[string]float64
	results []*solve.Result
}

func (o *toyOptions) validate() (*problems.Toy, []float64, []string, map[string]float64, error) {
	if math.IsNaN(o.alpha) || math.IsInf(o.alpha, 0) || o.alpha == 0 {
		return nil, nil, nil, nil, usagef("--alpha: must be a finite non-zero number, got %v", o.alpha)
	}
	tp, err := problems.NewToy(o.problem, o.alpha)
	if err != nil {
		return nil, nil, nil, nil, usagef("--problem: %v", err)
	}
	start, err := parseFloats("start", o.start, 2)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	if o.steps < 0 {
		return nil, nil, nil, nil, usagef("--steps: must be ≥ 0, got %d", o.steps)
	}
	names, err := parseNames("methods", o.methods)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	if len(names) == 0 {
		return nil, nil, nil, nil, usagef("--methods: empty; choose from %s", strings.Join(method.Names(), ", "))
	}
	for _, n := range names {
		if _, err := method.New(n, 1); err != nil {
			return nil, nil, nil, nil, usagef("--methods: %v", err)
		}
	}
	etas, err := parseEtas("eta", o.etas)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	for k := range etas {
		if _, err := method.New(k, 1); err != nil {
			return nil, nil, nil, nil, usagef("--eta: %v", err)
		}
	}
	for k, v := range tp.Eta {
		if _, ok := etas[k]; !ok {
			etas[k] = v
		}
	}
	return tp, start, names, etas, nil
}

func runToyCmd(o *toyOptions, stdout io.Writer) error {
	tp, start, names, etas, err := o.validate()
	if err != nil {
		return err
	}
	var stage *report.Staging
	if o.output.out != "" {
		if stage, err = report.NewStaging(o.output.out); err != nil {
			return usageError{err}
		}
		defer stage.Abort()
	}
	res := runToy(tp, start, names, etas, o.steps)
	warnToy(res)
	if stage != nil {
		if err := writeToyFiles(stage, res); err != nil {
			return err
		}
		if err := stage.Commit(); err != nil {
			return err
		}
	}
	if o.output.json {
		return printJSON(toyJSON(res))
	}
	printToyTable(stdout, res)
	return nil
}

func runToy(tp *problems.Toy, start []float64, names []string, etas map[string]float64, steps int) *toyResult {
	out := &toyResult{toy: tp, etas: etas}
	for _, n := range names {
		m, _ := method.New(n, etas[n])
		out.results = append(out.results, solve.Run(tp.Problem, m, start, solve.Settings{Steps: steps, KeepIterates: true}))
	}
	return out
}

func warnToy(res *toyResult) {
	for _, r := range res.results {
		if r.Err != nil {
			fmt.Fprintf(os.Stderr, "physgrad: %s: %v\n", r.Method, r.Err)
		}
	}
}

func printToyTable(w io.Writer, res *toyResult) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "method\teta\tsteps\tstatus\tx0\tx1\tloss\tdist to optimum\n")
	for _, r := range res.results {
		eta := "-"
		if method.UsesStepSize(r.Method) {
			eta = strconv.FormatFloat(res.etas[r.Method], 'g', 6, 64)
		}
		if len(r.Loss) == 0 {
			fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t-\t-\t-\t-\n", r.Method, eta, r.Step, r.Status)
			continue
		}
		x := r.Final
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%.7g\t%.7g\t%.4g\t%.4g\n", r.Method, eta, r.Step, r.Status,
			x[0], x[1], r.Loss[len(r.Loss)-1], floats.Distance(x, res.toy.Optimum, 2))
	}
	tw.Flush()
}

type toyRunJSON struct {
	Method string        `json:"method"`
	Eta    *float64      `json:"eta"`
	Status string        `json:"status"`
	Error  string        `json:"error,omitempty"`
	X      [][]jsonFloat `json:"x"`
	Y      [][]jsonFloat `json:"y"`
	Loss   []jsonFloat   `json:"loss"`
}

func toyJSON(res *toyResult) any {
	runs := []toyRunJSON{}
	for _, r := range res.results {
		j := toyRunJSON{Method: r.Method, Status: r.Status.String(), X: [][]jsonFloat{}, Y: [][]jsonFloat{}, Loss: jsonFloats(r.Loss)}
		if method.UsesStepSize(r.Method) {
			e := res.etas[r.Method]
			j.Eta = &e
		}
		if r.Err != nil {
			j.Error = r.Err.Error()
		}
		for i := range r.X {
			j.X = append(j.X, jsonFloats(r.X[i]))
			j.Y = append(j.Y, jsonFloats(r.Y[i]))
		}
		runs = append(runs, j)
	}
	out := map[string]any{"problem": res.toy.Name, "runs": runs}
	if res.toy.Name == "scaled" {
		out["alpha"] = res.toy.Alpha
	}
	return out
}

// writeToyFiles writes the trajectory plots and a CSV of every iterate.
func writeToyFiles(stage *report.Staging, res *toyResult) error {
	var xs, ys []report.Series
	for _, r := range res.results {
		sx := report.Series{Name: r.Method}
		sy := report.Series{Name: r.Method}
		for i := range r.X {
			sx.X, sx.Y = append(sx.X, r.X[i][0]), append(sx.Y, r.X[i][1])
			sy.X, sy.Y = append(sy.X, r.Y[i][0]), append(sy.Y, r.Y[i][1])
		}
		xs, ys = append(xs, sx), append(ys, sy)
	}
	p := res.toy.Problem
	lossX := func(a, b float64) float64 {
		l, err := p.Objective([]float64{a, b}, nil)
		if err != nil {
			return math.NaN()
		}
		return l
	}
	lossY := func(a, b float64) float64 { return p.Loss.Value([]float64{a, b}) }
	yOpt := make([]float64, 2)
	p.Sim.Forward(yOpt, res.toy.Optimum)
	px, err := report.Trajectories(res.toy.Name+": trajectories in x", "x0", "x1", lossX, xs, [2]float64{res.toy.Optimum[0], res.toy.Optimum[1]})
	if err != nil {
		return err
	}
	if err := report.Save(px, 6*vg.Inch, 5*vg.Inch, stage.PlotBase("toy_x")); err != nil {
		return err
	}
	py, err := report.Trajectories(res.toy.Name+": trajectories in y", "y0", "y1", lossY, ys, [2]float64{yOpt[0], yOpt[1]})
	if err != nil {
		return err
	}
	if err := report.Save(py, 6*vg.Inch, 5*vg.Inch, stage.PlotBase("toy_y")); err != nil {
		return err
	}
	var rows [][]string
	g := report.Num
	for _, r := range res.results {
		for i := range r.X {
			rows = append(rows, []string{r.Method, strconv.Itoa(i), g(r.X[i][0]), g(r.X[i][1]), g(r.Y[i][0]), g(r.Y[i][1]), g(r.Loss[i])})
		}
	}
	return report.WriteCSV(stage.Path("toy.csv"), []string{"method", "iter", "x0", "x1", "y0", "y1", "loss"}, rows)
}
