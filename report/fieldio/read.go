package fieldio

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// MaxFileSize bounds the files ReadField accepts (fields are small; this
// keeps a wrong path from exhausting memory).
const MaxFileSize = 1 << 30

// ErrField is wrapped by every validation error of this package.
var ErrField = errors.New("bad field")

// fieldErr is a validation error; Error gives "path: reason".
type fieldErr struct {
	path, reason string
}

func (e *fieldErr) Error() string {
	if e.path == "" {
		return e.reason
	}
	return e.path + ": " + e.reason
}

func (e *fieldErr) Unwrap() error { return ErrField }

func errf(format string, args ...any) error {
	return &fieldErr{reason: fmt.Sprintf(format, args...)}
}

// withPath returns err with path attached.
func withPath(path string, err error) error {
	var fe *fieldErr
	if errors.As(err, &fe) {
		return &fieldErr{path: path, reason: fe.reason}
	}
	return fmt.Errorf("%s: %w", path, err)
}

// ReadField reads a 2D field from path: a .npy file (float32 or float64,
// C or Fortran order; recognised by its magic bytes whatever the name) or
// otherwise CSV (see DecodeCSV). It returns the shape and the values
// row-major.
func ReadField(path string) (ny, nx int, data []float64, err error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, 0, nil, err // already names the path
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return 0, 0, nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(b) > MaxFileSize {
		return 0, 0, nil, withPath(path, errf("file larger than %d bytes", MaxFileSize))
	}
	ny, nx, data, err = Decode(b, strings.EqualFold(filepath.Ext(path), ".npy"))
	if err != nil {
		return 0, 0, nil, withPath(path, err)
	}
	return ny, nx, data, nil
}

// ReadFieldShape is ReadField that also requires the shape ny×nx.
func ReadFieldShape(path string, ny, nx int) ([]float64, error) {
	gy, gx, data, err := ReadField(path)
	if err != nil {
		return nil, err
	}
	if gy != ny || gx != nx {
		return nil, withPath(path, errf("field is %d×%d, want %d×%d", gy, gx, ny, nx))
	}
	return data, nil
}

// Decode parses file contents: .npy if b starts with the NumPy magic,
// an error if npy is set but the magic is missing, CSV otherwise.
func Decode(b []byte, npy bool) (ny, nx int, data []float64, err error) {
	if len(b) == 0 {
		return 0, 0, nil, errf("empty file")
	}
	if bytes.HasPrefix(b, npyMagic) {
		return DecodeNPY(b)
	}
	if npy {
		return 0, 0, nil, errf("not a .npy file (missing the \\x93NUMPY magic)")
	}
	return DecodeCSV(b)
}
