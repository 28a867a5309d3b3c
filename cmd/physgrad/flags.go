package main

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
)

// outputFlags are the --json and --out flags every command has.
type outputFlags struct {
	json bool
	out  string
}

func (o *outputFlags) register(c *cobra.Command, defaultOut string) {
	c.Flags().BoolVar(&o.json, "json", false, "print machine-readable JSON on stdout")
	c.Flags().StringVar(&o.out, "out", defaultOut, "write plots (PNG+SVG), CSV and .npy files into this folder")
}

// parseFloats parses a comma list of finite numbers for flag name.
func parseFloats(flag, s string, want int) ([]float64, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, usagef("--%s: empty; give %d comma-separated numbers", flag, want)
	}
	parts := strings.Split(s, ",")
	if want > 0 && len(parts) != want {
		return nil, usagef("--%s: %d values given, want %d", flag, len(parts), want)
	}
	out := make([]float64, len(parts))
	for i, p := range parts {
		v, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil {
			return nil, usagef("--%s: value %d %q is not a number", flag, i+1, p)
		}
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, usagef("--%s: value %d is %v; need a finite number", flag, i+1, v)
		}
		out[i] = v
	}
	return out, nil
}

// parseList splits a comma list, dropping empty entries.
func parseList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// parseNames is parseList for a list of names (methods) given with flag:
// a name given twice is bad usage, since each names one run and its files.
func parseNames(flag, s string) ([]string, error) {
	l := parseList(s)
	seen := map[string]bool{}
	for _, n := range l {
		if seen[n] {
			return nil, usagef("--%s: %s is listed twice", flag, n)
		}
		seen[n] = true
	}
	return l, nil
}

// parseEtas parses "name=value,…" per-method step sizes.
func parseEtas(flag, s string) (map[string]float64, error) {
	out := map[string]float64{}
	for _, p := range parseList(s) {
		k, v, ok := strings.Cut(p, "=")
		if !ok {
			return nil, usagef("--%s: %q is not method=value", flag, p)
		}
		f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if err != nil || !(f > 0) || math.IsInf(f, 0) {
			return nil, usagef("--%s %s: step size must be a positive finite number, got %q", flag, strings.TrimSpace(k), strings.TrimSpace(v))
		}
		k = strings.TrimSpace(k)
		if _, dup := out[k]; dup {
			return nil, usagef("--%s: %s is given twice", flag, k)
		}
		out[k] = f
	}
	return out, nil
}

// jsonFloat encodes non-finite values as null, which JSON lacks.
type jsonFloat float64

func (f jsonFloat) MarshalJSON() ([]byte, error) {
	v := float64(f)
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return []byte("null"), nil
	}
	return json.Marshal(v)
}

func jsonFloats(v []float64) []jsonFloat {
	out := make([]jsonFloat, len(v))
	for i, e := range v {
		out[i] = jsonFloat(e)
	}
	return out
}

func printJSON(v any) error {
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", " ")
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("encoding JSON: %w", err)
	}
	return nil
}
