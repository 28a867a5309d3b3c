package nn

import "math"

// Branch-free float32 ReLU kernels. After batch norm the signs are random,
// so a compare-and-branch mispredicts half the time and costs ~5× more
// than the arithmetic; these select with the sign bit instead.

// posMask is all ones if v > 0 (as a float32 bit pattern: positive, not
// ±0), else 0. -0 never reaches it from relu32, which returns +0.
func posMask(v float32) uint32 {
	return ^uint32((int32(math.Float32bits(v)) - 1) >> 31)
}

// relu32 is max(v, 0): negative values (sign bit set) become +0; NaNs
// with the sign bit clear propagate.
func relu32(v float32) float32 {
	u := math.Float32bits(v)
	return math.Float32frombits(u &^ uint32(int32(u)>>31))
}

func reluFwd32(y, x []float32) {
	y = y[:len(x)]
	for i, v := range x {
		y[i] = relu32(v)
	}
}

func affineReLU32(y, x []float32, a, b float32) {
	y = y[:len(x)]
	for i, v := range x {
		y[i] = relu32(a*v + b)
	}
}

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

// reluSumDot32 returns Σg and Σg·(x-mean), g = dy·[y>0], in float64.
func reluSumDot32(dy, y, x []float32, mean float64) (s1, s2 float64) {
	y, x = y[:len(dy)], x[:len(dy)]
	for i, d := range dy {
		g := float64(math.Float32frombits(math.Float32bits(d) & posMask(y[i])))
		s1 += g
		s2 += g * (float64(x[i]) - mean)
	}
	return
}

// reluBNGrad32 writes (or adds) dx = s·dy·[y>0] + a·(x-mu) + c.
func reluBNGrad32(dx, dy, y, x []float32, s, a, mu, c float32, add bool) {
	dy, y, x = dy[:len(dx)], y[:len(dx)], x[:len(dx)]
	if add {
		for i := range dx {
			g := math.Float32frombits(math.Float32bits(s*dy[i]) & posMask(y[i]))
			dx[i] += g + a*(x[i]-mu) + c
		}
		return
	}
	for i := range dx {
		g := math.Float32frombits(math.Float32bits(s*dy[i]) & posMask(y[i]))
		dx[i] = g + a*(x[i]-mu) + c
	}
}
