//go:build amd64 && !purego

#include "textflag.h"

// AVX2+FMA kernels for the float32 batch-norm / ReLU passes. n is a
// positive multiple of 8; the Go wrappers in kern_amd64.go do the tails.

// func sumSqAVX2(x *float32, n int) (s1, s2 float64)
TEXT ·sumSqAVX2(SB), NOSPLIT, $0-32
	MOVQ x+0(FP), SI
	MOVQ n+8(FP), CX
	VXORPD Y0, Y0, Y0
	VXORPD Y1, Y1, Y1
	VXORPD Y2, Y2, Y2
	VXORPD Y3, Y3, Y3

sumsq_loop:
	VCVTPS2PD (SI), Y4
	VCVTPS2PD 16(SI), Y5
	VADDPD Y4, Y0, Y0
	VADDPD Y5, Y1, Y1
	VFMADD231PD Y4, Y4, Y2
	VFMADD231PD Y5, Y5, Y3
	ADDQ $32, SI
	SUBQ $8, CX
	JNZ  sumsq_loop

	VADDPD Y1, Y0, Y0
	VADDPD Y3, Y2, Y2
	VEXTRACTF128 $1, Y0, X4
	VADDPD X4, X0, X0
	VHADDPD X0, X0, X0
	VEXTRACTF128 $1, Y2, X5
	VADDPD X5, X2, X2
	VHADDPD X2, X2, X2
	MOVSD X0, s1+16(FP)
	MOVSD X2, s2+24(FP)
	VZEROUPPER
	RET

// func reluSumDotAVX2(dy, x *float32, n int, fs, fb float32, mean float64) (s1, s2 float64)
// g = dy·[fs·x+fb > 0]; s1 = Σg, s2 = Σg·(x-mean), in float64. The mask
// is the ReLU's of the forward pass: fs·x+fb is computed exactly as
// affineReLUAVX2 computes it (one fused multiply-add), so the output y is
// never read.
TEXT ·reluSumDotAVX2(SB), NOSPLIT, $0-56
	MOVQ dy+0(FP), SI
	MOVQ x+8(FP), DI
	MOVQ n+16(FP), CX
	VBROADCASTSS fs+24(FP), Y13
	VBROADCASTSS fb+28(FP), Y12
	VBROADCASTSD mean+32(FP), Y15
	VXORPS Y14, Y14, Y14
	VXORPD Y0, Y0, Y0
	VXORPD Y1, Y1, Y1
	VXORPD Y2, Y2, Y2
	VXORPD Y3, Y3, Y3

rsd_loop:
	VMOVUPS (DI), Y6
	VFMADD213PS Y12, Y13, Y6    // fs·x + fb
	VCMPPS $0x1e, Y14, Y6, Y7   // Y7 = fs·x + fb > 0
	VANDPS (SI), Y7, Y8         // g
	VCVTPS2PD X8, Y9
	VEXTRACTF128 $1, Y8, X10
	VCVTPS2PD X10, Y10
	VCVTPS2PD (DI), Y11
	VCVTPS2PD 16(DI), Y4
	VSUBPD Y15, Y11, Y11
	VSUBPD Y15, Y4, Y4
	VADDPD Y9, Y0, Y0
	VADDPD Y10, Y1, Y1
	VFMADD231PD Y11, Y9, Y2
	VFMADD231PD Y4, Y10, Y3
	ADDQ $32, SI
	ADDQ $32, DI
	SUBQ $8, CX
	JNZ  rsd_loop

	VADDPD Y1, Y0, Y0
	VADDPD Y3, Y2, Y2
	VEXTRACTF128 $1, Y0, X4
	VADDPD X4, X0, X0
	VHADDPD X0, X0, X0
	VEXTRACTF128 $1, Y2, X5
	VADDPD X5, X2, X2
	VHADDPD X2, X2, X2
	MOVSD X0, s1+40(FP)
	MOVSD X2, s2+48(FP)
	VZEROUPPER
	RET

// func reluBNGradAVX2(dx, dy, x *float32, n int, fs, fb, s, a, mu, c float32)
// dx = (s·dy)·[fs·x+fb > 0] + (a·(x-mu) + c), the mask as in reluSumDotAVX2.
TEXT ·reluBNGradAVX2(SB), NOSPLIT, $0-56
	MOVQ dx+0(FP), DX
	MOVQ dy+8(FP), SI
	MOVQ x+16(FP), DI
	MOVQ n+24(FP), CX
	VBROADCASTSS fs+32(FP), Y9
	VBROADCASTSS fb+36(FP), Y10
	VBROADCASTSS s+40(FP), Y12
	VBROADCASTSS a+44(FP), Y13
	VBROADCASTSS mu+48(FP), Y14
	VBROADCASTSS c+52(FP), Y15
	VXORPS Y11, Y11, Y11

