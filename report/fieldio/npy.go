package fieldio

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"os"
	"strings"

	"codeberg.org/sbinet/npyio"
	"gonum.org/v1/gonum/mat"
)

var npyMagic = []byte("\x93NUMPY")

// DecodeNPY parses a .npy file holding a 2D float32 or float64 array in
// either byte order, C or Fortran order, and returns it row-major.
// Everything npyio would trust blindly (header length, shape, data length)
// is checked first, and a panic inside npyio on a malformed header is
// turned into an error.
func DecodeNPY(b []byte) (ny, nx int, data []float64, err error) {
	if len(b) == 0 {
		return 0, 0, nil, errf("empty file")
	}
	if err := checkPreamble(b); err != nil {
		return 0, 0, nil, err
	}
	defer func() {
		if p := recover(); p != nil {
			ny, nx, data, err = 0, 0, nil, errf("malformed .npy header (%v)", oneLine(fmt.Sprint(p)))
		}
	}()
	br := bytes.NewReader(b)
	r, err := npyio.NewReader(br)
	if err != nil {
		return 0, 0, nil, errf("malformed .npy header: %s", oneLine(err.Error()))
	}
	h := r.Header.Descr
	dtype := strings.Trim(strings.TrimSpace(h.Type), `'"`)
	var size int
	switch dtype {
	case "<f8", ">f8", "=f8", "|f8":
		size = 8
	case "<f4", ">f4", "=f4", "|f4":
		size = 4
	default:
		return 0, 0, nil, errf("dtype %q not supported (want float32 or float64)", dtype)
	}
	if len(h.Shape) != 2 {
		return 0, 0, nil, errf("array is %d-D (shape %s), want a 2-D field", len(h.Shape), shapeString(h.Shape))
	}
	ny, nx = h.Shape[0], h.Shape[1]
	if ny <= 0 || nx <= 0 {
		return 0, 0, nil, errf("array has no cells (shape %s)", shapeString(h.Shape))
	}
	if ny > math.MaxInt32 || nx > math.MaxInt32 || ny*nx > br.Len()/size+1 {
		return 0, 0, nil, errf("shape %s needs %s bytes of data but the file holds %d", shapeString(h.Shape), bytesFor(ny, nx, size), br.Len())
	}
	n := ny * nx
	if br.Len() != n*size {
		return 0, 0, nil, errf("shape %s needs %d bytes of data but the file holds %d", shapeString(h.Shape), n*size, br.Len())
	}
	raw := make([]float64, n)
	if size == 8 {
		if err := r.Read(&raw); err != nil {
			return 0, 0, nil, errf("reading float64 data: %s", oneLine(err.Error()))
		}
	} else {
		f32 := make([]float32, n)
		if err := r.Read(&f32); err != nil {
			return 0, 0, nil, errf("reading float32 data: %s", oneLine(err.Error()))
		}
		for i, v := range f32 {
			raw[i] = float64(v)
		}
	}
	data = raw
	if h.Fortran {
		data = make([]float64, n)
		for ix := 0; ix < nx; ix++ {
			for iy := 0; iy < ny; iy++ {
				data[iy*nx+ix] = raw[ix*ny+iy]
			}
		}
	}
	for i, v := range data {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return 0, 0, nil, errf("value %v at [%d, %d] (0-based row, column); fields must be finite", v, i/nx, i%nx)
		}
	}
	return ny, nx, data, nil
}

// checkPreamble validates magic, version and header length before npyio
// allocates a header buffer of whatever size the file claims.
func checkPreamble(b []byte) error {
	if !bytes.HasPrefix(b, npyMagic) {
		return errf("not a .npy file (missing the \\x93NUMPY magic)")
	}
	if len(b) < 10 {
		return errf("truncated .npy header")
	}
	var hlen, start int
	switch b[6] {
	case 1:
		hlen, start = int(binary.LittleEndian.Uint16(b[8:10])), 10
	case 2:
		if len(b) < 12 {
			return errf("truncated .npy header")
		}
		hlen, start = int(binary.LittleEndian.Uint32(b[8:12])), 12
	default:
		return errf(".npy format version %d.%d not supported (want 1.x or 2.x)", b[6], b[7])
	}
	if hlen > len(b)-start {
		return errf("truncated .npy header (%d bytes announced, %d present)", hlen, len(b)-start)
	}
	if bytes.IndexByte(b[start:start+hlen], '\n') < 0 {
		return errf("malformed .npy header (no terminating newline)")
	}
	return nil
}

func shapeString(s []int) string {
	parts := make([]string, len(s))
	for i, v := range s {
		parts[i] = fmt.Sprint(v)
	}
	if len(s) == 1 {
		return "(" + parts[0] + ",)"
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

func bytesFor(ny, nx, size int) string {
	return fmt.Sprintf("%.0f", float64(ny)*float64(nx)*float64(size))
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// EncodeNPY writes an ny×nx float64 field (row-major) as a C-order .npy.
func EncodeNPY(w io.Writer, ny, nx int, data []float64) error {
	if ny <= 0 || nx <= 0 || len(data) != ny*nx {
		return fmt.Errorf("fieldio: %d values do not form a %d×%d field", len(data), ny, nx)
	}
	return npyio.Write(w, mat.NewDense(ny, nx, data))
}

// WriteNPY writes an ny×nx float64 field to path as .npy.
func WriteNPY(path string, ny, nx int, data []float64) error {
	var buf bytes.Buffer
	if err := EncodeNPY(&buf, ny, nx, data); err != nil {
		return err
	}
	return os.WriteFile(path, buf.Bytes(), 0o644)
}
