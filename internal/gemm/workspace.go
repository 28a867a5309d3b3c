package gemm

import (
	"sync"
	"unsafe"
)

// workspace holds one goroutine's packing buffers; pooled so steady-state
// calls allocate nothing.
type workspace struct {
	a, b, aEdge, bEdge, tile, acc []float32
	rows                          [10]*float32 // dot-kernel row pointers
}

var wsPool = sync.Pool{New: func() any { return new(workspace) }}

// grow returns *buf resliced to n elements, reallocating (64-byte aligned,
// so zmm loads of packed panels never split cache lines) when too small.
func grow(buf *[]float32, n int) []float32 {
	if cap(*buf) < n {
		raw := make([]float32, n+16)
		off := int(uintptr(unsafe.Pointer(&raw[0])) % 64 / 4)
		if off != 0 {
			off = 16 - off
		}
		*buf = raw[off : off+n]
	}
	return (*buf)[:n]
}
