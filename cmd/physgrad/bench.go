package main

import (
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/physgrad/physgrad/problems"
	"github.com/physgrad/physgrad/report"
	"github.com/physgrad/physgrad/train"
)

type benchOptions struct {
	batch, steps int
	method       string
	output       outputFlags
}

func init() { extraCommands = append(extraCommands, newBenchCmd) }

func newBenchCmd() *cobra.Command {
	c := &cobra.Command{
		Use:   "bench",
		Short: "Time physgrad's kernels on this machine",
		Args:  cobra.NoArgs,
		RunE: func(c *cobra.Command, args []string) error {
			return usagef("bench: name what to time (heat-step)")
		},
	}
	o := &benchOptions{}
	hs := &cobra.Command{
		Use:   "heat-step",
		Short: "Time one full heat training step (data, U-Net forward, physics, loss, backward, Adam)",
		Long: `Runs heat training steps through the same code path as 'physgrad train heat'
(after one warm-up step) and reports the median step time and the achieved
GFLOP/s of the network's convolutions. The authors' PyTorch code takes 1.82 s
per SIP step at batch 128 on a 2-core machine like ours.`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error { return runBenchHeatStep(o, c.OutOrStdout()) },
	}
	hs.Flags().IntVar(&o.batch, "batch", 128, "batch size")
	hs.Flags().IntVar(&o.steps, "steps", 10, "timed steps")
	hs.Flags().StringVar(&o.method, "method", "sip", "training method (sip, adam, …)")
	o.output.register(hs, "")
	c.AddCommand(hs)
	return c
}

func runBenchHeatStep(o *benchOptions, w io.Writer) error {
	if o.batch < 2 {
		return usagef("--batch: must be ≥ 2 (batch norm needs two samples), got %d", o.batch)
	}
	if o.steps < 1 {
		return usagef("--steps: must be ≥ 1, got %d", o.steps)
	}
	if err := train.CheckMethod(o.method); err != nil {
		return usagef("--method: %v", err)
	}
	if o.method == "hig" || o.method == "gn" {
		return usagef("--method: %s needs per-sample Jacobians, which heat does not have", o.method)
	}
	task, err := problems.NewHeatTask(64)
	if err != nil {
		return err
	}
	tr, err := train.NewTrainer(task, train.Settings{Method: o.method, Batch: o.batch})
	if err != nil {
		return usageError{err}
	}
	pr := newProgress("heat-step "+o.method, o.steps+1)
	times := make([]float64, 0, o.steps)
	for i := 0; i <= o.steps; i++ {
		start := time.Now()
		if _, err := tr.Step(i); err != nil {
			return err
		}
		if i > 0 {
			times = append(times, time.Since(start).Seconds())
		}
		pr.update(i+1, fmt.Sprintf("%.3f s", time.Since(start).Seconds()))
	}
	pr.done()
	if o.output.out != "" {
		if err := writeBenchCSV(o.output.out, times); err != nil {
			return err
		}
	}
	sort.Float64s(times)
	med := times[len(times)/2]
	if len(times)%2 == 0 {
		med = 0.5 * (times[len(times)/2-1] + times[len(times)/2])
	}
	gflops := tr.Net.TrainFLOPs(o.batch) / med / 1e9
	if o.output.json {
		return printJSON(map[string]any{"median_seconds": med, "gflops": gflops, "batch": o.batch,
			"method": o.method, "steps": o.steps, "min_seconds": times[0], "max_seconds": times[len(times)-1]})
	}
	fmt.Fprintf(w, "heat %s step, batch %d: median %.3f s over %d steps (min %.3f, max %.3f), %.1f GFLOP/s\n",
		o.method, o.batch, med, o.steps, times[0], times[len(times)-1], gflops)
	return nil
}

// writeBenchCSV writes the step times (in the order taken) to DIR/heat_step.csv.
func writeBenchCSV(dir string, times []float64) error {
	stage, err := report.NewStaging(dir)
	if err != nil {
		return usageError{err}
	}
	defer stage.Abort()
	var b strings.Builder
	b.WriteString("step,seconds\n")
	for i, t := range times {
		fmt.Fprintf(&b, "%d,%.6f\n", i+1, t)
	}
	if err := os.WriteFile(stage.Path("heat_step.csv"), []byte(b.String()), 0o644); err != nil {
		return err
	}
	return stage.Commit()
}
