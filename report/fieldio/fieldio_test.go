package fieldio

import (
	"bytes"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestDecodeNPYValid(t *testing.T) {
	want := []float64{1, 2, 3, 4, 5, 6} // 2×3 row-major
	cases := map[string][]byte{
		"f8 C":         npyFile("<f8", false, "(2, 3)", f64LE(1, 2, 3, 4, 5, 6)),
		"f8 big":       npyFile(">f8", false, "(2, 3)", f64BE(1, 2, 3, 4, 5, 6)),
		"f4 C":         npyFile("<f4", false, "(2, 3)", f32LE(1, 2, 3, 4, 5, 6)),
		"f8 Fortran":   npyFile("<f8", true, "(2, 3)", f64LE(1, 4, 2, 5, 3, 6)),
		"f4 Fortran":   npyFile("<f4", true, "(2, 3)", f32LE(1, 4, 2, 5, 3, 6)),
		"spaced shape": npyFile("<f8", false, "(2,3)", f64LE(1, 2, 3, 4, 5, 6)),
	}
	for name, b := range cases {
		ny, nx, data, err := DecodeNPY(b)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if ny != 2 || nx != 3 || len(data) != 6 {
			t.Errorf("%s: shape %d×%d, %d values", name, ny, nx, len(data))
			continue
		}
		for i := range want {
			if data[i] != want[i] {
				t.Errorf("%s: data %v, want %v", name, data, want)
				break
			}
		}
	}
	// float32 values widen exactly.
	_, _, d, err := DecodeNPY(npyFile("<f4", false, "(1, 1)", f32LE(0.1)))
	if err != nil || d[0] != float64(float32(0.1)) {
		t.Errorf("float32 0.1 read as %v (%v)", d, err)
	}
}

func TestDecodeNPYErrors(t *testing.T) {
	huge := npyFile("<f8", false, "(2, 3)", f64LE(1, 2, 3, 4, 5, 6))
	huge[8], huge[9] = 0xff, 0xff // header length 65535 > file
	v2 := append([]byte("\x93NUMPY\x02\x00\xff\xff\xff\x7f"), "{}\n"...)
	cases := []struct {
		name string
		b    []byte
		want string
	}{
		{"1-D", npyFile("<f8", false, "(6,)", f64LE(1, 2, 3, 4, 5, 6)), "1-D (shape (6,))"},
		{"3-D", npyFile("<f8", false, "(1, 2, 3)", f64LE(1, 2, 3, 4, 5, 6)), "3-D (shape (1, 2, 3))"},
		{"scalar", npyFile("<f8", false, "()", f64LE(1)), "0-D"},
		{"int", npyFile("<i8", false, "(2, 3)", make([]byte, 48)), `dtype "<i8" not supported`},
		{"complex", npyFile("<c16", false, "(1, 1)", make([]byte, 16)), `dtype "<c16" not supported`},
		{"short data", npyFile("<f8", false, "(2, 3)", f64LE(1, 2, 3)), "needs 48 bytes of data but the file holds 24"},
		{"long data", npyFile("<f8", false, "(2, 3)", f64LE(1, 2, 3, 4, 5, 6, 7)), "needs 48 bytes"},
		{"giant shape", npyFile("<f8", false, "(4000000000, 4000000000)", f64LE(1)), "but the file holds 8"},
		{"negative shape", npyFile("<f8", false, "(-2, -3)", f64LE(1, 2, 3, 4, 5, 6)), "no cells"},
		{"zero rows", npyFile("<f8", false, "(0, 3)", nil), "no cells"},
		{"NaN", npyFile("<f8", false, "(2, 3)", f64LE(1, 2, 3, 4, math.NaN(), 6)), "NaN at [1, 1]"},
		{"Inf", npyFile("<f4", false, "(2, 3)", f32LE(float32(math.Inf(-1)), 2, 3, 4, 5, 6)), "-Inf at [0, 0]"},
		{"Fortran NaN", npyFile("<f8", true, "(2, 3)", f64LE(1, 4, 2, 5, math.NaN(), 6)), "NaN at [0, 2]"},
		{"empty", nil, "empty file"},
		{"magic only", []byte("\x93NUMPY"), "truncated"},
		{"header too long", huge, "truncated .npy header"},
		{"v2 header too long", v2, "truncated .npy header"},
		{"version 9", append([]byte("\x93NUMPY\x09\x00\x02\x00"), "{}\n"...), "version 9.0 not supported"},
		{"no dict", append([]byte("\x93NUMPY\x01\x00\x04\x00"), "abc\n"...), "malformed .npy header"},
		{"no newline", append([]byte("\x93NUMPY\x01\x00\x04\x00"), "abcd"...), "no terminating newline"},
		{"bad order", []byte(strings.Replace(string(npyFile("<f8", false, "(1, 1)", f64LE(1))), "False", "Maybe", 1)), "malformed .npy header"},
		{"bad shape", npyFile("<f8", false, "(a, b)", f64LE(1)), "malformed .npy header"},
		{"not npy", []byte("1,2,3\n"), "missing the \\x93NUMPY magic"},
	}
	for _, c := range cases {
		_, _, _, err := DecodeNPY(c.b)
		if err == nil {
			t.Errorf("%s: accepted", c.name)
			continue
		}
		if !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "\n") || !errors.Is(err, ErrField) {
			t.Errorf("%s: error %q, want one line containing %q", c.name, err, c.want)
		}
	}
}

