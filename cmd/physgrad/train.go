package main

import (
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
	"gonum.org/v1/plot/vg"

	"github.com/physgrad/physgrad/problems"
	"github.com/physgrad/physgrad/report"
	"github.com/physgrad/physgrad/train"
)

type trainOptions struct {
	methods   string
	steps     int
	timeLimit string
	batch     int
	lr        string
	seed      uint64
	xi, phi   float64
	solver    string
	init      string
	resume    string
	ckEvery   int
	output    outputFlags
	hig       higOptions
}

func init() { extraCommands = append(extraCommands, newTrainCmd) }

func newTrainCmd() *cobra.Command {
	o := &trainOptions{}
	c := &cobra.Command{
		Use:   "train <problem>",
		Short: "Train a network through a simulator: SIP, DP, supervised, HIG or Gauss-Newton",
		Long: `Trains one network initialisation on one data stream with each method and
compares them. Problems: ` + strings.Join(problems.TrainProblemNames(), ", ") + `.

Methods: sip (scale-invariant physics: fit the inverse simulator's correction,
Adam), adam / sgd / momentum / rmsprop / adagrad / adadelta / dp (DP: the loss
back-propagated through the simulator's adjoint with that weight optimiser; dp
means Adam), supervised (against the true x). exp also has sip-newton and
sip-sign (its sip is the Newton step clipped to 0.1). oscillators and higtoy
also have hig (half-inverse gradients: SGD with rate 1 on V Σ^-½ Uᵀ of the
stacked per-sample Jacobian of network and physics, singular values below
--tau·σmax dropped) and gn (the same with the pseudo-inverse, rate 0.1); their stacked
Jacobian is capped by --max-jacobian-mb. higtoy's physics factor is --lambda;
it logs act_mean, act_std, act_sat (hidden-neuron saturation) and val_loss as extra
columns.

With --out, each method gets a CSV (step, seconds, x_l1, x_l2, y_l2, loss) and
a checkpoint (checkpoints/<method>/), and the methods' curves are plotted on a
log scale; heat also gets an image row of one validation sample.
--resume DIR continues every method from the checkpoints in DIR.`,
		Args: func(c *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usagef("train: name one problem (%s), got %d arguments", strings.Join(problems.TrainProblemNames(), ", "), len(args))
			}
			return nil
		},
		RunE: func(c *cobra.Command, args []string) error { return runTrain(c, o, args[0], c.OutOrStdout()) },
	}
	f := c.Flags()
	f.StringVar(&o.methods, "methods", "", "comma list of methods (default: the problem's published comparison)")
	f.IntVar(&o.steps, "steps", 0, "training steps per method (default: the problem's; 0 with --time-limit: unlimited)")
	f.StringVar(&o.timeLimit, "time-limit", "", "wall-time limit per method, e.g. 120s or 2m")
	f.IntVar(&o.batch, "batch", 0, "batch size (default: the published one)")
	f.StringVar(&o.lr, "lr", "", "learning rate, for all methods (1e-3) or per method (sip=1e-3,sgd=1e-2)")
	f.Uint64Var(&o.seed, "seed", 0, "seed of the initial weights and the data stream")
	f.Float64Var(&o.xi, "xi", 32, "sin: conditioning ξ")
	f.Float64Var(&o.phi, "phi", 0, "sin: coupling angle φ in degrees")
	f.StringVar(&o.solver, "solver", "exact", "poisson: forward solver, exact (sine transform) or cg (the authors' CG, 1e-5)")
	f.StringVar(&o.init, "init", "", "initial weights: seed (drawn from --seed), torch (the authors' exact initial U-Net, heat and poisson) or a .npy file of all parameters in PyTorch's order (default: torch for heat and poisson unless --seed is given, else seed)")
	f.StringVar(&o.resume, "resume", "", "continue from the checkpoints of an earlier --out folder (methods it has no checkpoint of start afresh); the results go back into that folder unless --out is given")
	f.IntVar(&o.ckEvery, "checkpoint-every", 10, "steps between checkpoints (unless given, also at most one per 5 s)")
	o.output.register(c, "")
	c.Flags().Lookup("out").Usage = "write plots (PNG+SVG), CSV and checkpoints into this folder"
	o.hig.register(c)
	return c
}

