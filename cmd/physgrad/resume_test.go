package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"testing"
	"time"

	"github.com/physgrad/physgrad/train"
)

// TestMain lets the test binary act as the physgrad command for the
// subprocess tests.
func TestMain(m *testing.M) {
	if os.Getenv("PHYSGRAD_TEST_CLI") == "1" {
		os.Exit(run(os.Args[1:]))
	}
	os.Exit(m.Run())
}

// A run killed with SIGKILL mid-training and continued with --resume ends
// with the same weights and optimiser state, bit for bit, as a run that was
// never interrupted.
func TestKilledRunResumesBitForBit(t *testing.T) {
	dir := t.TempDir()
	killed := filepath.Join(dir, "killed")
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, "train", "sin", "--methods", "sip,adam", "--steps", "100000000",
		"--checkpoint-every", "37", "--out", killed)
	cmd.Env = append(os.Environ(), "PHYSGRAD_TEST_CLI=1")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	ck := filepath.Join(killed, "checkpoints", "sip", train.CheckpointFile)
	deadline := time.Now().Add(60 * time.Second)
	for {
		if c, err := train.LoadCheckpoint(filepath.Dir(ck)); err == nil && c.Step >= 3*37-1 {
			break
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatal("no checkpoint within 60 s")
		}
		time.Sleep(20 * time.Millisecond)
	}
	cmd.Process.Kill() // SIGKILL
	cmd.Wait()
	// The sip run was interrupted mid-way; adam never started.
	c, err := train.LoadCheckpoint(filepath.Dir(ck))
	if err != nil {
		t.Fatalf("checkpoint unreadable after SIGKILL: %v", err)
	}
	final := c.Step + 200
	steps := []string{"--steps", itoa(final + 1)}
	if code, _, stderr := runCLI(t, append([]string{"train", "sin", "--methods", "sip", "--resume", killed, "--checkpoint-every", "37"}, steps...)...); code != 0 {
		t.Fatalf("resume: exit %d: %s", code, stderr)
	}
	whole := filepath.Join(dir, "whole")
	if code, _, stderr := runCLI(t, append([]string{"train", "sin", "--methods", "sip", "--out", whole, "--checkpoint-every", "37"}, steps...)...); code != 0 {
		t.Fatalf("uninterrupted: exit %d: %s", code, stderr)
	}
	a, err := train.LoadCheckpoint(filepath.Join(killed, "checkpoints", "sip"))
	if err != nil {
		t.Fatal(err)
	}
	b, err := train.LoadCheckpoint(filepath.Join(whole, "checkpoints", "sip"))
	if err != nil {
		t.Fatal(err)
	}
	if a.Step != final || b.Step != final {
		t.Fatalf("final steps %d and %d, want %d", a.Step, b.Step, final)
	}
	if !bytes.Equal(a.Net, b.Net) || !bytes.Equal(a.Opt, b.Opt) {
		t.Errorf("resumed run differs from the uninterrupted one (weights equal: %v, optimiser equal: %v)",
			bytes.Equal(a.Net, b.Net), bytes.Equal(a.Opt, b.Opt))
	}
	// The resumed run continued the checkpoint (its first entries are the
	// killed run's, timings included) rather than starting afresh.
	for i, e := range c.Log {
		if !reflect.DeepEqual(a.Log[i], e) {
			t.Fatalf("step %d: resumed log %+v, checkpoint %+v", i, a.Log[i], e)
		}
	}
	for i := range b.Log {
		if a.Log[i].XL1 != b.Log[i].XL1 || a.Log[i].Loss != b.Log[i].Loss {
			t.Fatalf("step %d: logs differ", i)
		}
	}
}

func itoa(i int) string { return strconv.Itoa(i) }