rbg_loop:
	VMOVUPS (DI), Y3            // x
	VMOVAPS Y3, Y0
	VFMADD213PS Y10, Y9, Y0     // fs·x + fb
	VCMPPS $0x1e, Y11, Y0, Y1   // > 0
	VMULPS (SI), Y12, Y2        // s·dy
	VANDPS Y1, Y2, Y2
	VSUBPS Y14, Y3, Y3          // x - mu
	VFMADD213PS Y15, Y13, Y3    // a·(x-mu) + c
	VADDPS Y2, Y3, Y3
	VMOVUPS Y3, (DX)
	ADDQ $32, DX
	ADDQ $32, SI
	ADDQ $32, DI
	SUBQ $8, CX
	JNZ  rbg_loop
	VZEROUPPER
	RET

// func affineReLUAVX2(y, x *float32, n int, a, b float32)
// y = max(0, a·x + b); VMAXPS returns its second source for NaN, so NaNs
// propagate.
TEXT ·affineReLUAVX2(SB), NOSPLIT, $0-32
	MOVQ y+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ n+16(FP), CX
	VBROADCASTSS a+24(FP), Y14
	VBROADCASTSS b+28(FP), Y15
	VXORPS Y13, Y13, Y13

ar_loop:
	VMOVUPS (SI), Y0
	VFMADD213PS Y15, Y14, Y0    // a·x + b
	VMAXPS Y0, Y13, Y0          // max(0, v), v if NaN
	VMOVUPS Y0, (DI)
	ADDQ $32, SI
	ADDQ $32, DI
	SUBQ $8, CX
	JNZ  ar_loop
	VZEROUPPER
	RET

// Masks for the last na%8 lanes: 8 × all-ones then 8 × zero; the mask for
// r lanes is the 8 ints starting at (8-r)·4.
DATA tailmask<>+0(SB)/8, $0xffffffffffffffff
DATA tailmask<>+8(SB)/8, $0xffffffffffffffff
DATA tailmask<>+16(SB)/8, $0xffffffffffffffff
DATA tailmask<>+24(SB)/8, $0xffffffffffffffff
DATA tailmask<>+32(SB)/8, $0
DATA tailmask<>+40(SB)/8, $0
DATA tailmask<>+48(SB)/8, $0
DATA tailmask<>+56(SB)/8, $0
GLOBL tailmask<>(SB), RODATA|NOPTR, $64

// func outerAVX2(dst, d *float32, nd int, a *float32, na int)
// dst[j·na + i] = d[j]·a[i] for j < nd, i < na (na ≥ 1).
TEXT ·outerAVX2(SB), NOSPLIT, $0-40
	MOVQ dst+0(FP), DI
	MOVQ d+8(FP), SI
	MOVQ nd+16(FP), CX
	MOVQ a+24(FP), BX
	MOVQ na+32(FP), DX
	MOVQ DX, R8
	ANDQ $7, R8              // tail lanes r
	MOVQ DX, R10
	SUBQ R8, R10             // full-block elements
	MOVQ $8, R11
	SUBQ R8, R11
	LEAQ tailmask<>(SB), R9
	VMOVDQU (R9)(R11*4), Y15 // r ones, then zeros

outer_row:
	VBROADCASTSS (SI), Y0
	XORQ AX, AX

outer_block:
	CMPQ AX, R10
	JGE  outer_tail
	VMULPS (BX)(AX*4), Y0, Y1
	VMOVUPS Y1, (DI)(AX*4)
	ADDQ $8, AX
	JMP  outer_block

outer_tail:
	TESTQ R8, R8
	JZ    outer_next
	VMASKMOVPS (BX)(AX*4), Y15, Y2
	VMULPS Y2, Y0, Y1
	VMASKMOVPS Y1, Y15, (DI)(AX*4)

outer_next:
	LEAQ (DI)(DX*4), DI
	ADDQ $4, SI
	DECQ CX
	JNZ  outer_row
	VZEROUPPER
	RET
