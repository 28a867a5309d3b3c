package main

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

// runCLI runs the command in-process and returns exit code, stdout, stderr.
func runCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	oldOut, oldErr := os.Stdout, os.Stderr
	ro, wo, _ := os.Pipe()
	re, we, _ := os.Pipe()
	os.Stdout, os.Stderr = wo, we
	outC, errC := make(chan string), make(chan string)
	go func() { b, _ := io.ReadAll(ro); outC <- string(b) }()
	go func() { b, _ := io.ReadAll(re); errC <- string(b) }()
	code := run(args)
	wo.Close()
	we.Close()
	os.Stdout, os.Stderr = oldOut, oldErr
	return code, <-outC, <-errC
}

func TestToyBadInput(t *testing.T) {
	out := t.TempDir()
	cases := []struct {
		args []string
		flag string
	}{
		{[]string{"--start", "1,NaN"}, "--start"},
		{[]string{"--start", "Inf,1"}, "--start"},
		{[]string{"--start", ""}, "--start"},
		{[]string{"--start", "1"}, "--start"},
		{[]string{"--start", "1,2,3"}, "--start"},
		{[]string{"--methods", "gd,foo"}, "--methods"},
		{[]string{"--methods", ""}, "--methods"},
		{[]string{"--problem", "bar"}, "--problem"},
		{[]string{"--eta", "gd=0"}, "--eta"},
		{[]string{"--eta", "pg=-1"}, "--eta"},
		{[]string{"--eta", "gd=NaN"}, "--eta"},
		{[]string{"--eta", "nope=1"}, "--eta"},
		{[]string{"--steps", "-1"}, "--steps"},
		{[]string{"--steps", "x"}, "--steps"},
		{[]string{"--alpha", "NaN", "--problem", "scaled"}, "--alpha"},
		{[]string{"--bogus"}, "--bogus"},
	}
	for _, c := range cases {
		args := append([]string{"toy", "--out", filepath.Join(out, "o")}, c.args...)
		code, _, stderr := runCLI(t, args...)
		if code != 2 {
			t.Errorf("%v: exit %d, want 2", c.args, code)
		}
		if n := strings.Count(stderr, "\n"); n != 1 || !strings.Contains(stderr, c.flag) {
			t.Errorf("%v: stderr %q: want one line naming %s", c.args, stderr, c.flag)
		}
		if strings.Contains(stderr, "goroutine") || strings.Contains(stderr, "panic") {
			t.Errorf("%v: stack trace in %q", c.args, stderr)
		}
	}
	if entries, _ := os.ReadDir(out); len(entries) != 0 {
		t.Errorf("bad input left files in the output folder's parent: %v", entries)
	}
}

func TestToyJSONAndDivergence(t *testing.T) {
	code, stdout, stderr := runCLI(t, "toy", "--problem", "scaled", "--alpha", "100", "--steps", "100",
		"--methods", "gd,pg", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var got struct {
		Problem string
		Runs    []struct {
			Method string
			Eta    float64
			Status string
			X      [][]*float64
			Loss   []*float64
		}
	}
	if err := json.Unmarshal([]byte(stdout), &got); err != nil {
		t.Fatalf("bad JSON: %v", err)
	}
	if got.Problem != "scaled" || len(got.Runs) != 2 {
		t.Fatalf("got %+v", got)
	}
	gd, pg := got.Runs[0], got.Runs[1]
	if gd.Status != "diverged" || !strings.Contains(stderr, "gd diverged at iteration") {
		t.Errorf("gd status %q, stderr %q: want a reported divergence", gd.Status, stderr)
	}
	if pg.Status != "done" || len(pg.X) != 101 || *pg.X[0][0] != 3 || pg.Eta != 0.3 {
		t.Errorf("pg: status %q, %d iterates, eta %v", pg.Status, len(pg.X), pg.Eta)
	}
}

func TestToyOutWritesPlots(t *testing.T) {
	out := filepath.Join(t.TempDir(), "o")
	code, stdout, stderr := runCLI(t, "toy", "--out", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "pg") {
		t.Errorf("table missing: %q", stdout)
	}
	for _, f := range []string{"toy_x.png", "toy_x.svg", "toy_y.png", "toy_y.svg", "toy.csv"} {
		if fi, err := os.Stat(filepath.Join(out, f)); err != nil || fi.Size() == 0 {
			t.Errorf("%s: %v", f, err)
		}
	}
	entries, _ := os.ReadDir(filepath.Dir(out))
	if len(entries) != 1 {
		t.Errorf("staging folder left behind: %v", entries)
	}
}

func TestCheckInverseCLI(t *testing.T) {
	code, stdout, _ := runCLI(t, "check-inverse", "square", "--json")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	var rep struct {
		Passed bool
		Points []any
	}
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil || !rep.Passed || len(rep.Points) != 20 {
		t.Errorf("report %+v, err %v", rep, err)
	}
	if code, _, _ := runCLI(t, "check-inverse", "nope"); code != 2 {
		t.Errorf("unknown problem: exit %d, want 2", code)
	}
	if code, _, _ := runCLI(t, "check-inverse"); code != 2 {
		t.Errorf("missing problem: exit %d, want 2", code)
	}
}

func TestHelpEverywhere(t *testing.T) {
	var leaves func(path []string, c *cobra.Command)
	leaves = func(path []string, c *cobra.Command) {
		if c.Name() == "completion" || c.Name() == "help" {
			return
		}
		if subs := c.Commands(); len(subs) > 0 {
			for _, s := range subs {
				leaves(append(path, s.Name()), s)
			}
			return
		}
		code, stdout, _ := runCLI(t, append(path, "--help")...)
		if code != 0 || !bytes.Contains([]byte(stdout), []byte("--json")) || !strings.Contains(stdout, "--out") {
			t.Errorf("%v --help: exit %d, missing --json/--out in %q", path, code, stdout)
		}
	}
	for _, c := range newRoot().Commands() {
		leaves([]string{c.Name()}, c)
	}
}

func TestDemoWritesIndexWithEveryPlot(t *testing.T) {
	out := filepath.Join(t.TempDir(), "demo")
	code, stdout, stderr := runCLI(t, "demo", "--out", out, "--heat-steps", "2", "--heat-batch", "4")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "index.html") {
		t.Errorf("stdout %q does not name the index", stdout)
	}
	html, err := os.ReadFile(filepath.Join(out, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	imgs := 0
	for _, part := range strings.Split(string(html), `<img src="`)[1:] {
		name := part[:strings.Index(part, `"`)]
		imgs++
		if _, err := os.Stat(filepath.Join(out, name)); err != nil {
			t.Errorf("index shows %s, which is missing", name)
		}
	}
	if imgs < 6 || strings.Count(string(html), "<figcaption>") != imgs {
		t.Errorf("%d images on the index, want ≥ 6 each with a caption", imgs)
	}
}
