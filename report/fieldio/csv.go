package fieldio

import (
	"bytes"
	"math"
	"strconv"
	"strings"
)

// DecodeCSV parses rows of numbers, one row per line, separated by commas
// (or, if the file has no comma at all, by whitespace, as numpy.savetxt
// writes by default). Spaces around values, blank lines, lines starting
// with '#', a UTF-8 byte order mark and CRLF line ends are accepted. All
// rows must have the same length and every value must be a finite number;
// errors give the 1-based line and column.
func DecodeCSV(b []byte) (ny, nx int, data []float64, err error) {
	if len(b) == 0 {
		return 0, 0, nil, errf("empty file")
	}
	b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
	comma := bytes.IndexByte(b, ',') >= 0
	firstLine := 0
	for ln, line := range strings.Split(string(b), "\n") {
		line = strings.TrimRight(line, "\r")
		t := strings.TrimSpace(line)
		if t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		var cells []string
		if comma {
			cells = strings.Split(line, ",")
		} else {
			cells = strings.Fields(line)
		}
		if ny == 0 {
			nx, firstLine = len(cells), ln+1
		} else if len(cells) != nx {
			return 0, 0, nil, errf("line %d has %d values, line %d has %d; rows must have equal length", ln+1, len(cells), firstLine, nx)
		}
		for col, c := range cells {
			c = strings.TrimSpace(c)
			if c == "" {
				return 0, 0, nil, errf("line %d, column %d: empty value", ln+1, col+1)
			}
			v, perr := strconv.ParseFloat(c, 64)
			if perr != nil && !isRange(perr) {
				return 0, 0, nil, errf("line %d, column %d: %q is not a number", ln+1, col+1, truncate(c, 40))
			}
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return 0, 0, nil, errf("line %d, column %d: value %s; fields must be finite", ln+1, col+1, truncate(c, 40))
			}
			data = append(data, v)
		}
		ny++
	}
	if ny == 0 {
		return 0, 0, nil, errf("no numbers in file")
	}
	return ny, nx, data, nil
}

// isRange reports a ParseFloat overflow (value ±Inf, reported as not
// finite) as opposed to a syntax error.
func isRange(err error) bool {
	ne, ok := err.(*strconv.NumError)
	return ok && ne.Err == strconv.ErrRange
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
