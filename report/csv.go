package report

import (
	"encoding/csv"
	"os"
	"strconv"
)

// WriteCSV writes a header and rows to path.
func WriteCSV(path string, header []string, rows [][]string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := csv.NewWriter(f)
	w.Write(header)
	w.WriteAll(rows)
	if err := w.Error(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// Num formats a number for CSV with enough digits to read it back
// exactly (NaN and ±Inf as Go writes them).
func Num(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
