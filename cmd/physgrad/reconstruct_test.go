package main

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// npyBytes builds a .npy file with the given dtype, shape and payload size.
func npyBytes(descr, shape string, payload int) []byte {
	h := fmt.Sprintf("{'descr': '%s', 'fortran_order': False, 'shape': %s, }", descr, shape)
	for (10+len(h)+1)%64 != 0 {
		h += " "
	}
	h += "\n"
	b := []byte("\x93NUMPY\x01\x00")
	b = binary.LittleEndian.AppendUint16(b, uint16(len(h)))
	b = append(b, h...)
	return append(b, make([]byte, payload)...)
}

func TestReconstructBadInput(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good := write("good.csv", []byte("1,2,3\n4,5,6\n"))
	other := write("other.csv", []byte("1,2\n3,4\n"))
	nan := make([]byte, 0)
	nan = append(nan, npyBytes("<f8", "(2, 2)", 0)...)
	for _, v := range []float64{1, math.NaN(), 2, 3} {
		nan = binary.LittleEndian.AppendUint64(nan, math.Float64bits(v))
	}
	cases := map[string][]string{
		"1D array":             {"--target", write("1d.npy", npyBytes("<f8", "(4,)", 32))},
		"3D array":             {"--target", write("3d.npy", npyBytes("<f8", "(2, 2, 2)", 64))},
		"empty file":           {"--target", write("empty.csv", nil)},
		"NaN value":            {"--target", write("nan.npy", nan)},
		"Inf in CSV":           {"--target", write("inf.csv", []byte("1,2\n3,inf\n"))},
		"unsupported dtype":    {"--target", write("int.npy", npyBytes("<i4", "(2, 2)", 16))},
		"ragged CSV":           {"--target", write("ragged.csv", []byte("1,2,3\n4,5\n"))},
		"truth size mismatch":  {"--target", good, "--truth", other},
		"truth without target": {"--truth", good},
		"missing file":         {"--target", filepath.Join(dir, "nope.npy")},
		"bad method":           {"--methods", "newton"},
		"unknown method":       {"--methods", "foo"},
		"negative steps":       {"--steps", "-2"},
		"bad amount":           {"--amount", "-1"},
	}
	out := filepath.Join(dir, "out")
	for name, args := range cases {
		code, _, stderr := runCLI(t, append([]string{"reconstruct", "heat", "--out", out}, args...)...)
		if code != 2 {
			t.Errorf("%s: exit %d, want 2 (%s)", name, code, stderr)
		}
		if strings.Count(stderr, "\n") != 1 || strings.Contains(stderr, "goroutine") {
			t.Errorf("%s: want one line, got %q", name, stderr)
		}
		if _, err := os.Stat(out); err == nil {
			t.Fatalf("%s: wrote into --out", name)
		}
	}
	if code, _, _ := runCLI(t, "reconstruct", "wave"); code != 2 {
		t.Errorf("unknown problem: exit %d", code)
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.Contains(e.Name(), "partial") {
			t.Errorf("staging folder %s left behind", e.Name())
		}
	}
}

func TestReconstructUserTargetJSON(t *testing.T) {
	out := filepath.Join(t.TempDir(), "o")
	code, stdout, stderr := runCLI(t, "reconstruct", "heat", "--target", "../../testdata/heat_fixture_target.npy",
		"--truth", "../../testdata/heat_fixture_truth.npy", "--methods", "pg,lbfgs", "--steps", "20", "--json", "--out", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var got struct {
		Problem string
		Runs    []struct {
			Method  string
			XL2     []float64 `json:"x_l2"`
			YL2     []float64 `json:"y_l2"`
			Seconds []float64
		}
	}
	if err := json.Unmarshal([]byte(stdout), &got); err != nil {
		t.Fatal(err)
	}
	pg := got.Runs[0]
	if got.Problem != "heat" || pg.Method != "pg" || len(pg.XL2) != 21 || len(pg.YL2) != 21 || len(pg.Seconds) != 21 {
		t.Fatalf("unexpected JSON %+v", got)
	}
	if math.Abs(pg.XL2[20]-5.46) > 0.01 {
		t.Errorf("pg x_l2 after 20 iterations %.4g, SPEC 5.46", pg.XL2[20])
	}
	for _, f := range []string{"fields.png", "fields.svg", "pg.npy", "lbfgs.npy", "curves_x.png", "curves_y.svg", "reconstruct.csv"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("missing %s", f)
		}
	}
	// Without a truth, x_l2 is omitted.
	code, stdout, _ = runCLI(t, "reconstruct", "heat", "--target", "../../testdata/heat_fixture_target.npy", "--methods", "pg", "--steps", "2", "--json")
	if code != 0 || strings.Contains(stdout, "x_l2") {
		t.Errorf("exit %d; x_l2 present without truth: %s", code, stdout)
	}
}
