package gemm

import (
	"runtime"
	"sync"
	"sync/atomic"
)

const (
	// parFlops is the work (2mnk) per chunk below which splitting does not
	// pay for the hand-off to another goroutine.
	parFlops = 1 << 22
	// maxChunks bounds the number of chunks C is split into. The count
	// depends only on the shape, never on GOMAXPROCS.
	maxChunks = 8
	// shortK: up to this k the tile loop walks C row-wise (see blocked).
	shortK = 64
)

// call is one Sgemm invocation: its operands, the path and the partition
// of C into chunks, which goroutines claim one at a time.
type call struct {
	im             *impl
	t              *tiling // micro-kernel of the packed path
	transA, transB bool
	m, n, k        int
	alpha, beta    float32
	a, b, c        []float32
	lda, ldb, ldc  int

	dot              bool // A·Bᵀ dot-product path instead of packing
	directA, directB bool // read full panels of op(A)/op(B) in place
	kc               int  // k block of the packed path (shape-dependent)
	rowMajor         bool // visit C tiles along rows (short k) or down columns

	splitN       bool // chunks are column ranges (else row ranges)
	chunks, tile int  // number of chunks; chunk edges are multiples of tile
	tiles        int  // tiles along the split dimension

	next atomic.Int32   // next unclaimed chunk
	wg   sync.WaitGroup // one count per chunk
	refs atomic.Int32   // owners (caller + helpers); the last one recycles
}

var calls = make(freeList[call], 16)

func dispatch(serial, transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	g := calls.get()
	g.im, g.transA, g.transB, g.m, g.n, g.k = cur.Load(), transA, transB, m, n, k
	g.alpha, g.beta, g.a, g.b, g.c, g.lda, g.ldb, g.ldc = alpha, beta, a, b, c, lda, ldb, ldc
	g.next.Store(0)
	g.plan(serial)
	g.wg.Add(g.chunks)
	g.refs.Store(1)
	if helpers := min(runtime.GOMAXPROCS(0), g.chunks) - 1; helpers > 0 {
		startWorkers(helpers)
		for range helpers {
			g.refs.Add(1)
			select {
			case workCh <- g:
			default: // all helpers busy: do the rest ourselves
				g.refs.Add(-1)
			}
		}
	}
	g.work()
	g.wg.Wait()
	g.release()
}

// plan picks the path and the partition from the shape alone.
func (g *call) plan(serial bool) {
	im := g.im
	g.t = pickTiling(im, g.m, g.n)
	tm, tn := g.t.mr, g.t.nr
	g.dot = im.dot != nil && !g.transA && g.transB && g.k >= dotMinK &&
		ceilDiv(g.m, dotMR)*ceilDiv(g.n, dotNR) <= dotMaxTiles
	if g.dot {
		tm, tn = dotMR, dotNR
	}
	// Reading op(A)ᵀ / op(B) in place saves a copy per element, which
	// matters when the other operand is too small to amortise packing.
	g.directA = g.transA && g.n <= directMax
	g.directB = !g.transB && g.m <= directMax
	g.kc = im.kc
	if g.directB {
		g.kc = directKC
	}
	g.rowMajor = g.k <= shortK

	g.chunks = 1
	if !serial {
		g.chunks = int(min(maxChunks, 2*int64(g.m)*int64(g.n)*int64(g.k)/parFlops))
	}
	cm, cn := ceilDiv(g.m, tm), ceilDiv(g.n, tn)
	// Split along n when it has enough tiles: the chunks then share
	// (and each pack) only A, usually the smaller operand.
	g.splitN = cn >= 2*g.chunks || cn >= cm
	g.tile, g.tiles = tn, cn
	if !g.splitN {
		g.tile, g.tiles = tm, cm
	}
	g.chunks = max(1, min(g.chunks, g.tiles))
}

// bounds returns chunk t as rows [i0,i1) × cols [j0,j1).
func (g *call) bounds(t int) (i0, i1, j0, j1 int) {
	lo := t * g.tiles / g.chunks * g.tile
	hi := (t + 1) * g.tiles / g.chunks * g.tile
	if g.splitN {
		return 0, g.m, lo, min(hi, g.n)
	}
	return lo, min(hi, g.m), 0, g.n
}

// work claims and computes chunks until none are left.
func (g *call) work() {
	var ws *workspace
	for {
		t := int(g.next.Add(1)) - 1
		if t >= g.chunks {
			break
		}
		if ws == nil {
			ws = workspaces.get()
		}
		i0, i1, j0, j1 := g.bounds(t)
		if g.dot {
			g.dotChunk(ws, i0, i1, j0, j1)
		} else {
			g.blocked(ws, i0, i1, j0, j1)
		}
		g.wg.Done()
	}
	if ws != nil {
		workspaces.put(ws)
	}
}

// release drops one reference; the last owner clears the operands (so the
// pool pins no user memory) and recycles the call.
func (g *call) release() {
	if g.refs.Add(-1) == 0 {
		g.a, g.b, g.c, g.im, g.t = nil, nil, nil, nil, nil
		calls.put(g)
	}
}

// Helper goroutines live for the life of the process, parked on workCh.
var (
	workCh    = make(chan *call, 64)
	workersMu sync.Mutex
	workers   int
)

func startWorkers(n int) {
	workersMu.Lock()
	for ; workers < n; workers++ {
		go func() {
			for g := range workCh {
				g.work()
				g.release()
			}
		}()
	}
	workersMu.Unlock()
}

// forceTiling ≥ 0 makes every call use that tiling (tests cover each).
var forceTiling = -1

// pickTiling returns the tiling that wastes least on ragged edges, weighed
// by kernel speed: the 8×48 AVX-512 tile computes a 16-column C at a third
// of its rate, the 24×16 one at full rate.
func pickTiling(im *impl, m, n int) *tiling {
	if forceTiling >= 0 && forceTiling < len(im.tiles) {
		return &im.tiles[forceTiling]
	}
	best, bestRate := &im.tiles[0], 0.0
	for i := range im.tiles {
		t := &im.tiles[i]
		rate := t.speed * float64(m) / float64(ceilDiv(m, t.mr)*t.mr) *
			float64(n) / float64(ceilDiv(n, t.nr)*t.nr)
		if rate > bestRate {
			best, bestRate = t, rate
		}
	}
	return best
}

func ceilDiv(a, b int) int { return (a + b - 1) / b }
