package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/physgrad/physgrad/problems"
	"github.com/physgrad/physgrad/report"
)

type demoOptions struct {
	sections string
	output   outputFlags
}

// demoSection is one part of the demo: it runs, writes its files into the
// staging folder, prints a summary and returns its section of the index.
type demoSection func(stage *report.Staging, w io.Writer, jsonOut map[string]any) (report.Section, error)

// demoSections are the parts of the demo in order; the toy comparison comes
// first, and other command files append theirs.
var demoSections = []namedSection{{"toy", demoToy}}

type namedSection struct {
	name string
	run  demoSection
}

func newDemoCmd() *cobra.Command {
	o := &demoOptions{}
	c := &cobra.Command{
		Use:   "demo",
		Short: "Run physgrad's main job on its built-in defaults and write every plot into ./physgrad-out/",
		Long: `Runs the built-in demonstration and writes plots, CSV files and an index.html
that shows every plot with a caption (about two minutes on two cores):

  1. the toy comparison of GD, Newton and physical gradients (SPEC R1);
  2. the heat inverse problem (SPEC R6): a U-Net trained through the diffusion
     simulator with SIP and with Adam from the same weights and data.`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error { return runDemo(o, c.OutOrStdout()) },
	}
	o.output.register(c, "physgrad-out")
	c.Flags().StringVar(&o.sections, "sections", "toy,heat", "parts to run: toy (seconds), heat (about two minutes)")
	c.Flags().IntVar(&demoHeatSteps, "heat-steps", demoHeatSteps, "steps of each heat training")
	c.Flags().IntVar(&demoHeatBatch, "heat-batch", demoHeatBatch, "batch size of the heat training")
	c.Flags().MarkHidden("heat-steps")
	c.Flags().MarkHidden("heat-batch")
	return c
}

func runDemo(o *demoOptions, w io.Writer) error {
	if demoHeatSteps < 1 || demoHeatBatch < 2 {
		return usagef("--heat-steps must be ≥ 1 and --heat-batch ≥ 2")
	}
	if o.output.out == "" {
		return usagef("--out: the demo needs an output folder")
	}
	stage, err := report.NewStaging(o.output.out)
	if err != nil {
		return usageError{err}
	}
	defer stage.Abort()
	var text io.Writer = w
	if o.output.json {
		text = io.Discard
	}
	want := map[string]bool{}
	for _, n := range parseList(o.sections) {
		known := false
		for _, s := range demoSections {
			known = known || s.name == n
		}
		if !known {
			return usagef("--sections: unknown part %q (known: toy, heat)", n)
		}
		want[n] = true
	}
	if len(want) == 0 {
		return usagef("--sections: empty; choose from toy, heat")
	}
	jsonOut := map[string]any{}
	var sections []report.Section
	for _, s := range demoSections {
		if !want[s.name] {
			continue
		}
		sec, err := s.run(stage, text, jsonOut)
		if err != nil {
			return err
		}
		sections = append(sections, sec)
	}
	if err := report.WriteIndex(stage.Path("index.html"), "physgrad demo", sections); err != nil {
		return err
	}
	if err := stage.Commit(); err != nil {
		return err
	}
	abs, _ := filepath.Abs(o.output.out)
	if o.output.json {
		jsonOut["out"] = abs
		return printJSON(jsonOut)
	}
	fmt.Fprintf(w, "\nwrote %s\n", filepath.Join(abs, "index.html"))
	return nil
}

func demoToy(stage *report.Staging, w io.Writer, jsonOut map[string]any) (report.Section, error) {
	tp := problems.Square()
	names := []string{"gd", "newton", "pg", "pg-numeric", "adam"}
	res := runToy(tp, tp.Start, names, tp.Eta, 10)
	for _, r := range res.results {
		if r.Err != nil {
			fmt.Fprintf(os.Stderr, "physgrad: %s: %v\n", r.Method, r.Err)
		}
	}
	if err := writeToyFiles(stage, res); err != nil {
		return report.Section{}, err
	}
	var table bytes.Buffer
	printToyTable(&table, res)
	fmt.Fprintf(w, "Toy problem R1: y = (x0, x1²), L = |y|², 10 iterations from (3, 3)\n%s", table.String())
	jsonOut["toy"] = toyJSON(res)
	return report.Section{
		Title: "Toy problem R1: y = (x0, x1²), L = |y|²",
		Text:  "Ten iterations of each method from (3, 3) with the published step sizes (gd 0.01, newton 1/3, pg 0.3).",
		Table: table.String(),
		Figures: []report.Figure{
			{Title: "Trajectories in x", Caption: "Iterates of each method over the contours of L(P(x)); the cross marks the optimum. GD crawls along the steep x1 direction, Newton rescales it, PG heads more directly for the optimum.", Image: "toy_x.png", Vector: "toy_x.svg"},
			{Title: "Trajectories in y", Caption: "The same iterates in observation space over the contours of L(y). PG's path in y is a straight line to the origin.", Image: "toy_y.png", Vector: "toy_y.svg"},
		},
	}, nil
}
