package nn

import "math"

// Branch-free float32 ReLU kernels. After batch norm the signs are random,
// so a compare-and-branch mispredicts half the time and costs ~5× more
// than the arithmetic; these select with the sign bit instead.

// posMask is all ones if v's bit pattern is positive as an int32 (v > 0,
// or a NaN with the sign bit clear), else 0 (also for ±0).
func posMask(v float32) uint32 {
	m := int32(math.Float32bits(v))
	return uint32((-m)>>31) &^ uint32(m>>31)
}

// relu32 is max(v, 0) with NaN propagating (a swallowed NaN would hide a
// diverging training run); the builtin compiles without branches.
func relu32(v float32) float32 { return max(v, 0) }

func reluFwd32(y, x []float32) {
	y = y[:len(x)]
	for i, v := range x {
		y[i] = relu32(v)
	}
}

func affineReLU32(y, x []float32, a, b float32) {
	k := affineReLUAsm(y, x, a, b)
	y, x = y[k:len(x)], x[k:]
	for i, v := range x {
		y[i] = relu32(preact32(a, v, b))
	}
}

// preact32 is the ReLU input a·x + b of affineReLU32's Go tail. The
// backward kernels recompute the ReLU mask from x with it (and the
// assembly head with the same fused multiply-add as affineReLUAVX2), so
// the mask is exactly the forward's: relu32(v) > 0 ⟺ posMask(v) ≠ 0, also
// for ±0 and NaN.
func preact32(a, x, b float32) float32 { return a*x + b }

// reluGrad32 writes (or adds) dy·[y>0].
func reluGrad32(dx, dy, y []float32, add bool) {
	dx, dy = dx[:len(y)], dy[:len(y)]
	if add {
		for i, v := range y {
			dx[i] += math.Float32frombits(math.Float32bits(dy[i]) & posMask(v))
		}
		return
	}
	for i, v := range y {
		dx[i] = math.Float32frombits(math.Float32bits(dy[i]) & posMask(v))
	}
}

// reluSumDot32 returns Σg and Σg·(x-mean) in float64, g = dy·[y>0] for
// the forward's y = affineReLU32(x, fs, fb), with the mask recomputed from
// x (see preact32) so y is not read.
func reluSumDot32(dy, x []float32, fs, fb float32, mean float64) (s1, s2 float64) {
	s1, s2, k := reluSumDotAsm(dy, x, fs, fb, mean)
	dy, x = dy[k:], x[k:len(dy)]
	for i, d := range dy {
		g := float64(math.Float32frombits(math.Float32bits(d) & posMask(preact32(fs, x[i], fb))))
		s1 += g
		s2 += g * (float64(x[i]) - mean)
	}
	return
}

// reluBNGrad32 writes (or adds) dx = s·dy·[y>0] + a·(x-mu) + c, the mask
// as in reluSumDot32.
func reluBNGrad32(dx, dy, x []float32, fs, fb, s, a, mu, c float32, add bool) {
	if !add {
		k := reluBNGradAsm(dx, dy, x, fs, fb, s, a, mu, c)
		dx, dy, x = dx[k:], dy[k:len(dx)], x[k:len(dx)]
	}
	dy, x = dy[:len(dx)], x[:len(dx)]
	if add {
		for i := range dx {
			g := math.Float32frombits(math.Float32bits(s*dy[i]) & posMask(preact32(fs, x[i], fb)))
			dx[i] += g + a*(x[i]-mu) + c
		}
		return
	}
	for i := range dx {
		g := math.Float32frombits(math.Float32bits(s*dy[i]) & posMask(preact32(fs, x[i], fb)))
		dx[i] = g + a*(x[i]-mu) + c
	}
}

// sumSq32 is sumSq for float32.
func sumSq32(x []float32) (s1, s2 float64) {
	s1, s2, k := sumSqAsm(x)
	for _, v := range x[k:] {
		f := float64(v)
		s1 += f
		s2 += f * f
	}
	return
}

// ord maps a float32 to an int32 with the same order (-0 < +0), NaNs
// above +Inf, so max and argmax become integer compares, which compile to
// conditional moves instead of mispredicted branches.
func ord(v float32) int32 {
	u := math.Float32bits(v)
	o := int32(u) ^ (int32(u) >> 31 & 0x7fffffff)
	if u&0x7fffffff > 0x7f800000 {
		o = math.MaxInt32
	}
	return o
}

// unord inverts ord (a NaN comes back as a NaN).
func unord(o int32) float32 { return math.Float32frombits(uint32(o ^ (o >> 31 & 0x7fffffff))) }

// poolRow32 is one output row of the 2×2 max-pool: y[i] and the index of
// the first maximum of r0[2i], r0[2i+1], r1[2i], r1[2i+1].
func poolRow32(y []float32, arg []uint8, r0, r1 []float32) {
	arg = arg[:len(y)]
	r0, r1 = r0[:2*len(y)], r1[:2*len(y)]
	for i := range y {
		m, k := ord(r0[2*i]), int32(0)
		if v := ord(r0[2*i+1]); v > m {
			m, k = v, 1
		}
		if v := ord(r1[2*i]); v > m {
			m, k = v, 2
		}
		if v := ord(r1[2*i+1]); v > m {
			m, k = v, 3
		}
		y[i], arg[i] = unord(m), uint8(k)
	}
}
