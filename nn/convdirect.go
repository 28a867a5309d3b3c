package nn

import "github.com/physgrad/physgrad/internal/gemm"

// directKernel computes a float32 stride-1 "same" convolution with the
// windowed kernels of internal/gemm: the input is padded once per sample
// and every product reads the k·k shifted views through an offset table,
// so there is neither an im2col matrix nor a wide output to narrow
// (shiftKernel's k·k separate GEMMs each re-read and re-write their C):
//
//	forward       y  = WindowMM(W [cout][cin·k·k], windows of xpad) + b
//	input grad    dx = WindowMM(Wflip [cin][cout·k·k], windows of dypad)
//	weight grad   dW += WindowDot(dy, windows of xpad)
//
// The weights are used in PyTorch's layout as they are. Both gradients
// are computed sample by sample in one pass (backward), so dy is still in
// cache for the second. When the assembly is switched off (gemm.UseAsm,
// PHYSGRAD_NOASM) the calls go to the embedded shiftKernel, whose portable
// GEMMs are far faster than the windowed kernels' Go loops.
type directKernel[T Float] struct {
	*shiftKernel[T]
	offX, offDY []int32 // window offsets into padded x (cin·kk) and dy (cout·kk)
	w           []T     // current weights [cout][cin·kk], set by prepare
	wflip       []T     // [cin][cout·kk]: wflip[ci][co·kk+t] = w[co][ci][kk-1-t]
}

// directApplies reports whether the windowed kernels' tiles fit g: 8-row
// groups of output channels and 16-pixel row segments (at least two). The
// input gradient also needs 8-row groups of input channels; with other
// counts (the U-Net's first layer, whose input gradient is rarely asked
// for) it is left to the shift kernel.
func directApplies(g convGeom) bool {
	return shiftApplies(g) && g.cout%8 == 0 && g.w%16 == 0 && g.h*g.w >= 32
}

// windowDx reports whether the input gradient runs on the windowed kernel.
func (kn *directKernel[T]) windowDx() bool { return kn.g.cin%8 == 0 && gemm.WindowAsm() }

func newDirectKernel[T Float](g convGeom) *directKernel[T] {
	sk := newShiftKernel[T](g)
	kk := g.k * g.k
	kn := &directKernel[T]{shiftKernel: sk, wflip: make([]T, g.cin*g.cout*kk)}
	offs := func(c int) []int32 {
		o := make([]int32, 0, c*kk)
		for ch := 0; ch < c; ch++ {
			for t := 0; t < kk; t++ {
				o = append(o, int32(ch*sk.p2+(t/g.k)*sk.w2+t%g.k))
			}
		}
		return o
	}
	kn.offX, kn.offDY = offs(g.cin), offs(g.cout)
	return kn
}

// scratch: padded x (cin planes), padded dy (cout planes) and one
// sample's dy (when computed in place, see fusedBackward), or what the
// fallback needs.
func (kn *directKernel[T]) scratch(ns int) int {
	g := &kn.g
	return max(kn.shiftKernel.scratch(ns), (g.cin+g.cout)*kn.p2+g.cout*g.h*g.w)
}

func (kn *directKernel[T]) prepare(w []T) {
	kn.w = w
	if !kn.windowDx() {
		kn.shiftKernel.prepare(w)
	}
	if !gemm.WindowAsm() || kn.g.cin%8 != 0 {
		return
	}
	g, kk := &kn.g, kn.kk
	for co := 0; co < g.cout; co++ {
		for ci := 0; ci < g.cin; ci++ {
			src := w[(co*g.cin+ci)*kk:][:kk]
			dst := kn.wflip[ci*g.cout*kk+co*kk:][:kk]
			for t := range kk {
				dst[t] = src[kk-1-t]
			}
		}
	}
}

