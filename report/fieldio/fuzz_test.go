package fieldio

import (
	"bytes"
	"math"
	"strconv"
	"strings"
	"testing"
)

// checkField asserts the invariants of every successful decode.
func checkField(t *testing.T, ny, nx int, data []float64) {
	t.Helper()
	if ny <= 0 || nx <= 0 || len(data) != ny*nx {
		t.Fatalf("decoded %d×%d with %d values", ny, nx, len(data))
	}
	for _, v := range data {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			t.Fatalf("decoded non-finite %v", v)
		}
	}
}

// FuzzReadNPY: DecodeNPY never panics; what it accepts is a valid field
// that survives EncodeNPY/DecodeNPY unchanged.
func FuzzReadNPY(f *testing.F) {
	f.Add(npyFile("<f8", false, "(2, 3)", f64LE(1, 2, 3, 4, 5, 6)))
	f.Add(npyFile("<f4", true, "(2, 3)", f32LE(1, 2, 3, 4, 5, 6)))
	f.Add(npyFile(">f8", false, "(1, 2)", f64BE(1, 2)))
	f.Add(npyFile("<f8", false, "(6,)", f64LE(1, 2, 3, 4, 5, 6)))
	f.Add(npyFile("<f8", false, "(1, 2, 3)", f64LE(1, 2, 3, 4, 5, 6)))
	f.Add(npyFile("<i8", false, "(1, 1)", make([]byte, 8)))
	f.Add(npyFile("<f8", false, "(1, 1)", f64LE(math.NaN())))
	f.Add(npyFile("|O", false, "(1, 1)", []byte{0x80, 0x02}))
	f.Add([]byte("\x93NUMPY\x02\x00\x10\x00\x00\x00{'descr': '<f8'\n"))
	f.Add([]byte("\x93NUMPY\x01\x00\x03\x00}{\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		ny, nx, data, err := DecodeNPY(b)
		if err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("multi-line error %q", err)
			}
			return
		}
		checkField(t, ny, nx, data)
		var buf bytes.Buffer
		if err := EncodeNPY(&buf, ny, nx, data); err != nil {
			t.Fatal(err)
		}
		gy, gx, got, err := DecodeNPY(buf.Bytes())
		if err != nil || gy != ny || gx != nx {
			t.Fatalf("round trip: %d×%d %v", gy, gx, err)
		}
		for i := range data {
			if math.Float64bits(got[i]) != math.Float64bits(data[i]) {
				t.Fatalf("round trip value %d: %v, want %v", i, got[i], data[i])
			}
		}
	})
}

// FuzzReadCSV: DecodeCSV never panics; what it accepts is a valid field
// that survives formatting and parsing unchanged.
func FuzzReadCSV(f *testing.F) {
	for _, s := range []string{"1,2,3\n4,5,6\n", "1 2\n3 4", "# c\n\n1.5e3, -2\r\n", "1,2\n3\n", "nan", "1,,2", "\xef\xbb\xbf0x1p-2,1_0", ""} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		ny, nx, data, err := DecodeCSV(b)
		if err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("multi-line error %q", err)
			}
			return
		}
		checkField(t, ny, nx, data)
		var sb strings.Builder
		for iy := 0; iy < ny; iy++ {
			for ix := 0; ix < nx; ix++ {
				if ix > 0 {
					sb.WriteByte(',')
				}
				sb.WriteString(strconv.FormatFloat(data[iy*nx+ix], 'g', -1, 64))
			}
			sb.WriteByte('\n')
		}
		gy, gx, got, err := DecodeCSV([]byte(sb.String()))
		if err != nil || gy != ny || gx != nx {
			t.Fatalf("round trip: %d×%d %v", gy, gx, err)
		}
		for i := range data {
			if got[i] != data[i] {
				t.Fatalf("round trip value %d: %v, want %v", i, got[i], data[i])
			}
		}
	})
}
