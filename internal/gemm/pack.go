package gemm

// Packing copies a block of op(A) or op(B) into micro-panels laid out in
// the order the micro-kernel reads them, zero-padding the ragged edge so the
// kernel never needs a special case.

// packA writes rows [i0, i0+mb) × cols [p0, p0+kb) of op(A) as ⌈mb/mr⌉
// panels; panel q holds element (i0+q·mr+i, p0+p) at dst[q·mr·kb + p·mr + i].
func packA(im *impl, mr int, dst []float32, transA bool, a []float32, lda, i0, mb, p0, kb int) {
	if transA {
		// op(A)(i,p) = a[p·lda+i]: each k step is a contiguous run of the
		// block. Eight k steps at a time across all panels, so the source
		// is read row by row (a panel at a time would revisit each line
		// and, with power-of-two lda, thrash a few cache sets).
		for pb := 0; pb < kb; pb += 8 {
			n := min(8, kb-pb)
			for q := 0; q*mr < mb; q++ {
				copyRows(im, dst[q*mr*kb+pb*mr:], mr, a[(p0+pb)*lda+i0+q*mr:], lda, n, min(mr, mb-q*mr))
			}
		}
		return
	}
	for q := 0; q*mr < mb; q++ {
		// op(A)(i,p) = a[i·lda+p]: a transpose of rows×kb.
		gather(im, dst[q*mr*kb:(q+1)*mr*kb], mr, a[(i0+q*mr)*lda+p0:], lda, min(mr, mb-q*mr), kb)
	}
}

// packBPanel packs one nr-wide panel of op(B): rows [p0, p0+kb), columns
// [j0, j0+cols), zero-padded to nr; element (p0+p, j0+j) goes to
// panel[p·nr + j].
func packBPanel(im *impl, nr int, panel []float32, transB bool, b []float32, ldb, p0, kb, j0, cols int) {
	if transB {
		gather(im, panel, nr, b[j0*ldb+p0:], ldb, cols, kb) // op(B)(p,j) = b[j·ldb+p]
	} else {
		copyRows(im, panel, nr, b[p0*ldb+j0:], ldb, kb, cols)
	}
}

// packB packs rows [p0, p0+kb) × cols [j0, j0+nb) of op(B) as ⌈nb/nr⌉
// consecutive panels.
func packB(im *impl, nr int, dst []float32, transB bool, b []float32, ldb, p0, kb, j0, nb int) {
	if !transB {
		// As in packA: eight k rows at a time across all panels.
		for pb := 0; pb < kb; pb += 8 {
			n := min(8, kb-pb)
			for q := 0; q*nr < nb; q++ {
				copyRows(im, dst[q*nr*kb+pb*nr:], nr, b[(p0+pb)*ldb+j0+q*nr:], ldb, n, min(nr, nb-q*nr))
			}
		}
		return
	}
	for q := 0; q*nr < nb; q++ {
		packBPanel(im, nr, dst[q*nr*kb:(q+1)*nr*kb], transB, b, ldb, p0, kb, j0+q*nr, min(nr, nb-q*nr))
	}
}

// copyRows sets dst[p·w + i] = src[p·lds + i] for p < n, i < cols and zeroes
// dst[p·w + i] for cols ≤ i < w.
func copyRows(im *impl, dst []float32, w int, src []float32, lds, n, cols int) {
	switch {
	case cols == w && w%8 == 0 && im.cp8 != nil:
		im.cp8(n, src, lds, dst, w)
	// Element-wise for the narrow panels: the compiler turns a slice or
	// array copy into a memmove call, which costs more than 8 moves.
	case cols == 8 && w == 8:
		for p := 0; p < n; p++ {
			d, s := dst[p*8:p*8+8:p*8+8], src[p*lds:p*lds+8:p*lds+8]
			d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7] = s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7]
		}
	case cols == 4 && w == 4:
		for p := 0; p < n; p++ {
			d, s := dst[p*4:p*4+4:p*4+4], src[p*lds:p*lds+4:p*lds+4]
			d[0], d[1], d[2], d[3] = s[0], s[1], s[2], s[3]
		}
	default:
		for p := 0; p < n; p++ {
			d := dst[p*w : (p+1)*w]
			copy(d, src[p*lds:p*lds+cols])
			clear(d[cols:])
		}
	}
}

// gather is the transposing copy: dst[c·w + i] = src[i·lds + c] for
// i < rows, c < n, with dst[c·w + i] = 0 for rows ≤ i < w. Groups of eight
// rows go through the assembly 8×8 transpose when the impl has one.
func gather(im *impl, dst []float32, w int, src []float32, lds, rows, n int) {
	i := 0
	if im.tr8 != nil {
		for ; i+8 <= rows; i += 8 {
			n8 := n / 8
			if n8 > 0 {
				im.tr8(n8, src[i*lds:], lds, dst[i:], w)
			}
			for c := n8 * 8; c < n; c++ {
				for r := i; r < i+8; r++ {
					dst[c*w+r] = src[r*lds+c]
				}
			}
		}
	}
	for ; i+4 <= rows; i += 4 {
		r0, r1 := src[i*lds:][:n], src[(i+1)*lds:][:n]
		r2, r3 := src[(i+2)*lds:][:n], src[(i+3)*lds:][:n]
		for c := range n {
			d := dst[c*w+i : c*w+i+4 : c*w+i+4]
			d[0], d[1], d[2], d[3] = r0[c], r1[c], r2[c], r3[c]
		}
	}
	for ; i < rows; i++ {
		for c, v := range src[i*lds:][:n] {
			dst[c*w+i] = v
		}
	}
	if rows < w {
		for c := range n {
			clear(dst[c*w+rows : (c+1)*w])
		}
	}
}
