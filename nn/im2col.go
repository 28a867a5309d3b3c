package nn

// convGeom is the geometry of one 2-d convolution on a single sample.
// padding is pad cells on every side, zero or circular (torch
// padding_mode='circular': the input wraps around).
type convGeom struct {
	cin, cout, h, w int
	k, stride, pad  int
	circular        bool
	ho, wo          int // output size
}

func newConvGeom(cin, cout, h, w, k, stride, pad int, circular bool) convGeom {
	return convGeom{cin: cin, cout: cout, h: h, w: w, k: k, stride: stride, pad: pad, circular: circular,
		ho: (h+2*pad-k)/stride + 1, wo: (w+2*pad-k)/stride + 1}
}

// rows is the im2col row count cin·k·k.
func (g *convGeom) rows() int { return g.cin * g.k * g.k }

// padIndex maps a padded coordinate to the input index, or -1 for a zero.
func padIndex(i, n int, circular bool) int {
	if i >= 0 && i < n {
		return i
	}
	if !circular {
		return -1
	}
	return ((i % n) + n) % n
}

// im2col writes col[(ci·k+ky)·k+kx][oy·wo+ox] = x[ci][oy·s+ky-pad][ox·s+kx-pad]
// for one sample x (cin×h×w), padded per g.
func im2col[T Float](g *convGeom, col, x []T) {
	hw, n := g.h*g.w, g.ho*g.wo
	if g.stride == 1 && g.ho == g.h && g.wo == g.w {
		for ci := 0; ci < g.cin; ci++ {
			for ky := 0; ky < g.k; ky++ {
				for kx := 0; kx < g.k; kx++ {
					shiftPlane(g, col[((ci*g.k+ky)*g.k+kx)*n:][:n], x[ci*hw:(ci+1)*hw], ky-g.pad, kx-g.pad)
				}
			}
		}
		return
	}
	for ci := 0; ci < g.cin; ci++ {
		plane := x[ci*hw : (ci+1)*hw]
		for ky := 0; ky < g.k; ky++ {
			for kx := 0; kx < g.k; kx++ {
				dst := col[((ci*g.k+ky)*g.k+kx)*n:][:n]
				for oy := 0; oy < g.ho; oy++ {
					row := dst[oy*g.wo : (oy+1)*g.wo]
					iy := padIndex(oy*g.stride+ky-g.pad, g.h, g.circular)
					if iy < 0 {
						clear(row)
						continue
					}
					srow := plane[iy*g.w : (iy+1)*g.w]
					if g.stride == 1 {
						shiftRow(row, srow, kx-g.pad, g.circular)
						continue
					}
					for ox := range row {
						ix := padIndex(ox*g.stride+kx-g.pad, g.w, g.circular)
						if ix < 0 {
							row[ox] = 0
						} else {
							row[ox] = srow[ix]
						}
					}
				}
			}
		}
	}
}

// shiftPlane writes dst[y][x] = src[y+dy][x+dx] for one h×w plane (output
// size = input size), wrapped or zero outside. The rows that stay inside
// are one long copy of the flat plane; only the |dx| edge columns of each
// row and the |dy| wrapped rows need fixing.
func shiftPlane[T Float](g *convGeom, dst, src []T, dy, dx int) {
	h, w := g.h, g.w
	y0, y1 := max(0, -dy), min(h, h-dy) // rows whose source row is inside
	if y0 < y1 {
		lo, hi := y0*w+max(0, -dx), y1*w-max(0, dx)
		if lo < hi {
			off := dy*w + dx
			copy(dst[lo:hi], src[lo+off:hi+off])
		}
		if dx != 0 {
			fixEdges(dst[y0*w:y1*w], src[(y0+dy)*w:(y1+dy)*w], w, dx, g.circular)
		}
	}
	for y := 0; y < h; y++ {
		if y >= y0 && y < y1 {
			continue
		}
		row := dst[y*w : (y+1)*w]
		iy := padIndex(y+dy, h, g.circular)
		if iy < 0 {
			clear(row)
			continue
		}
		shiftRow(row, src[iy*w:(iy+1)*w], dx, g.circular)
	}
}

// fixEdges sets, in every row of dst (rows of width w), the |dx| entries
// whose source column x+dx lies outside the row: wrapped or zero.
func fixEdges[T Float](dst, src []T, w, dx int, circular bool) {
	lo, hi := 0, -dx // dx < 0: columns [0, -dx) read x+dx+w
	wrap := w
	if dx > 0 {
		lo, hi, wrap = w-dx, w, -w
	}
	lo, hi = max(lo, 0), min(hi, w)
	if lo >= hi {
		return
	}
	if !circular {
		for r := 0; r < len(dst); r += w {
			clear(dst[r+lo : r+hi])
		}
		return
	}
	if -w < dx && dx < w {
		for r := 0; r < len(dst); r += w {
			for x := lo; x < hi; x++ {
				dst[r+x] = src[r+x+dx+wrap]
			}
		}
		return
	}
	for r := 0; r < len(dst); r += w { // |dx| ≥ w: tiny planes
		for x := lo; x < hi; x++ {
			dst[r+x] = src[r+((x+dx)%w+w)%w]
		}
	}
}

// shiftRow writes dst[i] = src[i+d] for a stride-1 row, with the entries
// outside src wrapped (circular) or zero. dst is an output row, which is
// shorter than src when pad < k/2.
func shiftRow[T Float](dst, src []T, d int, circular bool) {
	n, w := len(dst), len(src)
	lo := max(0, -d)  // first i with i+d >= 0
	hi := min(n, w-d) // one past the last i with i+d < w
	if lo < hi {
		copy(dst[lo:hi], src[lo+d:hi+d])
	} else {
		lo, hi = n, n
	}
	for i := 0; i < min(lo, n); i++ {
		if circular {
			dst[i] = src[((i+d)%w+w)%w]
		} else {
			dst[i] = 0
		}
	}
	for i := max(hi, 0); i < n; i++ {
		if circular {
			dst[i] = src[(i+d)%w]
		} else {
			dst[i] = 0
		}
	}
}

// col2imAdd is the adjoint of im2col: x[ci][iy][ix] += col[...] for every
// column entry that im2col read from (iy, ix).
func col2imAdd[T Float](g *convGeom, x, col []T) {
	hw, n := g.h*g.w, g.ho*g.wo
	for ci := 0; ci < g.cin; ci++ {
		plane := x[ci*hw : (ci+1)*hw]
		for ky := 0; ky < g.k; ky++ {
			for kx := 0; kx < g.k; kx++ {
				c := col[((ci*g.k+ky)*g.k+kx)*n:][:n]
				for oy := 0; oy < g.ho; oy++ {
					iy := padIndex(oy*g.stride+ky-g.pad, g.h, g.circular)
					if iy < 0 {
						continue
					}
					srow := plane[iy*g.w : (iy+1)*g.w]
					row := c[oy*g.wo : (oy+1)*g.wo]
					for ox, v := range row {
						if ix := padIndex(ox*g.stride+kx-g.pad, g.w, g.circular); ix >= 0 {
							srow[ix] += v
						}
					}
				}
			}
		}
	}
}
