package main

import (
	"encoding/csv"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/physgrad/physgrad/train"
)

func TestTrainHIGBadInput(t *testing.T) {
	out := t.TempDir()
	cases := []struct {
		args []string
		flag string
		want string // in stderr besides the flag
	}{
		{[]string{"higtoy", "--tau", "0"}, "--tau", "(0, 1)"},
		{[]string{"higtoy", "--tau", "1"}, "--tau", "(0, 1)"},
		{[]string{"higtoy", "--tau", "-1e-3"}, "--tau", "(0, 1)"},
		{[]string{"oscillators", "--tau", "NaN"}, "--tau", "(0, 1)"},
		{[]string{"oscillators", "--tau", "1.5", "--methods", "hig"}, "--tau", "(0, 1)"},
		{[]string{"higtoy", "--lambda", "0"}, "--lambda", "positive"},
		{[]string{"higtoy", "--lambda", "NaN"}, "--lambda", "positive"},
		{[]string{"oscillators", "--lambda", "2"}, "--lambda", "higtoy"},
		{[]string{"oscillators", "--max-jacobian-mb", "0"}, "--max-jacobian-mb", "positive"},
		// batch 32 × 4 outputs × 1,444 weights × 8 bytes = 1.41 MiB
		{[]string{"oscillators", "--methods", "adam,hig", "--max-jacobian-mb", "1"}, "--max-jacobian-mb", "128 × 1444 float64 Jacobian, 1.4 MiB"},
		{[]string{"higtoy", "--methods", "gn", "--batch", "100000", "--max-jacobian-mb", "20"}, "--max-jacobian-mb", "200000 × 30 float64 Jacobian, 45.8 MiB"},
		{[]string{"higtoy", "--methods", "hig,foo"}, "--methods", "foo"},
	}
	for _, c := range cases {
		expectTrainUsageError(t, filepath.Join(out, "o"), c.args, c.flag, c.want)
	}
	if entries, _ := os.ReadDir(out); len(entries) != 0 {
		t.Errorf("bad input left files in the output folder's parent: %v", entries)
	}
}

// TestTrainHIGToyOutputs runs the toy with every default method and checks
// the extra statistics in the JSON, the CSV columns and the plots.
func TestTrainHIGToyOutputs(t *testing.T) {
	out := filepath.Join(t.TempDir(), "toy")
	code, stdout, stderr := runCLI(t, "train", "higtoy", "--steps", "6", "--lambda", "1", "--tau", "1e-7", "--json", "--out", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var got struct {
		Problem string
		Runs    []struct {
			Method, Status string
			Steps          []map[string]*float64
		}
	}
	if err := json.Unmarshal([]byte(stdout), &got); err != nil {
		t.Fatalf("JSON: %v\n%s", err, stdout)
	}
	if got.Problem != "higtoy" || len(got.Runs) != 3 {
		t.Fatalf("problem %q with %d runs, want higtoy with adam, gn, hig", got.Problem, len(got.Runs))
	}
	for _, r := range got.Runs {
		if r.Status != "done" || len(r.Steps) != 6 {
			t.Fatalf("%s: status %s, %d steps", r.Method, r.Status, len(r.Steps))
		}
		for _, k := range []string{"step", "loss", "y_l2", "act_mean", "act_std", "val_loss", "act_sat"} {
			if v, ok := r.Steps[5][k]; !ok || v == nil {
				t.Errorf("%s: step JSON lacks %s: %v", r.Method, k, r.Steps[5])
			}
		}
		// float32 (adam) and float64 (hig, gn) networks from the same draw
		if v, w := *r.Steps[0]["val_loss"], *got.Runs[0].Steps[0]["val_loss"]; math.Abs(v-w) > 1e-6*w {
			t.Errorf("%s: initial val_loss differs from adam's: not the same initialisation", r.Method)
		}
	}
	f, err := os.Open(filepath.Join(out, "hig.csv"))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	if h := strings.Join(rows[0], ","); h != "step,seconds,x_l1,x_l2,y_l2,loss,act_mean,act_std,val_loss,act_sat" || len(rows) != 7 {
		t.Errorf("hig.csv header %q with %d rows", h, len(rows))
	}
	for _, name := range []string{"curves_act_std.png", "curves_val_loss.png", "curves_time.png", "curves_y.png"} {
		if _, err := os.Stat(filepath.Join(out, name)); err != nil {
			t.Errorf("missing %s", name)
		}
	}
	c, err := train.LoadCheckpoint(filepath.Join(out, "checkpoints", "hig"))
	if err != nil {
		t.Fatal(err)
	}
	if c.Batch != 256 || c.TaskConfig != "lambda=1" {
		t.Errorf("hig checkpoint: batch %d, config %q", c.Batch, c.TaskConfig)
	}
}

// TestTrainOscillatorsResume: hig on R7 takes its own published batch size
// (32, Adam 256) and resumes from its checkpoint.
func TestTrainOscillatorsResume(t *testing.T) {
	out := filepath.Join(t.TempDir(), "osc")
	code, _, stderr := runCLI(t, "train", "oscillators", "--methods", "hig,adam", "--steps", "3", "--out", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for m, want := range map[string]int{"hig": 32, "adam": 256} {
		c, err := train.LoadCheckpoint(filepath.Join(out, "checkpoints", m))
		if err != nil {
			t.Fatal(err)
		}
		if c.Batch != want || c.Step != 2 {
			t.Errorf("%s: checkpoint batch %d step %d, want batch %d step 2", m, c.Batch, c.Step, want)
		}
	}
	code, stdout, stderr := runCLI(t, "train", "oscillators", "--methods", "hig,adam", "--steps", "5", "--resume", out, "--json")
	if code != 0 {
		t.Fatalf("resume: exit %d: %s", code, stderr)
	}
	var got struct {
		Runs []struct {
			Method string
			Steps  []struct{ Step int }
		}
	}
	if err := json.Unmarshal([]byte(stdout), &got); err != nil {
		t.Fatal(err)
	}
	for _, r := range got.Runs {
		if len(r.Steps) != 5 || r.Steps[4].Step != 4 {
			t.Errorf("%s: %d steps after resume, want 5", r.Method, len(r.Steps))
		}
	}
}
