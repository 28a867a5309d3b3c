package gemm

// The A·Bᵀ dot-product path: tiles of dotMR A rows × dotNR B rows, k in
// blocks of dotKC with lane-vector partial sums kept per tile.
const (
	dotMR, dotNR = 4, 6
	dotTile      = dotMR * dotNR * 16 // lane-vectors per tile, in float32
	dotKC        = 384                // k block: dotMT·4 A rows + 6 B rows fit in L1
	dotMT        = 4                  // A tiles sharing one pass over B
	dotMinK      = 512                // shorter dots spend too long in the reduction
	dotMaxTiles  = 1024               // bounds the lane-sum buffer (1.5 MiB)

	dotFirst = 1 // dotFunc flags: first k block (start from zero),
	dotLast  = 2 // last k block (leave the 24 reduced sums in acc[0:24])
)

// dotChunk computes rows [i0,i1) × cols [j0,j1) of C = alpha·A·Bᵀ + beta·C.
func (g *call) dotChunk(ws *workspace, i0, i1, j0, j1 int) {
	tm, tn := ceilDiv(i1-i0, dotMR), ceilDiv(j1-j0, dotNR)
	acc := grow(&ws.acc, tm*tn*dotTile)
	rows := &ws.rows // in the workspace: a local would escape via g.im.dot
	for pc := 0; pc < g.k; pc += dotKC {
		kb := min(dotKC, g.k-pc)
		flags := 0
		if pc == 0 {
			flags |= dotFirst
		}
		if pc+kb == g.k {
			flags |= dotLast
		}
		// dotMT A tiles (their kb-long row pieces stay in L1) against
		// every B tile, whose rows stream through once per A group.
		for it0 := 0; it0 < tm; it0 += dotMT {
			for jt := 0; jt < tn; jt++ {
				for r := 0; r < dotNR; r++ {
					// Ragged tiles repeat the last row; those sums are unused.
					j := min(j0+jt*dotNR+r, j1-1)
					rows[dotMR+r] = &g.b[j*g.ldb+pc]
				}
				for it := it0; it < min(it0+dotMT, tm); it++ {
					for r := 0; r < dotMR; r++ {
						i := min(i0+it*dotMR+r, i1-1)
						rows[r] = &g.a[i*g.lda+pc]
					}
					g.im.dot(kb, rows, acc[(jt*tm+it)*dotTile:], flags)
				}
			}
		}
	}
	*rows = [10]*float32{} // do not pin the operands from the pool
	for jt := 0; jt < tn; jt++ {
		for it := 0; it < tm; it++ {
			t := acc[(jt*tm+it)*dotTile:]
			for r := 0; r < dotNR && j0+jt*dotNR+r < j1; r++ {
				j := j0 + jt*dotNR + r
				for s := 0; s < dotMR && i0+it*dotMR+s < i1; s++ {
					i := i0 + it*dotMR + s
					v := g.alpha * t[r*dotMR+s]
					if ci := i*g.ldc + j; g.beta == 0 {
						g.c[ci] = v
					} else {
						g.c[ci] = v + g.beta*g.c[ci]
					}
				}
			}
		}
	}
}
