//go:build amd64 && !purego

package gemm

import (
	"golang.org/x/sys/cpu"
)

var winAsm = cpu.X86.HasAVX512F

//go:noescape
func winMMAVX512(k int, a *float32, lda int, b *float32, s1b int, off *int32, c *float32, ldc, s1c int, bias *float32, add int)

//go:noescape
func winDotAVX512(nrows, w int, rows *[10]*float32, gap int, acc *float32, flags int)

//go:noescape
func winMM3AVX512(k int, a *float32, lda int, b *float32, s1b, s2b int, off *int32, c *float32, ldc, s1c, s2c int, bias *float32, add int)

// winMMAsm covers each C row group with tiles of three 16-pixel segments
// (raster order, so a tile may span output rows), and two-segment tiles
// for the last four or two segments; the bounds were checked by WindowMM.
func winMMAsm(m, k, rows, w int, a []float32, lda int, b []float32, off []int32, ldb int, bias []float32, add bool, c []float32, ldc int) {
	addf := 0
	if add {
		addf = 1
	}
	per := w / 16 // segments per row
	nseg := rows * per
	seg := func(s int) (bo, co int) { return s/per*ldb + s%per*16, s/per*w + s%per*16 }
	n3 := nseg / 3
	if nseg%3 == 1 {
		n3-- // end with two 2-segment tiles instead of a lone segment
	}
	for s := 0; s < nseg; {
		b0, c0 := seg(s)
		if s < 3*n3 {
			b1, c1 := seg(s + 1)
			b2, c2 := seg(s + 2)
			for i := 0; i < m; i += windowMR {
				var bp *float32
				if bias != nil {
					bp = &bias[i]
				}
				winMM3AVX512(k, &a[i*lda], lda, &b[b0], b1-b0, b2-b0, &off[0], &c[i*ldc+c0], ldc, c1-c0, c2-c0, bp, addf)
			}
			s += 3
			continue
		}
		b1, c1 := seg(s + 1)
		for i := 0; i < m; i += windowMR {
			var bp *float32
			if bias != nil {
				bp = &bias[i]
			}
			winMMAVX512(k, &a[i*lda], lda, &b[b0], b1-b0, &off[0], &c[i*ldc+c0], ldc, c1-c0, bp, addf)
		}
		s += 2
	}
}

// winDotAsm runs the 4×6 dot tiles over blocks of rows short enough that
// a tile's four A rows stay in L1 while the B windows of all column tiles
// stream past, keeping the lane-vector sums between blocks in a workspace.
func winDotAsm(m, n, rows, w int, a []float32, lda int, b []float32, off []int32, ldb int, c []float32, ldc int) {
	tm, tn := ceilDiv(m, wdotRows), ceilDiv(n, wdotCols)
	ws := workspaces.get()
	acc := grow(&ws.acc, tm*tn*wdotTile)
	rp := &ws.rows
	rb := max(1, min(rows, 1536/w))
	for y0 := 0; y0 < rows; y0 += rb {
		nr := min(rb, rows-y0)
		flags := 0
		if y0 == 0 {
			flags |= dotFirst
		}
		if y0+nr == rows {
			flags |= dotLast
		}
		for it := 0; it < tm; it++ {
			for r := 0; r < wdotRows; r++ {
				i := min(it*wdotRows+r, m-1) // ragged tiles repeat a row
				rp[r] = &a[i*lda+y0*w]
			}
			for jt := 0; jt < tn; jt++ {
				for r := 0; r < wdotCols; r++ {
					j := min(jt*wdotCols+r, n-1)
					rp[wdotRows+r] = &b[int(off[j])+y0*ldb]
				}
				winDotAVX512(nr, w, rp, 4*(ldb-w), &acc[(it*tn+jt)*wdotTile], flags)
			}
		}
	}
	*rp = [10]*float32{}
	for it := 0; it < tm; it++ {
		for jt := 0; jt < tn; jt++ {
			t := acc[(it*tn+jt)*wdotTile:]
			for r := 0; r < wdotCols && jt*wdotCols+r < n; r++ {
				j := jt*wdotCols + r
				for s := 0; s < wdotRows && it*wdotRows+s < m; s++ {
					c[(it*wdotRows+s)*ldc+j] += t[r*wdotRows+s]
				}
			}
		}
	}
	workspaces.put(ws)
}
