package grid

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// Chunks is the fixed number of contiguous pieces a batch is cut into.
// It does not depend on GOMAXPROCS, and every item is computed by the same
// code with its own scratch, so results are bitwise identical for any
// number of cores; only which goroutine runs a chunk varies.
const Chunks = 16

// Pool runs per-item batch work on up to Workers goroutines. Each goroutine
// has a worker index in [0, Workers) for choosing its scratch space.
// A Pool is not safe for concurrent Run calls; the goroutines live only for
// the duration of a Run, so a Pool needs no closing.
type Pool struct {
	workers int
	starts  []func() // one per extra worker, built once so Run does not allocate

	// state of the current Run
	n    int
	fn   func(worker, i int)
	next atomic.Int64
	wg   sync.WaitGroup
}

// NewPool returns a pool with workers goroutines; workers <= 0 means
// min(GOMAXPROCS, Chunks).
func NewPool(workers int) *Pool {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = min(workers, Chunks)
	p := &Pool{workers: workers}
	for w := 1; w < workers; w++ {
		p.starts = append(p.starts, func() { p.work(w); p.wg.Done() })
	}
	return p
}

// Workers is the number of worker indices Run may hand out.
func (p *Pool) Workers() int { return p.workers }

// Run calls fn(worker, i) once for every i in [0, n) and returns when all
// calls have finished. Items are grouped into Chunks contiguous chunks; a
// worker processes a whole chunk in index order.
func (p *Pool) Run(n int, fn func(worker, i int)) {
	if n <= 0 {
		return
	}
	p.n, p.fn = n, fn
	p.next.Store(0)
	extra := min(p.workers, Chunks, n) - 1
	p.wg.Add(extra)
	for w := 0; w < extra; w++ {
		go p.starts[w]()
	}
	p.work(0)
	p.wg.Wait()
	p.fn = nil
}

func (p *Pool) work(worker int) {
	for {
		c := int(p.next.Add(1)) - 1
		if c >= Chunks {
			return
		}
		lo, hi := c*p.n/Chunks, (c+1)*p.n/Chunks
		for i := lo; i < hi; i++ {
			p.fn(worker, i)
		}
	}
}