func (kn *directKernel[T]) forward(y, x, w, b []T, ns int, ws []T) {
	if !gemm.WindowAsm() {
		kn.shiftKernel.forward(y, x, w, b, ns, ws)
		return
	}
	g := &kn.g
	in, out, hw := g.cin*g.h*g.w, g.cout*g.h*g.w, g.h*g.w
	xpad := ws[:g.cin*kn.p2]
	k := g.cin * kn.kk
	for s := 0; s < ns; s++ {
		kn.pad(xpad, x[s*in:(s+1)*in], g.cin)
		gemm.WindowMM(g.cout, k, g.h, g.w, as32(w), k, as32(xpad), kn.offX, kn.w2, as32(b), false, as32(y[s*out:(s+1)*out]), hw)
	}
}

func (kn *directKernel[T]) backwardData(dx, dy []T, ns int, add bool, ws []T) {
	if !kn.windowDx() {
		kn.shiftKernel.backwardData(dx, dy, ns, add, ws)
		return
	}
	kn.backward(nil, nil, dx, nil, dy, ns, true, add, ws, nil, 0, nil)
}

func (kn *directKernel[T]) backwardWeights(gw, gb, x, dy []T, ns int, ws []T) {
	if !gemm.WindowAsm() {
		kn.shiftKernel.backwardWeights(gw, gb, x, dy, ns, ws)
		return
	}
	kn.backward(gw, gb, nil, x, dy, ns, false, false, ws, nil, 0, nil)
}

// backward adds the weight and bias gradients (gw != nil) and writes or
// adds dx (needDx), one sample at a time (see fusedBackward; dyOf needs
// the windowed path, windowDx).
func (kn *directKernel[T]) backward(gw, gb, dx, x, dy []T, ns int, needDx, add bool, ws []T, after func(int), s0 int, dyOf func(int, []T)) {
	if !gemm.WindowAsm() {
		if gw != nil {
			kn.shiftKernel.backwardWeights(gw, gb, x, dy, ns, ws)
		}
		if needDx {
			kn.shiftKernel.backwardData(dx, dy, ns, add, ws)
			for s := 0; s < ns && after != nil; s++ {
				after(s0 + s)
			}
		}
		return
	}
	g := &kn.g
	in, out, hw := g.cin*g.h*g.w, g.cout*g.h*g.w, g.h*g.w
	xpad, dypad := ws[:g.cin*kn.p2], ws[g.cin*kn.p2:][:g.cout*kn.p2]
	kx, kd := g.cin*kn.kk, g.cout*kn.kk
	if needDx && !kn.windowDx() {
		// Weights here, the input gradient from the shift kernel after.
		kn.backward(gw, gb, nil, x, dy, ns, false, false, ws, nil, 0, nil)
		kn.shiftKernel.backwardData(dx, dy, ns, add, ws)
		for s := 0; s < ns && after != nil; s++ {
			after(s0 + s)
		}
		return
	}
	for s := 0; s < ns; s++ {
		var dys []T
		if dyOf != nil {
			dys = ws[(g.cin+g.cout)*kn.p2:][:out]
			dyOf(s0+s, dys)
		} else {
			dys = dy[s*out : (s+1)*out]
		}
		// Pad dy first: that streams it from memory in order, so the
		// weight gradient's four-row access pattern then hits the cache.
		if needDx {
			kn.pad(dypad, dys, g.cout)
		}
		if gw != nil {
			kn.pad(xpad, x[s*in:(s+1)*in], g.cin)
			gemm.WindowDot(g.cout, kx, g.h, g.w, as32(dys), hw, as32(xpad), kn.offX, kn.w2, as32(gw), kx)
			for co := 0; co < g.cout; co++ {
				sum, _ := sumSq(dys[co*hw : (co+1)*hw])
				gb[co] += T(sum)
			}
		}
		if needDx {
			gemm.WindowMM(g.cin, kd, g.h, g.w, as32(kn.wflip), kd, as32(dypad), kn.offDY, kn.w2, nil, add, as32(dx[s*in:(s+1)*in]), hw)
			if after != nil {
				after(s0 + s)
			}
		}
	}
}
