// Package report writes physgrad's results: plots (PNG and SVG through
// gonum.org/v1/plot), CSV, .npy and an HTML index. Files go through a
// Staging directory so that a failed run leaves nothing half-written in
// the user's output folder.
package report

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
)

// Staging collects output files in a temporary folder beside the target
// and moves them into place only on Commit.
type Staging struct {
	dir, tmp string
	names    map[string]bool
}

// NewStaging prepares output for dir (created on Commit if missing).
func NewStaging(dir string) (*Staging, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("--out %s: %w", dir, err)
	}
	if fi, err := os.Stat(abs); err == nil && !fi.IsDir() {
		return nil, fmt.Errorf("--out %s: exists and is not a directory", dir)
	}
	parent := filepath.Dir(abs)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, fmt.Errorf("--out %s: %w", dir, err)
	}
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(abs)+".partial-")
	if err != nil {
		return nil, fmt.Errorf("--out %s: %w", dir, err)
	}
	st := &Staging{dir: abs, tmp: tmp, names: map[string]bool{}}
	active.Lock()
	active.m[st] = true
	active.Unlock()
	return st, nil
}

// active are the staging folders not yet committed or aborted, so that
// AbortAll can remove them when the process is interrupted.
var active = struct {
	sync.Mutex
	m map[*Staging]bool
}{m: map[*Staging]bool{}}

func (s *Staging) forget() {
	active.Lock()
	delete(active.m, s)
	active.Unlock()
}

// AbortAll discards every staging folder in use (for a signal handler).
func AbortAll() {
	active.Lock()
	defer active.Unlock()
	for s := range active.m {
		os.RemoveAll(s.tmp)
		delete(active.m, s)
	}
}

// Path returns where to write the named file (a plain file name).
func (s *Staging) Path(name string) string {
	s.names[name] = true
	return filepath.Join(s.tmp, name)
}

// PlotBase registers name.png and name.svg and returns the path without
// extension, as Save expects it.
func (s *Staging) PlotBase(name string) string {
	s.Path(name + ".svg")
	return strings.TrimSuffix(s.Path(name+".png"), ".png")
}

// Files lists the names handed out so far, sorted.
func (s *Staging) Files() []string {
	var n []string
	for k := range s.names {
		n = append(n, k)
	}
	sort.Strings(n)
	return n
}

// Commit moves every staged file into the output folder.
func (s *Staging) Commit() error {
	defer s.forget()
	defer os.RemoveAll(s.tmp)
	if err := os.MkdirAll(s.dir, 0o755); err != nil {
		return err
	}
	for _, name := range s.Files() {
		src := filepath.Join(s.tmp, name)
		if _, err := os.Stat(src); err != nil {
			continue // handed out but never written
		}
		if err := os.Rename(src, filepath.Join(s.dir, name)); err != nil {
			return err
		}
	}
	return nil
}

// Abort discards everything staged.
func (s *Staging) Abort() {
	s.forget()
	os.RemoveAll(s.tmp)
}