// trainPlan is a validated training invocation.
type trainPlan struct {
	problem  string
	tp       problems.TrainProblem
	methods  []string
	tasks    map[string]train.Task
	settings map[string]train.Settings
	resumes  map[string]*train.Checkpoint
	// init says where each method's initial weights come from: InitSeed,
	// InitTorch, a file, or "checkpoint" for a resumed run.
	init      map[string]string
	out       string
	timeLimit time.Duration
}

func (o *trainOptions) plan(c *cobra.Command, problem string) (*trainPlan, error) {
	tp, err := problems.GetTrainProblem(problem)
	if err != nil {
		return nil, usagef("%v", err)
	}
	p := &trainPlan{problem: problem, tp: tp, tasks: map[string]train.Task{}, settings: map[string]train.Settings{}, resumes: map[string]*train.Checkpoint{}, init: map[string]string{}}
	if p.methods, err = parseNames("methods", o.methods); err != nil {
		return nil, err
	}
	if len(p.methods) == 0 {
		if c.Flags().Changed("methods") {
			return nil, usagef("--methods: empty; choose from %s", strings.Join(tp.Methods, ", "))
		}
		p.methods = tp.Default
	}
	for _, m := range p.methods {
		if err := tp.CheckMethod(problem, m); err != nil {
			return nil, usagef("--methods: %v", err)
		}
	}
	if o.timeLimit != "" {
		d, err := time.ParseDuration(o.timeLimit)
		if err != nil {
			if s, err2 := strconv.ParseFloat(o.timeLimit, 64); err2 == nil && s > 0 && !math.IsInf(s, 0) {
				d, err = time.Duration(s*float64(time.Second)), nil
			}
		}
		if err != nil || d <= 0 {
			return nil, usagef("--time-limit: %q is not a positive duration (e.g. 120s, 2m)", o.timeLimit)
		}
		p.timeLimit = d
	}
	if o.steps < 0 {
		return nil, usagef("--steps: must be ≥ 0, got %d", o.steps)
	}
	steps := o.steps
	if steps == 0 && p.timeLimit == 0 {
		steps = tp.Steps
	}
	if c.Flags().Changed("batch") && o.batch <= 0 {
		return nil, usagef("--batch: must be ≥ 1, got %d", o.batch)
	}
	if b := float64(o.batch) * tp.BytesPerSample; b > 16*(1<<30) {
		return nil, usagef("--batch: %d samples would need about %.0f GiB of memory for training; at most 16 GiB is allowed", o.batch, b/(1<<30))
	}
	if o.ckEvery <= 0 {
		return nil, usagef("--checkpoint-every: must be ≥ 1, got %d", o.ckEvery)
	}
	lrs, lrAll, err := parseLR(o.lr)
	if err != nil {
		return nil, err
	}
	for m := range lrs {
		if tp.CheckMethod(problem, m) != nil {
			return nil, usagef("--lr: method %q is not one of --methods", m)
		}
	}
	for _, f := range [][2]string{{"xi", "sin"}, {"phi", "sin"}, {"solver", "poisson"}} {
		if c.Flags().Changed(f[0]) && problem != f[1] {
			return nil, usagef("--%s: only %s has it, not %s", f[0], f[1], problem)
		}
	}
	if o.solver != "exact" && o.solver != "cg" {
		return nil, usagef("--solver: %q is neither exact nor cg", o.solver)
	}
	if problem == "sin" {
		if !(o.xi > 0) || math.IsInf(o.xi, 0) {
			return nil, usagef("--xi: must be a positive finite number, got %v", o.xi)
		}
		if math.IsNaN(o.phi) || math.IsInf(o.phi, 0) {
			return nil, usagef("--phi: must be a finite angle in degrees, got %v", o.phi)
		}
	}
	if err := o.hig.checkFlags(c, problem); err != nil {
		return nil, err
	}
	initName, err := o.initChoice(c, tp)
	if err != nil {
		return nil, err
	}
	var initWeights []float32
	p.out = o.output.out
	if o.resume != "" && p.out == "" {
		p.out = o.resume
	}
	taskOpts := problems.TaskOptions{Xi: o.xi, Phi: o.phi, Lambda: o.hig.lambda, PoissonCG: o.solver == "cg"}
	cks, ref, missing, err := o.loadResume(p.methods)
	if err != nil {
		return nil, err
	}
	// A method that --resume has no checkpoint of starts the way the
	// interrupted command started the others (ref): their seed, initial
	// weights and --batch, if it had one (ref's batch is not its method's
	// default).
	refBatch := 0
	if ref != nil {
		if ref.Init != "" {
			initName = ref.Init
		}
		if rt, _, err := tp.Task(ref.Method, taskOpts); err == nil && ref.Batch != train.DefaultBatch(rt, ref.Method) {
			refBatch = ref.Batch
		}
	}
	for _, m := range p.methods {
		task, tm, err := tp.Task(m, taskOpts)
		if err != nil {
			return nil, usagef("%v", err)
		}
		s := train.Settings{Method: tm, LR: lrAll, Batch: o.batch, Steps: steps, TimeLimit: p.timeLimit, Seed: o.seed, CheckpointEvery: o.ckEvery}
		if !c.Flags().Changed("checkpoint-every") {
			s.CheckpointInterval = 5 * time.Second
		}
		if v, ok := lrs[m]; ok {
			s.LR = v
		}
		if p.out != "" {
			s.Checkpoint = filepath.Join(p.out, "checkpoints", m)
		}
		if ck := cks[m]; ck != nil {
			if !c.Flags().Changed("batch") {
				s.Batch = ck.Batch
			}
			if !c.Flags().Changed("seed") {
				s.Seed = ck.Seed
			}
			if err := ck.Check(task, s); err != nil {
				return nil, usagef("--resume %s (%s): %v", o.resume, m, err)
			}
			// The optimiser's state carries its rate; a different one would be
			// silently overridden by the restore.
			if s.LR != 0 && s.LR != ck.LR {
				return nil, usagef("--lr: the checkpoint of %s in %s was trained with rate %g; a resumed run keeps it", m, o.resume, ck.LR)
			}
			s.LR = ck.LR
			if s.Steps > 0 && s.Steps <= ck.Step+1 {
				return nil, usagef("--steps %d: the checkpoint of %s in %s has already taken %d steps", s.Steps, m, o.resume, ck.Step+1)
			}
			s.Resume = ck
			p.resumes[m] = ck
		}
		if s.Resume == nil {
			if ref != nil && !c.Flags().Changed("seed") {
				s.Seed = ref.Seed
			}
			if refBatch != 0 && !c.Flags().Changed("batch") {
				s.Batch = refBatch
			}
			s.InitLabel = initName
			if initWeights == nil && initName != problems.InitSeed {
				if initWeights, err = loadInit(task, s.Seed, initName); err != nil {
					return nil, err
				}
			}
			s.InitWeights = initWeights
			p.init[m] = initName
		} else {
			s.InitLabel = s.Resume.Init
			p.init[m] = "checkpoint"
		}
		p.tasks[m], p.settings[m] = task, s
	}
	if err := o.hig.check(c, p); err != nil {
		return nil, err
	}
	// Said only once the plan is valid: bad usage gets its one line.
	if len(missing) > 0 {
		fmt.Fprintf(os.Stderr, "physgrad: --resume %s: no checkpoint for %s; starting from step 0\n", o.resume, strings.Join(missing, ", "))
	}
	return p, nil
}

