package main

import (
	"bytes"
	"fmt"
	"io"

	"github.com/physgrad/physgrad/problems"
	"github.com/physgrad/physgrad/report"
	"github.com/physgrad/physgrad/train"
)

// The demo's heat training is sized to take about two minutes on two cores;
// hidden flags of the demo command change it (for tests).
var (
	demoHeatBatch = 128
	demoHeatSteps = 100
)

func init() { demoSections = append(demoSections, namedSection{"heat", demoHeat}) }

func demoHeat(stage *report.Staging, w io.Writer, jsonOut map[string]any) (report.Section, error) {
	tp, err := problems.GetTrainProblem("heat")
	if err != nil {
		return report.Section{}, err
	}
	w0, err := problems.TorchUNetWeights()
	if err != nil {
		return report.Section{}, err
	}
	p := &trainPlan{problem: "heat", tp: tp, methods: []string{"sip", "adam"}, tasks: map[string]train.Task{},
		settings: map[string]train.Settings{}, resumes: map[string]*train.Checkpoint{}, init: map[string]string{}}
	for _, m := range p.methods {
		task, tm, err := tp.Task(m, problems.TaskOptions{})
		if err != nil {
			return report.Section{}, err
		}
		p.tasks[m] = task
		p.settings[m] = train.Settings{Method: tm, Batch: demoHeatBatch, Steps: demoHeatSteps, InitWeights: w0, InitLabel: problems.InitTorch}
		p.init[m] = problems.InitTorch
	}
	fmt.Fprintf(w, "\nHeat inverse problem R6: U-Net trained with SIP and with Adam (DP), batch %d, %d steps each\n", demoHeatBatch, demoHeatSteps)
	results := runTrainings(p)
	for _, r := range results {
		if r.Status == train.Failed {
			return report.Section{}, fmt.Errorf("heat %s: %v", r.Method, r.Err)
		}
	}
	if err := writeTrainFiles(stage, p, results); err != nil {
		return report.Section{}, err
	}
	var table bytes.Buffer
	printTrainTable(&table, p, results)
	fmt.Fprint(w, table.String())
	jsonOut["heat"] = trainJSON("heat", results, nil, p.init)
	return report.Section{
		Title: "Heat inverse problem R6: SIP against Adam",
		Text: fmt.Sprintf("A U-Net (37,697 parameters) learns to undo diffusion (ν·t = 8) of fields of 4–10 rectangles on a 64×64 periodic grid. "+
			"Both methods start from the authors' initial weights (what torch.manual_seed(0) gives their network) and see the same batches (%d per step, %d steps). SIP fits the network to the damped "+
			"inverse simulator's correction; Adam back-propagates the loss through the simulator's adjoint.", demoHeatBatch, demoHeatSteps),
		Table: table.String(),
		Figures: []report.Figure{
			{Title: "x error", Caption: "Batch mean of ½Σ(x − x*)² per step, log scale. SIP's error falls below Adam's within tens of steps.", Image: "curves_x.png", Vector: "curves_x.svg"},
			{Title: "y error", Caption: "Batch mean of ½Σ(P(x) − y*)²: how well the diffused prediction matches the observation.", Image: "curves_y.png", Vector: "curves_y.svg"},
			{Title: "Training loss", Caption: "The loss each method back-propagates: SIP's proxy ½|x − x̃|², Adam's ½|P(x) − y*|².", Image: "curves_loss.png", Vector: "curves_loss.svg"},
			{Title: "One validation sample", Caption: "Observation y*, the reconstructions of both networks (evaluation mode) and the true x on one colour scale. SIP's reconstruction is sharper; Adam's has halos.", Image: "heat_samples.png", Vector: "heat_samples.svg"},
		},
	}, nil
}
