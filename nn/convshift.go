package nn

// shiftKernel computes a stride-1 "same" convolution (odd k, pad = k/2)
// as k·k accumulated GEMMs over shifted views of a padded copy of the
// input — implicit GEMM, no im2col. The trick is the padded-width layout:
// with xpad of (h+2p)×(w+2p) per channel, the input window for kernel tap
// (ky, kx) of output q = oy·(w+2p)+ox is xpad[q + ky·(w+2p) + kx], so each
// tap is one GEMM with B a plain strided view of xpad (row stride = the
// padded plane). Outputs come out (w+2p) wide with 2p junk columns per row,
// which the copy back to h×w drops. Everything a sample touches (the padded
// input and the wide output, ~0.3 MB for 16 channels of 64×64) stays in L2,
// where im2col would stream a k·k times larger matrix through memory.
//
// The weight gradient uses the same views: ∂L/∂W_tap = dy_wide · xpad_tapᵀ
// with zeros in dy_wide's junk columns; the input gradient is the same
// convolution of dy with the flipped, transposed kernel.
type shiftKernel[T Float] struct {
	g          convGeom
	w2, p2, l  int // padded width, padded plane, wide output length
	kk         int
	wt, wflipT []T // per tap: [kk][cout][cin] and [kk][cin][cout]
}

func newShiftKernel[T Float](g convGeom) *shiftKernel[T] {
	w2, h2 := g.w+2*g.pad, g.h+2*g.pad
	kk := g.k * g.k
	return &shiftKernel[T]{g: g, w2: w2, p2: h2 * w2, l: (g.h-1)*w2 + g.w, kk: kk,
		wt: make([]T, kk*g.cout*g.cin), wflipT: make([]T, kk*g.cout*g.cin)}
}

// shiftApplies reports whether shiftKernel handles g.
func shiftApplies(g convGeom) bool {
	return g.stride == 1 && g.k > 1 && g.k%2 == 1 && g.pad == g.k/2
}

// scratch: padded planes for max(cin+1, cout) channels (forward adds a
// plane of ones that carries the bias through the centre-tap GEMM), a wide
// output for max(cin, cout) channels, then the per-tap weight gradient
// [kk][cout][cin].
func (kn *shiftKernel[T]) scratch(ns int) int {
	g := &kn.g
	return kn.padLen() + max(g.cin, g.cout)*kn.l + kn.kk*g.cout*g.cin
}

func (kn *shiftKernel[T]) padLen() int { return max(kn.g.cin+1, kn.g.cout) * kn.p2 }

// prepare regroups the weights by tap: wt[t][co][ci] = w[co][ci][t] and
// wflipT[t][ci][co] = w[co][ci][kk-1-t]. The biases are set in forward.
func (kn *shiftKernel[T]) prepare(w []T) {
	g, kk := &kn.g, kn.kk
	for co := 0; co < g.cout; co++ {
		for ci := 0; ci < g.cin; ci++ {
			src := w[(co*g.cin+ci)*kk:][:kk]
			for t, v := range src {
				kn.wt[(t*g.cout+co)*g.cin+ci] = v
				kn.wflipT[((kk-1-t)*g.cin+ci)*g.cout+co] = v
			}
		}
	}
}

// pad writes the padded copy of c planes of h×w into dst (c × p2).
func (kn *shiftKernel[T]) pad(dst, x []T, c int) {
	g, p := &kn.g, kn.g.pad
	if p == 1 && g.w >= 2 {
		pad1(dst, x, c, g.h, g.w, kn.p2, g.circular)
		return
	}
	kn.padAny(dst, x, c)
}

// padAny is pad for any padding width.
func (kn *shiftKernel[T]) padAny(dst, x []T, c int) {
	g, p, w2 := &kn.g, kn.g.pad, kn.w2
	h2 := g.h + 2*p
	for ch := 0; ch < c; ch++ {
		plane := x[ch*g.h*g.w : (ch+1)*g.h*g.w]
		d := dst[ch*kn.p2 : (ch+1)*kn.p2]
		for r := 0; r < h2; r++ {
			row := d[r*w2 : (r+1)*w2]
			iy := padIndex(r-p, g.h, g.circular)
			if iy < 0 {
				clear(row)
				continue
			}
			src := plane[iy*g.w : (iy+1)*g.w]
			copy(row[p:p+g.w], src)
			for i := 0; i < p; i++ {
				if g.circular {
					row[i] = src[padIndex(i-p, g.w, true)]
					row[p+g.w+i] = src[padIndex(g.w+i, g.w, true)]
				} else {
					row[i], row[p+g.w+i] = 0, 0
				}
			}
		}
	}
}