// loadResume reads the --resume checkpoint of each method, if --resume is
// set, and returns them by method with the first one found (ref) and the
// methods without one (a run interrupted before they began: they start
// afresh); none at all is bad usage.
func (o *trainOptions) loadResume(methods []string) (cks map[string]*train.Checkpoint, ref *train.Checkpoint, missing []string, err error) {
	cks = map[string]*train.Checkpoint{}
	if o.resume == "" {
		return cks, nil, nil, nil
	}
	for _, m := range methods {
		ck, err := train.LoadCheckpoint(filepath.Join(o.resume, "checkpoints", m))
		switch {
		case errors.Is(err, os.ErrNotExist):
			missing = append(missing, m)
		case err != nil:
			return nil, nil, nil, usagef("--resume %s: %v", o.resume, err)
		default:
			cks[m] = ck
			if ref == nil {
				ref = ck
			}
		}
	}
	if ref == nil {
		return nil, nil, nil, usagef("--resume %s: no checkpoint for %s (want %s)", o.resume, strings.Join(missing, ", "),
			filepath.Join(o.resume, "checkpoints", "<method>", train.CheckpointFile))
	}
	return cks, ref, missing, nil
}

// initChoice resolves --init: the problem's default (InitTorch for heat
// and Poisson, where the published runs start) unless --seed asks for
// another draw.
func (o *trainOptions) initChoice(c *cobra.Command, tp problems.TrainProblem) (string, error) {
	name := o.init
	if !c.Flags().Changed("init") {
		name = tp.DefaultInit
		if name == "" || c.Flags().Changed("seed") {
			name = problems.InitSeed
		}
	}
	switch {
	case c.Flags().Changed("init") && o.resume != "":
		return "", usagef("--init: a resumed run continues from its checkpoint's weights; drop --init or --resume")
	case name == "":
		return "", usagef("--init: empty; use seed, torch or a .npy file")
	case name == problems.InitTorch && !tp.TorchInit:
		return "", usagef("--init torch: only heat and poisson train the authors' U-Net; use seed or a .npy file")
	}
	return name, nil
}

