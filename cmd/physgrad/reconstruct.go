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
	"gonum.org/v1/plot/vg"

	"github.com/physgrad/physgrad/method"
	"github.com/physgrad/physgrad/problems"
	"github.com/physgrad/physgrad/report"
	"github.com/physgrad/physgrad/report/fieldio"
	"github.com/physgrad/physgrad/solve"
)

type reconstructOptions struct {
	methods string
	steps   int
	seed    uint64
	amount  float64
	target  string
	truth   string
	etas    string
	prec    float64
	output  outputFlags
}

func init() { extraCommands = append(extraCommands, newReconstructCmd) }

func newReconstructCmd() *cobra.Command {
	o := &reconstructOptions{}
	c := &cobra.Command{
		Use:   "reconstruct heat|poisson",
		Short: "Recover a field x from an observed y* = P(x) without a network",
		Long: `Iterates update rules on x from the start x0 = y* and reports, per iteration,
x-L2 = ½Σ(x − x*)² (when the truth is known), y-L2 = ½Σ(P(x) − y*)² and seconds.

heat: diffusion by ν·t (--amount, default 8) on a periodic grid; pg uses the damped
probabilistic inverse. poisson: ∇²y = x with zero Dirichlet boundaries; pg uses
the exact inverse x = ∇²y.

Without --target a seeded example is generated (64×64, --seed). --target and
--truth read .npy (float32/float64, 2D) or CSV files.
Methods: ` + strings.Join(problems.ReconstructionMethods(), ", ") + `.`,
		Args: cobra.ExactArgs(1),
		RunE: func(c *cobra.Command, args []string) error { return runReconstruct(c, o, args[0], c.OutOrStdout()) },
	}
	f := c.Flags()
	f.StringVar(&o.methods, "methods", "pg,gd,adam,lbfgs", "comma list of methods")
	f.IntVar(&o.steps, "steps", 100, "iterations per method")
	f.Uint64Var(&o.seed, "seed", 0, "seed of the generated example")
	f.Float64Var(&o.amount, "amount", 0, "heat: diffusion amount ν·t (default 8)")
	f.StringVar(&o.target, "target", "", "observed field y* (.npy or CSV)")
	f.StringVar(&o.truth, "truth", "", "true field x* (.npy or CSV), optional")
	f.StringVar(&o.etas, "eta", "", "per-method step sizes, e.g. gd=0.5,adam=0.1")
	f.Float64Var(&o.prec, "precision", 0, "heat: relative precision or noise level of y* (default 6e-8 for a float32 .npy target, else 1e-16)")
	o.output.register(c, "")
	return c
}

func (o *reconstructOptions) problem(c *cobra.Command, name string) (*problems.Reconstruction, []string, map[string]float64, error) {
	known := false
	for _, n := range problems.ReconstructionNames() {
		known = known || n == name
	}
	if !known {
		return nil, nil, nil, usagef("unknown problem %q (known: %s)", name, strings.Join(problems.ReconstructionNames(), ", "))
	}
	names, err := parseNames("methods", o.methods)
	if err != nil {
		return nil, nil, nil, err
	}
	if len(names) == 0 {
		return nil, nil, nil, usagef("--methods: empty; choose from %s", strings.Join(problems.ReconstructionMethods(), ", "))
	}
	for _, m := range names {
		if err := problems.CheckReconstructionMethod(m); err != nil {
			return nil, nil, nil, usagef("--methods: %v", err)
		}
	}
	if o.steps < 0 {
		return nil, nil, nil, usagef("--steps: must be ≥ 0, got %d", o.steps)
	}
	if c.Flags().Changed("amount") {
		if name != "heat" {
			return nil, nil, nil, usagef("--amount: applies to heat only")
		}
		if !(o.amount > 0) || math.IsInf(o.amount, 0) {
			return nil, nil, nil, usagef("--amount: must be a positive finite number, got %v", o.amount)
		}
	}
	etas, err := parseEtas("eta", o.etas)
	if err != nil {
		return nil, nil, nil, err
	}
	opts := problems.ReconstructionOptions{Seed: o.seed, Amount: o.amount, Precision: o.prec}
	if c.Flags().Changed("precision") && (!(o.prec > 0) || o.prec >= 1) {
		return nil, nil, nil, usagef("--precision: must be in (0, 1), got %v", o.prec)
	}
	if o.truth != "" && o.target == "" {
		return nil, nil, nil, usagef("--truth: needs --target")
	}
	if o.target != "" {
		ny, nx, data, err := fieldio.ReadField(o.target)
		if err != nil {
			return nil, nil, nil, usagef("--target %v", err)
		}
		opts.Target, opts.NY, opts.NX = data, ny, nx
		if opts.Precision == 0 && isFloat32NPY(o.target) {
			opts.Precision = 0x1p-24 // float32 rounding of the stored observation
		}
		if o.truth != "" {
			ty, tx, tdata, err := fieldio.ReadField(o.truth)
			if err != nil {
				return nil, nil, nil, usagef("--truth %v", err)
			}
			if ty != ny || tx != nx {
				return nil, nil, nil, usagef("--truth %s: %d×%d, but --target %s is %d×%d", o.truth, ty, tx, o.target, ny, nx)
			}
			opts.Truth = tdata
		}
	}
	r, err := problems.NewReconstruction(name, opts)
	if err != nil {
		return nil, nil, nil, usagef("%s: %v", name, err)
	}
	for k, v := range r.Eta {
		if _, ok := etas[k]; !ok {
			etas[k] = v
		}
	}
	return r, names, etas, nil
}