func TestDecodeCSV(t *testing.T) {
	good := map[string]string{
		"plain":      "1,2,3\n4,5,6\n",
		"spaces":     " 1 , 2,3 \r\n4,  5 ,6",
		"comments":   "# a comment\n\n1,2,3\n\n# another\n4,5,6\n\n",
		"bom":        "\xef\xbb\xbf1,2,3\n4,5,6\n",
		"whitespace": "1 2 3\n4\t5   6\n",
		"exponents":  "1e0,2.0,3\n0.4e1,+5,6.000\n",
	}
	for name, s := range good {
		ny, nx, d, err := DecodeCSV([]byte(s))
		if err != nil || ny != 2 || nx != 3 {
			t.Errorf("%s: %d×%d %v", name, ny, nx, err)
			continue
		}
		for i, v := range []float64{1, 2, 3, 4, 5, 6} {
			if d[i] != v {
				t.Errorf("%s: %v", name, d)
				break
			}
		}
	}
	bad := []struct{ name, s, want string }{
		{"empty", "", "empty file"},
		{"only comments", "# nothing\n\n", "no numbers"},
		{"ragged", "1,2,3\n4,5\n", "line 2 has 2 values, line 1 has 3"},
		{"ragged later", "1,2\n3,4\n\n5,6,7\n", "line 4 has 3 values"},
		{"empty cell", "1,,3\n", "line 1, column 2: empty value"},
		{"trailing comma", "1,2,\n", "line 1, column 3: empty value"},
		{"word", "1,2\n3,abc\n", `line 2, column 2: "abc" is not a number`},
		{"NaN", "1,2\nnan,4\n", "line 2, column 1: value nan"},
		{"Inf", "1,-Inf\n", "line 1, column 2: value -Inf"},
		{"overflow", "1,1e999\n", "line 1, column 2: value 1e999"},
	}
	for _, c := range bad {
		_, _, _, err := DecodeCSV([]byte(c.s))
		if err == nil {
			t.Errorf("%s: accepted", c.name)
			continue
		}
		if !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: error %q, want one line containing %q", c.name, err, c.want)
		}
	}
}

func TestReadFieldNamesFile(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	p := write("ragged.csv", []byte("1,2\n3\n"))
	if _, _, _, err := ReadField(p); err == nil || !strings.HasPrefix(err.Error(), p+": line 2 has 1 values") {
		t.Errorf("error %v", err)
	}
	p = write("fake.npy", []byte("1,2\n3,4\n"))
	if _, _, _, err := ReadField(p); err == nil || !strings.Contains(err.Error(), p+": not a .npy file") {
		t.Errorf("error %v", err)
	}
	p = write("empty.npy", nil)
	if _, _, _, err := ReadField(p); err == nil || err.Error() != p+": empty file" {
		t.Errorf("error %v", err)
	}
	// A .npy under another name is still read as .npy.
	p = write("field.dat", npyFile("<f8", false, "(1, 2)", f64LE(7, 8)))
	if ny, nx, d, err := ReadField(p); err != nil || ny != 1 || nx != 2 || d[1] != 8 {
		t.Errorf("%d×%d %v %v", ny, nx, d, err)
	}
	if _, err := ReadFieldShape(p, 64, 64); err == nil || err.Error() != p+": field is 1×2, want 64×64" {
		t.Errorf("shape error %v", err)
	}
	if _, _, _, err := ReadField(filepath.Join(dir, "missing.csv")); err == nil || !strings.Contains(err.Error(), "missing.csv") {
		t.Errorf("missing file: %v", err)
	}
}

// TestWriteNPYRoundTrip: WriteNPY produces the bytes the format spec
// prescribes (compared with npyFile) and reads back exactly.
func TestWriteNPYRoundTrip(t *testing.T) {
	data := []float64{0.1, -2, 3e-300, 4, 5.5, math.MaxFloat64}
	p := filepath.Join(t.TempDir(), "f.npy")
	if err := WriteNPY(p, 2, 3, data); err != nil {
		t.Fatal(err)
	}
	ny, nx, got, err := ReadField(p)
	if err != nil || ny != 2 || nx != 3 {
		t.Fatalf("%d×%d %v", ny, nx, err)
	}
	for i := range data {
		if got[i] != data[i] {
			t.Fatalf("value %d: %v, want %v", i, got[i], data[i])
		}
	}
	b, _ := os.ReadFile(p)
	// Payload must be the C-order little-endian float64 data, after a
	// 64-byte-aligned header.
	hl := int(b[8]) | int(b[9])<<8
	if b[6] == 1 && !bytes.Equal(b[10+hl:], f64LE(data...)) {
		t.Error("payload is not C-order little-endian float64")
	}
	if err := WriteNPY(p, 2, 2, data); err == nil {
		t.Error("WriteNPY accepted a wrong shape")
	}
}
