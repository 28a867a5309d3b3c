package nn

// convKernel is the single seam for convolution arithmetic: everything the
// conv2d layer computes goes through these methods, each on a contiguous
// run of ns samples (one chunk). Two implementations exist — shiftKernel
// (implicit GEMM, stride-1 same convolutions with ≥ 8 channels) and
// im2colKernel (everything) — and newKernel (conv.go) picks one per
// geometry; a faster one (Winograd, fused) is added there without touching
// the layer. Methods other than prepare run concurrently on different
// chunks and may only write their outputs and their scratch ws (whose
// length they state in scratch; it is shared with other layers, so its
// contents do not survive between calls).
type convKernel[T Float] interface {
	// scratch is the ws length needed for ns samples.
	scratch(ns int) int
	// forward writes y = conv(x, w) + b.
	forward(y, x, w, b []T, ns int, ws []T)
	// prepare is called once before each forward and backward pass with
	// the current weights (e.g. to flip or regroup them).
	prepare(w []T)
	// backwardData writes (add false) or adds dL/dx given dy.
	backwardData(dx, dy []T, ns int, add bool, ws []T)
	// backwardWeights adds dL/dw into gw and dL/db into gb.
	backwardWeights(gw, gb, x, dy []T, ns int, ws []T)
}

// im2colKernel computes convolutions as im2col + GEMM, one sample at a
// time: y = W[cout][cin·k·k] · col[cin·k·k][ho·wo].
//
// The input gradient of a stride-1 convolution with odd k and pad = k/2
// ("same") is itself such a convolution of dy with the flipped, transposed
// kernel and the same padding, so it reuses the forward path (a GEMM with
// the long dimension ho·wo, instead of a k·k-times larger col2im). Other
// geometries scatter with col2im.
type im2colKernel[T Float] struct {
	g     convGeom
	gT    convGeom // geometry of the transposed convolution (same-padding case)
	same  bool
	plain bool // 1×1, stride 1, no padding: col is x itself
	w     []T  // weights [cout][cin·k·k], set by prepare
	wflip []T  // [cin][cout·k·k], set by prepare when same
}

func newIm2colKernel[T Float](g convGeom) *im2colKernel[T] {
	kn := &im2colKernel[T]{g: g}
	kn.plain = g.k == 1 && g.stride == 1 && g.pad == 0
	kn.same = !kn.plain && g.stride == 1 && g.k%2 == 1 && g.pad == g.k/2
	if kn.same {
		kn.gT = newConvGeom(g.cout, g.cin, g.h, g.w, g.k, 1, g.pad, g.circular)
		kn.wflip = make([]T, g.cin*g.cout*g.k*g.k)
	}
	return kn
}

func (kn *im2colKernel[T]) scratch(ns int) int {
	g := &kn.g
	n := g.ho * g.wo
	switch {
	case kn.plain:
		return 0
	case kn.same:
		return max(kn.fwdScratch(), kn.gT.rows()*n)
	}
	return kn.fwdScratch()
}

// fwdScratch: [W | b] (cout×(r+1)) and col with a last row of ones, so the
// bias rides along in the GEMM instead of costing a pass over y.
func (kn *im2colKernel[T]) fwdScratch() int {
	r := kn.g.rows() + 1
	return kn.g.cout*r + r*kn.g.ho*kn.g.wo
}

func (kn *im2colKernel[T]) forward(y, x, w, b []T, ns int, ws []T) {
	g := &kn.g
	in, out, r, n := g.cin*g.h*g.w, g.cout*g.ho*g.wo, g.rows(), g.ho*g.wo
	if kn.plain {
		for s := 0; s < ns; s++ {
			ys := y[s*out : (s+1)*out]
			for co := 0; co < g.cout; co++ {
				fill(ys[co*n:(co+1)*n], b[co])
			}
			mmSerial(false, false, g.cout, n, r, 1, w, r, x[s*in:(s+1)*in], n, 1, ys, n)
		}
		return
	}
	wb, col := ws[:g.cout*(r+1)], ws[g.cout*(r+1):][:(r+1)*n]
	for co := 0; co < g.cout; co++ {
		copy(wb[co*(r+1):], w[co*r:(co+1)*r])
		wb[co*(r+1)+r] = b[co]
	}
	fill(col[r*n:], 1)
	for s := 0; s < ns; s++ {
		im2col(g, col[:r*n], x[s*in:(s+1)*in])
		mmSerial(false, false, g.cout, n, r+1, 1, wb, r+1, col, n, 0, y[s*out:(s+1)*out], n)
	}
}

// fill sets every element of v to a, by doubling copies.
func fill[T Float](v []T, a T) {
	if len(v) == 0 {
		return
	}
	v[0] = a
	for k := 1; k < len(v); k *= 2 {
		copy(v[k:], v[:k])
	}
}

func (kn *im2colKernel[T]) prepare(w []T) {
	kn.w = w
	if !kn.same {
		return
	}
	g, kk := &kn.g, kn.g.k*kn.g.k
	for co := 0; co < g.cout; co++ {
		for ci := 0; ci < g.cin; ci++ {
			src := w[(co*g.cin+ci)*kk:][:kk]
			dst := kn.wflip[(ci*g.cout+co)*kk:][:kk]
			for i := range kk {
				dst[i] = src[kk-1-i]
			}
		}
	}
}

func (kn *im2colKernel[T]) backwardData(dx, dy []T, ns int, add bool, ws []T) {
	g := &kn.g
	in, out, n, hw := g.cin*g.h*g.w, g.cout*g.ho*g.wo, g.ho*g.wo, g.h*g.w
	var beta T
	if add {
		beta = 1
	}
	for s := 0; s < ns; s++ {
		dxs, dys := dx[s*in:(s+1)*in], dy[s*out:(s+1)*out]
		switch {
		case kn.plain:
			mmSerial(true, false, g.cin, n, g.cout, 1, kn.w, g.cin, dys, n, beta, dxs, n)
		case kn.same:
			r := kn.gT.rows()
			col := ws[:r*hw]
			im2col(&kn.gT, col, dys)
			mmSerial(false, false, g.cin, hw, r, 1, kn.wflip, r, col, hw, beta, dxs, hw)
		default:
			r := g.rows()
			col := ws[:r*n]
			mmSerial(true, false, r, n, g.cout, 1, kn.w, r, dys, n, 0, col, n)
			if !add {
				clear(dxs)
			}
			col2imAdd(g, dxs, col)
		}
	}
}

func (kn *im2colKernel[T]) backwardWeights(gw, gb, x, dy []T, ns int, ws []T) {
	g := &kn.g
	in, out, r, n := g.cin*g.h*g.w, g.cout*g.ho*g.wo, g.rows(), g.ho*g.wo
	for s := 0; s < ns; s++ {
		xs, dys := x[s*in:(s+1)*in], dy[s*out:(s+1)*out]
		col := xs
		if !kn.plain {
			col = ws[:r*n]
			im2col(g, col, xs)
		}
		mmSerial(false, true, g.cout, r, n, 1, dys, n, col, n, 1, gw, r)
		for co := 0; co < g.cout; co++ {
			sum, _ := sumSq(dys[co*n : (co+1)*n])
			gb[co] += T(sum)
		}
	}
}
