package gemm

import "unsafe"

// workspace holds one goroutine's packing buffers; recycled so
// steady-state calls allocate nothing.
type workspace struct {
	a, b, aEdge, bEdge, tile, acc []float32
	rows                          [10]*float32 // dot-kernel row pointers
}

// freeList recycles objects through a buffered channel. Unlike a
// sync.Pool it is not emptied by the garbage collector, so a caller that
// allocates elsewhere (and so triggers GCs) does not make every Sgemm
// re-allocate its megabytes of packing buffers. At most cap objects are
// kept; that bounds the memory held to the peak concurrency seen.
type freeList[T any] chan *T

func (f freeList[T]) get() *T {
	select {
	case x := <-f:
		return x
	default:
		return new(T)
	}
}

func (f freeList[T]) put(x *T) {
	select {
	case f <- x:
	default: // full: let the GC have it
	}
}

var workspaces = make(freeList[workspace], 16)

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
