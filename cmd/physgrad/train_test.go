package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"codeberg.org/sbinet/npyio"

	"github.com/physgrad/physgrad/train"
)

// Bad input to train: exit 2 with one line naming the culprit, before any
// work, and nothing written or overwritten.
func TestTrainBadInput(t *testing.T) {
	dir := t.TempDir()
	sinRun := filepath.Join(dir, "sinrun")
	if code, _, stderr := runCLI(t, "train", "sin", "--methods", "sip", "--steps", "20", "--out", sinRun); code != 0 {
		t.Fatalf("setup run: exit %d: %s", code, stderr)
	}
	ck := filepath.Join(sinRun, "checkpoints", "sip", "checkpoint.gob")
	before, err := os.ReadFile(ck)
	if err != nil {
		t.Fatal(err)
	}
	npy := filepath.Join(dir, "w.npy")
	// A valid .npy file of the wrong size: 3 float32 values.
	var buf bytes.Buffer
	if err := npyio.Write(&buf, []float32{1, 2, 3}); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(npy, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		args       []string
		flag, want string
	}{
		{[]string{"fluid"}, "fluid", "unknown problem"},
		{[]string{"heat", "--methods", "sip,hig"}, "--methods", "hig"},
		{[]string{"sin", "--methods", "foo"}, "--methods", "foo"},
		{[]string{"heat", "--batch", "0"}, "--batch", "≥ 1"},
		{[]string{"poisson", "--batch", "-3"}, "--batch", "≥ 1"},
		{[]string{"sin", "--lr", "0"}, "--lr", "positive"},
		{[]string{"sin", "--lr", "-1e-3"}, "--lr", "positive"},
		{[]string{"sin", "--lr", "NaN"}, "--lr", "positive"},
		{[]string{"sin", "--lr", "sip=0"}, "--lr", "sip"},
		{[]string{"sin", "--time-limit", "abc"}, "--time-limit", "abc"},
		{[]string{"sin", "--time-limit", "-5s"}, "--time-limit", "-5s"},
		{[]string{"exp", "--methods", "sip", "--resume", sinRun}, "--resume", "problem"},
		{[]string{"sin", "--methods", "sip", "--xi", "1", "--resume", sinRun}, "--resume", "parameters"},
		{[]string{"sin", "--methods", "adam", "--resume", sinRun}, "--resume", "no checkpoint"},
		{[]string{"sin", "--methods", "sip", "--resume", sinRun, "--init", "seed"}, "--init", "checkpoint"},
		{[]string{"sin", "--init", "torch"}, "--init", "heat and poisson"},
		{[]string{"heat", "--init", ""}, "--init", "empty"},
		{[]string{"heat", "--init", filepath.Join(dir, "missing.npy")}, "--init", "missing.npy"},
		{[]string{"heat", "--init", ck}, "--init", "not a .npy"},
		{[]string{"poisson", "--init", npy}, "--init", "3 values"},
		{[]string{"heat", "--xi", "2"}, "--xi", "only sin"},
		{[]string{"exp", "--phi", "10"}, "--phi", "only sin"},
		{[]string{"heat", "--solver", "cg"}, "--solver", "only poisson"},
		{[]string{"heat", "--tau", "0.5"}, "--tau", "hig and gn"},
		{[]string{"oscillators", "--methods", "adam", "--max-jacobian-mb", "5"}, "--max-jacobian-mb", "hig and gn"},
		{[]string{"heat", "--methods", "sip,adam,sip"}, "--methods", "sip is listed twice"},
		{[]string{"sin", "--lr", "sip=1e-3,sip=2e-3"}, "--lr", "sip is given twice"},
		{[]string{"sin", "--methods", "sip", "--resume", sinRun, "--steps", "20"}, "--steps", "already taken 20 steps"},
	}
	for _, c := range cases {
		expectTrainUsageError(t, filepath.Join(dir, "o"), c.args, c.flag, c.want)
	}
	if _, err := os.Stat(filepath.Join(dir, "o")); !os.IsNotExist(err) {
		t.Errorf("bad input created the output folder (%v)", err)
	}
	if after, err := os.ReadFile(ck); err != nil || !bytes.Equal(before, after) {
		t.Errorf("the resumed folder's checkpoint changed (%v)", err)
	}
}

// expectTrainUsageError runs `physgrad train` with args (and --out out,
// effectively unlimited steps) and checks that it exits 2 with one line on
// stderr naming flag and want, before doing any work.
func expectTrainUsageError(t *testing.T, out string, args []string, flag, want string) {
	t.Helper()
	full := append([]string{"train", "--steps", "100000000", "--out", out}, args...)
	start := time.Now()
	code, _, stderr := runCLI(t, full...)
	if code != 2 {
		t.Errorf("%v: exit %d, want 2 (%s)", args, code, stderr)
	}
	if n := strings.Count(stderr, "\n"); n != 1 || !strings.Contains(stderr, flag) || !strings.Contains(stderr, want) {
		t.Errorf("%v: stderr %q: want one line naming %s and %q", args, stderr, flag, want)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("%v: rejected after %v, not before any work", args, d)
	}
}

// A run interrupted before its second method began resumes, without
// repeating its flags: the first method continues from its checkpoint, the
// second starts from step 0 with the interrupted command's seed, batch
// size and initialisation, exactly as it would have.
func TestTrainResumeStartsMissingMethods(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	if code, _, stderr := runCLI(t, "train", "sin", "--methods", "sip", "--seed", "7", "--batch", "5", "--steps", "20", "--out", dir); code != 0 {
		t.Fatalf("first run: exit %d: %s", code, stderr)
	}
	code, _, stderr := runCLI(t, "train", "sin", "--methods", "sip,adam", "--steps", "30", "--resume", dir)
	if code != 0 || !strings.Contains(stderr, "no checkpoint for adam; starting from step 0") {
		t.Fatalf("resume: exit %d: %q", code, stderr)
	}
	whole := filepath.Join(t.TempDir(), "whole")
	if code, _, stderr := runCLI(t, "train", "sin", "--methods", "adam", "--seed", "7", "--batch", "5", "--steps", "30", "--out", whole); code != 0 {
		t.Fatalf("reference run: exit %d: %s", code, stderr)
	}
	ref, err := train.LoadCheckpoint(filepath.Join(whole, "checkpoints", "adam"))
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range []string{"sip", "adam"} {
		ck, err := train.LoadCheckpoint(filepath.Join(dir, "checkpoints", m))
		if err != nil || ck.Step != 29 || len(ck.Log) != 30 || ck.Seed != 7 || ck.Batch != 5 || ck.Init != "seed" {
			t.Fatalf("%s: checkpoint %v, want step 29, 30 log entries, seed 7, batch 5, init seed", m, err)
		}
		if m == "adam" && !bytes.Equal(ck.Net, ref.Net) {
			t.Errorf("adam started on resume differs from adam run with --seed 7 from the start")
		}
		if fi, err := os.Stat(filepath.Join(dir, "checkpoints", m, train.CheckpointFile)); err != nil {
			t.Error(err)
		} else if fi.Mode().Perm() != 0o644 {
			t.Errorf("%s: checkpoint file mode %v, want 0644 like the other outputs", m, fi.Mode().Perm())
		}
	}
}
