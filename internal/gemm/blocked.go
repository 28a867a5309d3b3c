package gemm

const (
	// directMax: op(A)ᵀ / op(B) panels are read in place when the other
	// dimension is at most this, i.e. when each panel is reused only a
	// few times and packing it would cost about as much as using it.
	directMax = 64
	// directKC is the k block when B is read in place: each k row of B
	// is a separate memory stream, and a few dozen streams are what the
	// hardware prefetchers can follow. The C block (≤ directMax rows)
	// stays in L2 across the extra passes.
	directKC = 32
	// directNC bounds the C block width on that path (≤ 1 MiB of C).
	directNC = 4096
)

// blocked computes rows [i0,i1) × cols [j0,j1) of C on the packed path.
//
// Loop nest (outer to inner), as in BLIS: nc-wide column blocks, kc-deep
// k blocks (the B block is packed and stays in L2), mc-tall row blocks
// (the A block is packed), nr-column B micro-panels (kept in L1 while
// mr-row A micro-panels stream past them). The k blocks run in order for
// every element, so chunking never changes the arithmetic.
func (g *call) blocked(ws *workspace, i0, i1, j0, j1 int) {
	im, t := g.im, g.t
	mr, nr := t.mr, t.nr
	kc, nc, mc := g.kc, im.nc, im.mc
	if g.directB {
		nc = directNC
	}
	// Block edges on tile multiples: every tile then lies at the same
	// place whatever the chunk, so its arithmetic does too.
	nc, mc = max(nr, nc/nr*nr), max(mr, mc/mr*mr)
	tile := grow(&ws.tile, mr*nr)
	for jc := j0; jc < j1; jc += nc {
		nb := min(nc, j1-jc)
		for pc := 0; pc < g.k; pc += kc {
			kb := min(kc, g.k-pc)
			beta := g.beta
			if pc > 0 {
				beta = 1 // later k blocks accumulate onto the first
			}
			var bpack []float32
			if !g.directB {
				bpack = grow(&ws.b, ceilDiv(nb, nr)*nr*kb)
				packB(im, nr, bpack, g.transB, g.b, g.ldb, pc, kb, jc, nb)
			} else if rem := nb % nr; rem != 0 { // ragged last panel
				bpack = grow(&ws.bEdge, kb*nr)
				packBPanel(im, nr, bpack, false, g.b, g.ldb, pc, kb, jc+nb-rem, rem)
			}
			for ic := i0; ic < i1; ic += mc {
				mb := min(mc, i1-ic)
				var apack []float32
				if !g.directA {
					apack = grow(&ws.a, ceilDiv(mb, mr)*mr*kb)
					packA(im, mr, apack, g.transA, g.a, g.lda, ic, mb, pc, kb)
				} else if rem := mb % mr; rem != 0 {
					apack = grow(&ws.aEdge, mr*kb)
					packA(im, mr, apack, true, g.a, g.lda, ic+mb-rem, rem, pc, kb)
				}
				// B micro-panel jr and A micro-panel ir in whichever nesting
				// streams better (the tiles and their arithmetic are the
				// same either way): with a short k the panels are tiny and
				// C traffic dominates, so walk C along its rows.
				nbp, nap := ceilDiv(nb, nr), ceilDiv(mb, mr)
				for q := 0; q < nbp*nap; q++ {
					jr, ir := q/nap*nr, q%nap*mr
					if g.rowMajor {
						ir, jr = q/nbp*mr, q%nbp*nr
					}
					cols, rows := min(nr, nb-jr), min(mr, mb-ir)
					bp, bs := bpack, nr
					switch {
					case !g.directB:
						bp = bpack[jr*kb:]
					case cols == nr:
						bp, bs = g.b[pc*g.ldb+jc+jr:], g.ldb
					}
					ap, as := apack, mr
					switch {
					case !g.directA:
						ap = apack[ir*kb:]
					case rows == mr:
						ap, as = g.a[pc*g.lda+ic+ir:], g.lda
					}
					ci := (ic+ir)*g.ldc + jc + jr
					if rows == mr && cols == nr {
						t.kern(kb, ap, as, bp, bs, g.c[ci:], g.ldc, g.alpha, beta)
						continue
					}
					// Ragged tile: compute it whole into scratch, then write
					// only the part inside C.
					t.kern(kb, ap, as, bp, bs, tile, nr, g.alpha, 0)
					merge(g.c[ci:], g.ldc, tile, nr, rows, cols, beta)
				}
			}
		}
	}
}

// merge sets C = T + beta·C on a rows×cols corner (C not read if beta == 0).
func merge(c []float32, ldc int, t []float32, ldt, rows, cols int, beta float32) {
	for i := 0; i < rows; i++ {
		cr := c[i*ldc : i*ldc+cols]
		tr := t[i*ldt : i*ldt+cols]
		if beta == 0 {
			copy(cr, tr)
			continue
		}
		for j, v := range tr {
			cr[j] = v + beta*cr[j]
		}
	}
}