// pad1 is pad for one cell of padding (3×3 kernels): each row is one
// copy plus its two edge cells (in assembly for float32 rows of a
// multiple of 8), and the top and bottom rows copies of padded rows
// (circular) or zeros.
func pad1[T Float](dst, x []T, c, h, w, p2 int, circular bool) {
	w2 := w + 2
	for ch := 0; ch < c; ch++ {
		plane := x[ch*h*w : (ch+1)*h*w]
		d := dst[ch*p2 : (ch+1)*p2]
		if !is32[T]() || !pad1RowsAsm(as32(d), as32(plane), h, w, circular) {
			pad1Rows(d, plane, h, w, circular)
		}
		top, bot := d[:w2], d[(h+1)*w2:(h+2)*w2]
		if circular {
			copy(top, d[h*w2:(h+1)*w2])
			copy(bot, d[w2:2*w2])
		} else {
			clear(top)
			clear(bot)
		}
	}
}

// pad1Rows writes rows 1…h of a 1-cell padded plane d from the h×w plane.
func pad1Rows[T Float](d, plane []T, h, w int, circular bool) {
	w2 := w + 2
	for r := 0; r < h; r++ {
		src := plane[r*w : (r+1)*w]
		row := d[(r+1)*w2 : (r+2)*w2]
		copy(row[1:w+1], src)
		if circular {
			row[0], row[w+1] = src[w-1], src[0]
		} else {
			row[0], row[w+1] = 0, 0
		}
	}
}

// taps writes out (m × l, ld l) = Σ_t wt[t] (m × c) · xpad view t. With
// centre != nil the centre tap uses it, an m × (c+1) matrix whose last
// column multiplies xpad's plane c (ones: the bias), and goes first.
func (kn *shiftKernel[T]) taps(out, wt, xpad []T, m, c int, centre []T) {
	mid := kn.kk / 2
	beta := T(0)
	if centre != nil {
		off := (mid/kn.g.k)*kn.w2 + mid%kn.g.k
		mmSerial(false, false, m, kn.l, c+1, 1, centre, c+1, xpad[off:], kn.p2, 0, out, kn.l)
		beta = 1
	}
	for t := 0; t < kn.kk; t++ {
		if t == mid && centre != nil {
			continue
		}
		off := (t/kn.g.k)*kn.w2 + t%kn.g.k
		mmSerial(false, false, m, kn.l, c, 1, wt[t*m*c:(t+1)*m*c], c, xpad[off:], kn.p2, beta, out, kn.l)
		beta = 1
	}
}

func (kn *shiftKernel[T]) forward(y, x, w, b []T, ns int, ws []T) {
	g := &kn.g
	in, out, hw := g.cin*g.h*g.w, g.cout*g.h*g.w, g.h*g.w
	xpad, wide := ws[:(g.cin+1)*kn.p2], ws[kn.padLen():][:g.cout*kn.l]
	mid := kn.kk / 2
	for co := 0; co < g.cout; co++ { // [centre tap | bias]; wt is read-only here
		copy(kn.wcChunk(ws)[co*(g.cin+1):], kn.wt[(mid*g.cout+co)*g.cin:][:g.cin])
		kn.wcChunk(ws)[co*(g.cin+1)+g.cin] = b[co]
	}
	fill(xpad[g.cin*kn.p2:], 1)
	for s := 0; s < ns; s++ {
		kn.pad(xpad, x[s*in:(s+1)*in], g.cin)
		kn.taps(wide, kn.wt, xpad, g.cout, g.cin, kn.wcChunk(ws))
		narrow(y[s*out:(s+1)*out], wide, g.cout, g.h, g.w, kn.w2, kn.l, hw, false)
	}
}