// loadInit returns the initial weights InitTorch or a .npy file gives,
// checked against the network's parameter count.
func loadInit(task train.Task, seed uint64, name string) ([]float32, error) {
	net, err := task.NewNet(seed)
	if err != nil {
		return nil, err
	}
	var w []float32
	if name == problems.InitTorch {
		w, err = problems.TorchUNetWeights()
	} else {
		w, err = problems.ReadWeights(name, net.NumParams())
	}
	if err != nil {
		return nil, usagef("--init: %v", err)
	}
	if len(w) != net.NumParams() {
		return nil, usagef("--init %s: %d weights, the network has %d parameters", name, len(w), net.NumParams())
	}
	return w, nil
}

// parseLR accepts one rate for all methods or method=rate pairs.
func parseLR(s string) (map[string]float64, float64, error) {
	if strings.TrimSpace(s) == "" {
		return nil, 0, nil
	}
	if !strings.Contains(s, "=") {
		v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
		if err != nil || !(v > 0) || math.IsInf(v, 0) {
			return nil, 0, usagef("--lr: must be a positive finite number, got %q", s)
		}
		return nil, v, nil
	}
	m, err := parseEtas("lr", s)
	return m, 0, err
}

func runTrain(c *cobra.Command, o *trainOptions, problem string, w io.Writer) error {
	p, err := o.plan(c, problem)
	if err != nil {
		return err
	}
	var stage *report.Staging
	if p.out != "" {
		if stage, err = report.NewStaging(p.out); err != nil {
			return usageError{err}
		}
		defer stage.Abort()
	}
	results := runTrainings(p)
	for _, r := range results {
		// A failed run (not a diverged one, which is a result) writes
		// nothing into --out beyond its atomic checkpoints.
		if r.Status == train.Failed {
			return fmt.Errorf("%s: %v", r.Method, r.Err)
		}
	}
	if stage != nil {
		if err := writeTrainFiles(stage, p, results); err != nil {
			return err
		}
		if err := stage.Commit(); err != nil {
			return err
		}
	}
	if o.output.json {
		if err := printJSON(trainJSON(problem, results, extraNameMap(p), p.init)); err != nil {
			return err
		}
	} else {
		printTrainTable(w, p, results)
	}
	return nil
}

