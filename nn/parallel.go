package nn

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// maxChunks is the number of pieces a batch is split into for parallel
// work. It is a constant, not GOMAXPROCS, so that reductions over chunks
// (weight gradients, batch-norm sums) happen in the same order on every
// machine; 8 keeps up to 8 cores busy and the per-chunk buffers small.
const maxChunks = 8

// chunks returns the number of chunks for a batch of n samples.
func chunks(n int) int { return max(1, min(n, maxChunks)) }

// maxChunkLen is the largest chunk of a batch of n samples.
func maxChunkLen(n int) int { nc := chunks(n); return (n + nc - 1) / nc }

// chunkRange returns the samples [lo, hi) of chunk c out of nc for batch n.
func chunkRange(n, nc, c int) (lo, hi int) { return c * n / nc, (c + 1) * n / nc }

// job is one parallel loop handed to the helper goroutines.
type job struct {
	fn   func(i int)
	n    int
	next atomic.Int64
	wg   sync.WaitGroup
}

func (j *job) work() {
	for {
		i := int(j.next.Add(1) - 1)
		if i >= j.n {
			return
		}
		j.fn(i)
	}
}

var (
	jobPool  = sync.Pool{New: func() any { return new(job) }}
	helperMu sync.Mutex
	helpers  int       // helper goroutines started so far
	jobs     chan *job // work handed to helpers
)

// ensureHelpers starts helper goroutines until there are at least k. They
// live for the rest of the process, blocked on the channel when idle;
// starting them once keeps the training step free of allocations.
func ensureHelpers(k int) {
	helperMu.Lock()
	defer helperMu.Unlock()
	if jobs == nil {
		jobs = make(chan *job, 64)
	}
	for ; helpers < k; helpers++ {
		go func() {
			for j := range jobs {
				j.work()
				j.wg.Done()
			}
		}()
	}
}

// parallelFor runs fn(0) … fn(n-1) on up to GOMAXPROCS goroutines and
// returns when all are done. fn must not depend on which goroutine runs it.
func parallelFor(n int, fn func(i int)) {
	w := min(runtime.GOMAXPROCS(0), n)
	if w <= 1 {
		for i := 0; i < n; i++ {
			fn(i)
		}
		return
	}
	ensureHelpers(w - 1)
	j := jobPool.Get().(*job)
	j.fn, j.n = fn, n
	j.next.Store(0)
	j.wg.Add(w - 1)
	for k := 0; k < w-1; k++ {
		jobs <- j
	}
	j.work()
	j.wg.Wait()
	j.fn = nil
	jobPool.Put(j)
}

// pass holds the arguments of a layer's current forward or backward call.
// The parallel loop bodies are methods reading it, bound once into method
// values (loops), so that a training step allocates no closures.
type pass[T Float] struct {
	cx        *ctx[T]
	in        []*tensor[T]
	out       *tensor[T]
	need, add []bool
}

// loops caches bound loop bodies; get binds f on first use.
type loops [4]func(int)

func (l *loops) get(i int, f func() func(int)) func(int) {
	if l[i] == nil {
		l[i] = f()
	}
	return l[i]
}
