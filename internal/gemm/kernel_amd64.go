//go:build amd64 && !purego

package gemm

import "golang.org/x/sys/cpu"

// Assembly kernels (kernel_*_amd64.s, dot_avx512_amd64.s). Strides are in
// elements; the kernels read k·stride past the pointers, which the driver
// keeps inside the slices.

//go:noescape
func kernAVX512(k int, a *float32, as int, b *float32, bs int, c *float32, ldc int, alpha, beta float32)

//go:noescape
func kernAVX512N(k int, a *float32, as int, b *float32, bs int, c *float32, ldc int, alpha, beta float32)

//go:noescape
func kernAVX2N(k int, a *float32, as int, b *float32, bs int, c *float32, ldc int, alpha, beta float32)

//go:noescape
func kernAVX2(k int, a *float32, as int, b *float32, bs int, c *float32, ldc int, alpha, beta float32)

//go:noescape
func dotAVX512(k int, rows *[10]*float32, acc *float32, flags int)

//go:noescape
func transpose8(n int, src *float32, lds int, dst *float32, ldd int)

// tr8 is transpose8 with the bounds checked, since it writes through raw
// pointers.
func tr8(n int, src []float32, lds int, dst []float32, ldd int) {
	_ = src[7*lds+8*n-1]
	_ = dst[(8*n-1)*ldd+7]
	transpose8(n, &src[0], lds, &dst[0], ldd)
}

//go:noescape
func copyRows8(n int, src *float32, lds int, dst *float32, w int)

// cp8 is copyRows8 with the bounds checked.
func cp8(n int, src []float32, lds int, dst []float32, w int) {
	if n <= 0 {
		return
	}
	_ = src[(n-1)*lds+w-1]
	_ = dst[n*w-1]
	copyRows8(n, &src[0], lds, &dst[0], w)
}

//go:noescape
func peakAVX512(n int)

//go:noescape
func peakAVX2(n int)

func asmImpls() []*impl {
	var list []*impl
	// x/sys/cpu already checks that the OS saves the zmm/ymm state.
	if cpu.X86.HasAVX512F {
		list = append(list, &impl{
			name: "avx512", kc: 256, mc: 128, nc: 768,
			tiles: []tiling{
				{mr: 8, nr: 48, speed: 1, kern: func(k int, a []float32, as int, b []float32, bs int, c []float32, ldc int, alpha, beta float32) {
					kernAVX512(k, &a[0], as, &b[0], bs, &c[0], ldc, alpha, beta)
				}},
				{mr: 24, nr: 16, speed: 0.95, kern: func(k int, a []float32, as int, b []float32, bs int, c []float32, ldc int, alpha, beta float32) {
					kernAVX512N(k, &a[0], as, &b[0], bs, &c[0], ldc, alpha, beta)
				}},
			},
			dot: func(k int, rows *[10]*float32, acc []float32, flags int) {
				dotAVX512(k, rows, &acc[:dotTile][0], flags)
			},
			tr8: tr8, cp8: cp8,
		})
	}
	if cpu.X86.HasAVX2 && cpu.X86.HasFMA {
		list = append(list, &impl{
			name: "avx2", kc: 256, mc: 128, nc: 768,
			tiles: []tiling{
				{mr: 4, nr: 24, speed: 1, kern: func(k int, a []float32, as int, b []float32, bs int, c []float32, ldc int, alpha, beta float32) {
					kernAVX2(k, &a[0], as, &b[0], bs, &c[0], ldc, alpha, beta)
				}},
				{mr: 12, nr: 8, speed: 0.8, kern: func(k int, a []float32, as int, b []float32, bs int, c []float32, ldc int, alpha, beta float32) {
					kernAVX2N(k, &a[0], as, &b[0], bs, &c[0], ldc, alpha, beta)
				}},
			},
			tr8: tr8, cp8: cp8,
		})
	}
	return list
}

// peak runs n iterations of the peak-FMA loop for the named ISA and returns
// the flops per iteration, or 0 if the ISA is unavailable.
func peak(isa string, n int) float64 {
	switch {
	case isa == "avx512" && cpu.X86.HasAVX512F:
		peakAVX512(n)
		return 512
	case isa == "avx2" && cpu.X86.HasAVX2 && cpu.X86.HasFMA:
		peakAVX2(n)
		return 192
	}
	return 0
}