// runTrainings trains every method of the plan with a progress report.
func runTrainings(p *trainPlan) []*train.Result {
	var results []*train.Result
	for _, m := range p.methods {
		s := p.settings[m]
		total := s.Steps
		if s.TimeLimit > 0 && total == 0 {
			total = -1
		}
		pr := newProgress(p.problem+" "+m, total)
		metric := p.tp.Metric
		s.OnStep = func(e train.StepLog) {
			v := metricValue(metric, e)
			pr.update(e.Step+1, fmt.Sprintf("%s %.4g", metric, v))
		}
		r := train.Run(p.tasks[m], s)
		pr.done()
		r.Method = m
		if r.Err != nil && r.Status != train.Failed { // failures are returned as the command's error
			fmt.Fprintf(os.Stderr, "physgrad: %s: %v\n", m, r.Err)
		}
		results = append(results, r)
	}
	return results
}

// tailMean is the mean of f over the last n log entries.
func tailMean(log []train.StepLog, n int, f func(train.StepLog) float64) float64 {
	if len(log) == 0 {
		return math.NaN()
	}
	if n > len(log) {
		n = len(log)
	}
	s := 0.0
	for _, e := range log[len(log)-n:] {
		s += f(e)
	}
	return s / float64(n)
}

func printTrainTable(w io.Writer, p *trainPlan, results []*train.Result) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "method\tsteps\tstatus\tsteps/s\tx_l1\tx_l2\ty_l2\tloss\t(means over the last 10 steps)\n")
	for _, r := range results {
		n := len(r.Log)
		rate := math.NaN()
		if n > 0 {
			first := 0.0
			if ck := p.resumes[r.Method]; ck != nil {
				first = float64(ck.Step + 1)
			}
			el := r.Log[n-1].Seconds
			if ck := p.resumes[r.Method]; ck != nil && len(ck.Log) > 0 {
				el -= ck.Log[len(ck.Log)-1].Seconds
			}
			rate = (float64(n) - first) / el
		}
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\t%s\t%s\t%s\n", r.Method, n, r.Status, tableNum(rate, 'f', 1),
			tableNum(tailMean(r.Log, 10, func(e train.StepLog) float64 { return e.XL1 }), 'g', 4),
			tableNum(tailMean(r.Log, 10, func(e train.StepLog) float64 { return e.XL2 }), 'g', 4),
			tableNum(tailMean(r.Log, 10, func(e train.StepLog) float64 { return e.YL2 }), 'g', 4),
			tableNum(tailMean(r.Log, 10, func(e train.StepLog) float64 { return e.Loss }), 'g', 4))
	}
	tw.Flush()
	for _, r := range results {
		if r.Method == "sip" && len(results) > 1 {
			fmt.Fprintln(w, "loss is what each method back-propagates: SIP its proxy loss against the inverse simulator's correction x̃, DP the y loss.")
			break
		}
	}
}

// tableNum formats a table entry; a metric the problem does not have (no
// true x, say) is NaN and shows as "-".
func tableNum(v float64, format byte, prec int) string {
	if math.IsNaN(v) {
		return "-"
	}
	return strconv.FormatFloat(v, format, prec, 64)
}

type trainStepJSON struct {
	Step    int       `json:"step"`
	Seconds jsonFloat `json:"seconds"`
	XL1     jsonFloat `json:"x_l1"`
	XL2     jsonFloat `json:"x_l2"`
	YL2     jsonFloat `json:"y_l2"`
	Loss    jsonFloat `json:"loss"`
	// the task's extra statistics, written as further keys
	names []string
	extra []float64
}

