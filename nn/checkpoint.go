package nn

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
)

// Checkpoint format (little-endian, version 1):
//
//	"PGNNCKPT" | version u32 | element bytes u32 (4 or 8)
//	architecture: length u32, bytes (Net.Architecture)
//	parameters:   count u64, values
//	batch norms:  count u32, then per layer channels u32,
//	              num_batches_tracked i64, running mean, running var
//
// The same network state always gives the same bytes.
const (
	ckptMagic   = "PGNNCKPT"
	ckptVersion = 1
)

// ErrCheckpoint reports a checkpoint that is malformed or belongs to a
// different architecture.
var ErrCheckpoint = errors.New("nn: bad checkpoint")

// MarshalBinary encodes the parameters and batch-norm running statistics
// (not the gradients, not the mode).
func (n *Net[T]) MarshalBinary() ([]byte, error) {
	var buf bytes.Buffer
	if err := n.Save(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// UnmarshalBinary restores a state written by MarshalBinary; see Load.
func (n *Net[T]) UnmarshalBinary(data []byte) error {
	return n.Load(bytes.NewReader(data))
}

// Save writes the parameters and batch-norm running statistics to w.
func (n *Net[T]) Save(w io.Writer) error {
	var z T
	elem := binary.Size(z)
	le := binary.LittleEndian
	b := []byte(ckptMagic)
	b = le.AppendUint32(b, ckptVersion)
	b = le.AppendUint32(b, uint32(elem))
	b = le.AppendUint32(b, uint32(len(n.fingerprint)))
	b = append(b, n.fingerprint...)
	b = le.AppendUint64(b, uint64(len(n.params)))
	b = appendValues(b, n.params)
	b = le.AppendUint32(b, uint32(len(n.bns)))
	for _, bn := range n.bns {
		b = le.AppendUint32(b, uint32(bn.c))
		b = le.AppendUint64(b, uint64(bn.tracked))
		b = appendValues(b, bn.runMean)
		b = appendValues(b, bn.runVar)
	}
	_, err := w.Write(b)
	return err
}

func appendValues[T Float](b []byte, v []T) []byte {
	le := binary.LittleEndian
	for _, x := range v {
		if is32[T]() {
			b = le.AppendUint32(b, math.Float32bits(float32(x)))
		} else {
			b = le.AppendUint64(b, math.Float64bits(float64(x)))
		}
	}
	return b
}

// Load restores parameters and running statistics saved by Save from a
// network of the same architecture. A float32 checkpoint loads into a
// float64 network and vice versa (rounded). On error the network is
// unchanged.
func (n *Net[T]) Load(r io.Reader) error {
	rd := &ckptReader{r: r}
	magic := rd.bytes(len(ckptMagic))
	if rd.err == nil && string(magic) != ckptMagic {
		return fmt.Errorf("%w: not a physgrad network checkpoint", ErrCheckpoint)
	}
	if v := rd.u32(); rd.err == nil && v != ckptVersion {
		return fmt.Errorf("%w: version %d, want %d", ErrCheckpoint, v, ckptVersion)
	}
	elem := int(rd.u32())
	if rd.err == nil && elem != 4 && elem != 8 {
		return fmt.Errorf("%w: element size %d", ErrCheckpoint, elem)
	}
	arch := rd.bytes(int(rd.u32()))
	if rd.err == nil && string(arch) != n.fingerprint {
		return fmt.Errorf("%w: architecture %q, this network is %q", ErrCheckpoint, arch, n.fingerprint)
	}
	if np := rd.u64(); rd.err == nil && np != uint64(len(n.params)) {
		return fmt.Errorf("%w: %d parameters, want %d", ErrCheckpoint, np, len(n.params))
	}
	params := readValues[T](rd, elem, len(n.params))
	if nb := rd.u32(); rd.err == nil && int(nb) != len(n.bns) {
		return fmt.Errorf("%w: %d batch norms, want %d", ErrCheckpoint, nb, len(n.bns))
	}
	type bnState struct {
		tracked        int64
		mean, variance []T
	}
	states := make([]bnState, len(n.bns))
	for i, bn := range n.bns {
		if c := rd.u32(); rd.err == nil && int(c) != bn.c {
			return fmt.Errorf("%w: batch norm %d has %d channels, want %d", ErrCheckpoint, i, c, bn.c)
		}
		states[i].tracked = int64(rd.u64())
		states[i].mean = readValues[T](rd, elem, bn.c)
		states[i].variance = readValues[T](rd, elem, bn.c)
	}
	if rd.err != nil {
		return fmt.Errorf("%w: %v", ErrCheckpoint, rd.err)
	}
	copy(n.params, params)
	for i, bn := range n.bns {
		bn.tracked = states[i].tracked
		copy(bn.runMean, states[i].mean)
		copy(bn.runVar, states[i].variance)
	}
	return nil
}

// ckptReader reads little-endian fields, remembering the first error.
type ckptReader struct {
	r   io.Reader
	err error
}

func (c *ckptReader) bytes(k int) []byte {
	if c.err != nil {
		return nil
	}
	if k < 0 || k > 1<<20 {
		c.err = fmt.Errorf("field of %d bytes", k)
		return nil
	}
	b := make([]byte, k)
	if _, err := io.ReadFull(c.r, b); err != nil {
		c.err = err
		return nil
	}
	return b
}

func (c *ckptReader) u32() uint32 {
	if b := c.bytes(4); b != nil {
		return binary.LittleEndian.Uint32(b)
	}
	return 0
}

func (c *ckptReader) u64() uint64 {
	if b := c.bytes(8); b != nil {
		return binary.LittleEndian.Uint64(b)
	}
	return 0
}

func readValues[T Float](c *ckptReader, elem, k int) []T {
	v := make([]T, k)
	if c.err != nil {
		return v
	}
	b := make([]byte, elem*k)
	if _, err := io.ReadFull(c.r, b); err != nil {
		c.err = err
		return v
	}
	for i := range v {
		if elem == 4 {
			v[i] = T(math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:])))
		} else {
			v[i] = T(math.Float64frombits(binary.LittleEndian.Uint64(b[8*i:])))
		}
	}
	return v
}