func runReconstruct(c *cobra.Command, o *reconstructOptions, name string, w io.Writer) error {
	r, names, etas, err := o.problem(c, name)
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
	var results []*solve.Result
	for _, n := range names {
		m, err := method.New(n, etas[n])
		if err != nil {
			return usageError{err}
		}
		pr := newProgress(name+" "+n, o.steps)
		settings := solve.Settings{Steps: o.steps, Observe: func(x []float64) float64 {
			v := r.XL2(x)
			return v
		}}
		res := solve.Run(r.Problem, m, r.Target, settings)
		pr.done()
		if res.Err != nil {
			fmt.Fprintf(os.Stderr, "physgrad: %s: %v\n", n, res.Err)
		}
		results = append(results, res)
	}
	if stage != nil {
		if err := writeReconstructFiles(stage, r, results); err != nil {
			return err
		}
		if err := stage.Commit(); err != nil {
			return err
		}
	}
	if o.output.json {
		return printJSON(reconstructJSON(r, results))
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "method\teta\titerations\tstatus\tx-L2 start\tx-L2 final\ty-L2 final\tseconds\n")
	for _, res := range results {
		n := len(res.Loss)
		if n == 0 {
			fmt.Fprintf(tw, "%s\t\t0\t%s\n", res.Method, res.Status)
			continue
		}
		eta := "-"
		if method.UsesStepSize(res.Method) {
			eta = strconv.FormatFloat(etas[res.Method], 'g', 4, 64)
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%.4g\t%.4g\t%.4g\t%.3g\n", res.Method, eta, res.Step, res.Status,
			res.Metric[0], res.Metric[n-1], res.Loss[n-1], res.Seconds[n-1])
	}
	tw.Flush()
	return nil
}

func reconstructJSON(r *problems.Reconstruction, results []*solve.Result) any {
	type run struct {
		Method  string      `json:"method"`
		Status  string      `json:"status"`
		Error   string      `json:"error,omitempty"`
		XL2     []jsonFloat `json:"x_l2,omitempty"`
		YL2     []jsonFloat `json:"y_l2"`
		Seconds []jsonFloat `json:"seconds"`
	}
	runs := []run{}
	for _, res := range results {
		j := run{Method: res.Method, Status: res.Status.String(), YL2: jsonFloats(res.Loss), Seconds: jsonFloats(res.Seconds)}
		if r.Truth != nil {
			j.XL2 = jsonFloats(res.Metric)
		}
		if res.Err != nil {
			j.Error = res.Err.Error()
		}
		runs = append(runs, j)
	}
	return map[string]any{"problem": r.Name, "ny": r.NY, "nx": r.NX, "runs": runs}
}

func writeReconstructFiles(stage *report.Staging, r *problems.Reconstruction, results []*solve.Result) error {
	titles := []string{"observation y*"}
	fields := [][]float64{r.Target}
	if r.Truth != nil {
		titles = append([]string{"truth x*"}, titles...)
		fields = append([][]float64{r.Truth}, fields...)
	}
	for _, res := range results {
		if res.Final == nil || len(res.Loss) == 0 {
			continue
		}
		titles = append(titles, res.Method)
		fields = append(fields, res.Final)
		if err := fieldio.WriteNPY(stage.Path(res.Method+".npy"), r.NY, r.NX, res.Final); err != nil {
			return err
		}
	}
	if err := report.FieldRow(stage.PlotBase("fields"), titles, fields, r.NY, r.NX); err != nil {
		return err
	}
	var xs, ys []report.Series
	for _, res := range results {
		sx, sy := report.Series{Name: res.Method}, report.Series{Name: res.Method}
		for i := range res.Loss {
			sy.X, sy.Y = append(sy.X, float64(i)), append(sy.Y, res.Loss[i])
			if r.Truth != nil {
				sx.X, sx.Y = append(sx.X, float64(i)), append(sx.Y, res.Metric[i])
			}
		}
		xs, ys = append(xs, sx), append(ys, sy)
	}
	plots := []struct {
		name, label string
		s           []report.Series
	}{{"curves_y", "y-L2", ys}}
	if r.Truth != nil {
		plots = append(plots, struct {
			name, label string
			s           []report.Series
		}{"curves_x", "x-L2", xs})
	}
	for _, pl := range plots {
		p, err := report.Curves(r.Name+": "+pl.label+" per iteration", "iteration", pl.label, pl.s, true)
		if err != nil {
			return err
		}
		if err := report.Save(p, 6*vg.Inch, 4*vg.Inch, stage.PlotBase(pl.name)); err != nil {
			return err
		}
	}
	var rows [][]string
	g := report.Num
	for _, res := range results {
		for i := range res.Loss {
			rows = append(rows, []string{res.Method, strconv.Itoa(i), g(res.Seconds[i]), g(res.Metric[i]), g(res.Loss[i])})
		}
	}
	return report.WriteCSV(stage.Path("reconstruct.csv"), []string{"method", "iter", "seconds", "x_l2", "y_l2"}, rows)
}

// isFloat32NPY reports whether path is a .npy file of float32 values.
func isFloat32NPY(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	head := make([]byte, 256)
	n, _ := io.ReadFull(f, head)
	h := string(head[:n])
	return strings.HasPrefix(h, "\x93NUMPY") && strings.Contains(h, "f4'")
}
