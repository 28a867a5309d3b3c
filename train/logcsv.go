package train

import (
	"math"
	"strconv"

	"github.com/physgrad/physgrad/report"
)

// WriteLogCSV writes a run's log as CSV: step, seconds, x_l1, x_l2, y_l2,
// loss, then one column per name in extra (the task's Monitor statistics,
// NaN where a step has none).
func WriteLogCSV(path string, log []StepLog, extra []string) error {
	g := report.Num
	rows := make([][]string, 0, len(log))
	for _, e := range log {
		row := []string{strconv.Itoa(e.Step), g(e.Seconds), g(e.XL1), g(e.XL2), g(e.YL2), g(e.Loss)}
		for i := range extra {
			v := math.NaN()
			if i < len(e.Extra) {
				v = e.Extra[i]
			}
			row = append(row, g(v))
		}
		rows = append(rows, row)
	}
	return report.WriteCSV(path, append([]string{"step", "seconds", "x_l1", "x_l2", "y_l2", "loss"}, extra...), rows)
}