func (kn *shiftKernel[T]) backwardData(dx, dy []T, ns int, add bool, ws []T) {
	g := &kn.g
	in, out, hw := g.cin*g.h*g.w, g.cout*g.h*g.w, g.h*g.w
	dypad, wide := ws[:g.cout*kn.p2], ws[kn.padLen():][:g.cin*kn.l]
	for s := 0; s < ns; s++ {
		kn.pad(dypad, dy[s*out:(s+1)*out], g.cout)
		kn.taps(wide, kn.wflipT, dypad, g.cin, g.cout, nil)
		narrow(dx[s*in:(s+1)*in], wide, g.cin, g.h, g.w, kn.w2, kn.l, hw, add)
	}
}

func (kn *shiftKernel[T]) backwardWeights(gw, gb, x, dy []T, ns int, ws []T) {
	g := &kn.g
	in, out, hw, kk := g.cin*g.h*g.w, g.cout*g.h*g.w, g.h*g.w, kn.kk
	xpad, wide := ws[:g.cin*kn.p2], ws[kn.padLen():][:g.cout*kn.l]
	// Tap-major gradient [t][co][ci] (a GEMM needs unit column stride;
	// gw is [co][ci][t]), accumulated over the chunk, then added to gw.
	gt := ws[kn.padLen()+max(g.cin, g.cout)*kn.l:][:kk*g.cout*g.cin]
	clear(gt)
	for s := 0; s < ns; s++ {
		xs, dys := x[s*in:(s+1)*in], dy[s*out:(s+1)*out]
		kn.pad(xpad, xs, g.cin)
		widen(wide, dys, g.cout, g.h, g.w, kn.w2)
		for t := 0; t < kk; t++ {
			off := (t/g.k)*kn.w2 + t%g.k
			mmSerial(false, true, g.cout, g.cin, kn.l, 1, wide, kn.l, xpad[off:], kn.p2, 1, gt[t*g.cout*g.cin:(t+1)*g.cout*g.cin], g.cin)
		}
		for co := 0; co < g.cout; co++ {
			sum, _ := sumSq(dys[co*hw : (co+1)*hw])
			gb[co] += T(sum)
		}
	}
	for t := 0; t < kk; t++ {
		for co := 0; co < g.cout; co++ {
			for ci := 0; ci < g.cin; ci++ {
				gw[(co*g.cin+ci)*kk+t] += gt[(t*g.cout+co)*g.cin+ci]
			}
		}
	}
}

// wcChunk is the chunk's [centre tap | bias] matrix, kept in the per-tap
// gradient area of the scratch (unused during forward).
func (kn *shiftKernel[T]) wcChunk(ws []T) []T {
	g := &kn.g
	return ws[kn.padLen()+max(g.cin, g.cout)*kn.l:][:g.cout*(g.cin+1)]
}

// narrow copies (or adds) the wide rows (width w2, junk dropped) into the
// c planes of h×w at dst.
func narrow[T Float](dst, wide []T, c, h, w, w2, l, hw int, add bool) {
	for ch := 0; ch < c; ch++ {
		src, d := wide[ch*l:(ch+1)*l], dst[ch*hw:(ch+1)*hw]
		for r := 0; r < h; r++ {
			if add {
				axpyRow(d[r*w:(r+1)*w], src[r*w2:r*w2+w], 1)
			} else {
				copy(d[r*w:(r+1)*w], src[r*w2:r*w2+w])
			}
		}
	}
}

// widen copies the c planes of h×w at src into wide rows of width w2 with
// zero junk columns (length (h-1)·w2 + w per channel).
func widen[T Float](wide, src []T, c, h, w, w2 int) {
	l := (h-1)*w2 + w
	for ch := 0; ch < c; ch++ {
		d, s := wide[ch*l:(ch+1)*l], src[ch*h*w:(ch+1)*h*w]
		for r := 0; r < h; r++ {
			copy(d[r*w2:r*w2+w], s[r*w:(r+1)*w])
			if r < h-1 {
				clear(d[r*w2+w : (r+1)*w2])
			}
		}
	}
}