// trainJSON is the JSON of the runs' logs, with each method's extra
// statistics (names per method) as further keys of every step and, if
// known, where its initial weights came from.
func trainJSON(problem string, results []*train.Result, names map[string][]string, init map[string]string) any {
	type run struct {
		Method string          `json:"method"`
		Init   string          `json:"init,omitempty"`
		Status string          `json:"status"`
		Error  string          `json:"error,omitempty"`
		Steps  []trainStepJSON `json:"steps"`
	}
	runs := []run{}
	for _, r := range results {
		j := run{Method: r.Method, Init: init[r.Method], Status: r.Status.String(), Steps: []trainStepJSON{}}
		if r.Err != nil {
			j.Error = r.Err.Error()
		}
		for _, e := range r.Log {
			j.Steps = append(j.Steps, trainStepJSON{e.Step, jsonFloat(e.Seconds), jsonFloat(e.XL1), jsonFloat(e.XL2), jsonFloat(e.YL2), jsonFloat(e.Loss), names[r.Method], e.Extra})
		}
		runs = append(runs, j)
	}
	return map[string]any{"problem": problem, "runs": runs}
}

func writeTrainFiles(stage *report.Staging, p *trainPlan, results []*train.Result) error {
	for _, r := range results {
		if err := train.WriteLogCSV(stage.Path(r.Method+".csv"), r.Log, extraNames(p, r.Method)); err != nil {
			return err
		}
	}
	curves := []struct {
		name, label string
		f           func(train.StepLog) float64
	}{
		{"curves_x", p.tp.Metric, func(e train.StepLog) float64 { return metricValue(p.tp.Metric, e) }},
		{"curves_y", "y_l2", func(e train.StepLog) float64 { return e.YL2 }},
		{"curves_loss", "training loss", func(e train.StepLog) float64 { return e.Loss }},
	}
	for _, c := range curves {
		if c.name == "curves_x" && p.tp.Metric == "y_l2" {
			continue // the problem has no x metric of its own; curves_y shows it
		}
		var series []report.Series
		for _, r := range results {
			s := report.Series{Name: r.Method}
			for _, e := range r.Log {
				s.X = append(s.X, float64(e.Step))
				s.Y = append(s.Y, c.f(e))
			}
			series = append(series, s)
		}
		pl, err := report.Curves(p.problem+": "+c.label, "step", c.label, series, true)
		if err != nil {
			return err
		}
		if err := report.Save(pl, 6*vg.Inch, 4*vg.Inch, stage.PlotBase(c.name)); err != nil {
			return err
		}
	}
	if err := writeExtraCurves(stage, p, results); err != nil {
		return err
	}
	switch p.problem {
	case "heat":
		return writeHeatSamples(stage, p, results)
	case "exp":
		return writeExpError(stage, results)
	}
	return nil
}

// writeHeatSamples shows one validation sample: the observation, each
// method's reconstruction and the reference.
func writeHeatSamples(stage *report.Staging, p *trainPlan, results []*train.Result) error {
	var titles []string
	var fields [][]float64
	var truth, obs []float64
	for _, r := range results {
		if r.Net == nil {
			continue
		}
		task := p.tasks[r.Method].(*problems.HeatTask)
		x, xt, yt, err := problems.HeatValidation(task, r.Net, p.settings[r.Method].Seed)
		if err != nil {
			return err
		}
		truth, obs = xt, yt
		titles = append(titles, r.Method)
		fields = append(fields, x)
	}
	if truth == nil {
		return nil
	}
	titles = append([]string{"observation y*"}, append(titles, "reference x")...)
	fields = append([][]float64{obs}, append(fields, truth)...)
	n := p.tasks[p.methods[0]].(*problems.HeatTask).N
	return report.FieldRow(stage.PlotBase("heat_samples"), titles, fields, n, n)
}

// writeExpError plots each trained network's error |f(exp x) − x| over
// x ∈ [−12, 0]: DP stalls on the low end, where exp's gradient vanishes.
func writeExpError(stage *report.Staging, results []*train.Result) error {
	var series []report.Series
	for _, r := range results {
		if r.Net == nil {
			continue
		}
		xs, errs, err := problems.ExpError(r.Net, 241)
		if err != nil {
			return err
		}
		series = append(series, report.Series{Name: r.Method, X: xs, Y: errs})
	}
	pl, err := report.Curves("exp: |f(exp x) − x| after training", "x", "|x error|", series, true)
	if err != nil {
		return err
	}
	return report.Save(pl, 6*vg.Inch, 4*vg.Inch, stage.PlotBase("exp_error"))
}
