// Command refcompare puts physgrad's training curves next to the method
// authors' (docs/refs, measured from their published code) and prints a
// markdown table. It is a documentation tool, not part of the CLI:
//
//	go run ./internal/refcompare -problem heat -ours out/heat -out docs
package main

import (
	"encoding/csv"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"

	"gonum.org/v1/plot/vg"

	"github.com/physgrad/physgrad/report"
)

type curve map[int]map[string]float64 // step → column → value

func readCSV(path string) (curve, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	c := curve{}
	for _, r := range rows[1:] {
		step, err := strconv.Atoi(r[0])
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		c[step] = map[string]float64{}
		for j, name := range rows[0] {
			v, _ := strconv.ParseFloat(r[j], 64)
			c[step][name] = v
		}
	}
	return c, nil
}

func (c curve) mean(col string, from, to int) float64 {
	s, n := 0.0, 0
	for k := from; k <= to; k++ {
		if row, ok := c[k]; ok {
			s += row[col]
			n++
		}
	}
	if n == 0 {
		return math.NaN()
	}
	return s / float64(n)
}

func (c curve) series(name, col string) report.Series {
	s := report.Series{Name: name}
	for k := 0; k < 100000; k++ {
		row, ok := c[k]
		if !ok {
			if k > 0 {
				break
			}
			continue
		}
		s.X = append(s.X, float64(k))
		s.Y = append(s.Y, row[col])
	}
	return s
}

func main() {
	problem := flag.String("problem", "heat", "heat or poisson")
	ours := flag.String("ours", "", "folder of a physgrad train --out run with sip.csv and adam.csv")
	out := flag.String("out", "docs", "folder for the plot")
	flag.Parse()
	col, window := "x_l2", [2]int{137, 146}
	if *problem == "poisson" {
		col, window = "x_l1", [2]int{56, 65}
	}
	var series []report.Series
	cs := map[string]curve{}
	for _, who := range []string{"authors", "physgrad"} {
		for _, m := range []string{"sip", "adam"} {
			path := filepath.Join("docs", "refs", *problem+"_"+m+".csv")
			if who == "physgrad" {
				path = filepath.Join(*ours, m+".csv")
			}
			c, err := readCSV(path)
			if err != nil {
				fmt.Fprintln(os.Stderr, "refcompare:", err)
				os.Exit(1)
			}
			cs[who+" "+m] = c
			series = append(series, c.series(who+" "+m, col))
		}
	}
	p, err := report.Curves(*problem+": "+col+" per step, authors' code vs physgrad", "step", col, series, true)
	if err == nil {
		err = report.Save(p, 7*vg.Inch, 4.5*vg.Inch, filepath.Join(*out, *problem+"_vs_authors"))
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "refcompare:", err)
		os.Exit(1)
	}
	fmt.Printf("| run | %s step 0 | step 10 | step 50 | mean steps %d–%d | y_l2 mean %d–%d |\n|---|---|---|---|---|---|\n", col, window[0], window[1], window[0], window[1])
	for _, k := range []string{"authors sip", "authors adam", "physgrad sip", "physgrad adam"} {
		c := cs[k]
		fmt.Printf("| %s | %.4g | %.4g | %.4g | %.4g | %.4g |\n", k, c[0][col], c[10][col], c[50][col],
			c.mean(col, window[0], window[1]), c.mean("y_l2", window[0], window[1]))
	}
}
