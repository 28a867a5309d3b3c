//go:build amd64 && !purego

#include "textflag.h"

// AVX-512 dot-product kernel for C = A·Bᵀ with long k, where both operands
// are k-contiguous rows and packing would cost as much as the FMAs.
// A 4×6 block of C is kept as 24 zmm lane-vectors: Z(4j+i) accumulates
// A row i times B row j, 16 k values at a time. 10 loads per 24 FMAs, no
// packing, no shuffles; the horizontal sums happen once, in Go, at the end.
//
// rows[0..3] point at the A rows, rows[4..9] at the B rows (callers repeat a
// valid row for edge tiles and ignore those results). acc holds the 24
// lane-vectors (24×16 float32) between calls, so k can be processed in
// cache-sized blocks. flags bit 0: start from zero instead of acc (first
// block); bit 1: last block, so reduce each lane-vector to its sum and store
// the 24 sums (in register order) at acc[0:24] instead of the lane-vectors.

// Multiply-accumulate the loaded A vectors (Z24–Z27) with B vector bv.
#define FMA4(bv, r0, r1, r2, r3) \
	VFMADD231PS Z24, bv, r0; \
	VFMADD231PS Z25, bv, r1; \
	VFMADD231PS Z26, bv, r2; \
	VFMADD231PS Z27, bv, r3

#define STEP \
	VMOVUPS (AX)(SI*1), Z24; \
	VMOVUPS (BX)(SI*1), Z25; \
	VMOVUPS (CX)(SI*1), Z26; \
	VMOVUPS (DX)(SI*1), Z27; \
	VMOVUPS (DI)(SI*1), Z28; \
	FMA4(Z28, Z0, Z1, Z2, Z3); \
	VMOVUPS (R8)(SI*1), Z29; \
	FMA4(Z29, Z4, Z5, Z6, Z7); \
	VMOVUPS (R9)(SI*1), Z28; \
	FMA4(Z28, Z8, Z9, Z10, Z11); \
	VMOVUPS (R10)(SI*1), Z29; \
	FMA4(Z29, Z12, Z13, Z14, Z15); \
	VMOVUPS (R11)(SI*1), Z28; \
	FMA4(Z28, Z16, Z17, Z18, Z19); \
	VMOVUPS (R12)(SI*1), Z29; \
	FMA4(Z29, Z20, Z21, Z22, Z23)

// Tail step: lanes outside mask K1 load as zero (and cannot fault).
#define STEPZ \
	VMOVUPS.Z (AX)(SI*1), K1, Z24; \
	VMOVUPS.Z (BX)(SI*1), K1, Z25; \
	VMOVUPS.Z (CX)(SI*1), K1, Z26; \
	VMOVUPS.Z (DX)(SI*1), K1, Z27; \
	VMOVUPS.Z (DI)(SI*1), K1, Z28; \
	FMA4(Z28, Z0, Z1, Z2, Z3); \
	VMOVUPS.Z (R8)(SI*1), K1, Z29; \
	FMA4(Z29, Z4, Z5, Z6, Z7); \
	VMOVUPS.Z (R9)(SI*1), K1, Z28; \
	FMA4(Z28, Z8, Z9, Z10, Z11); \
	VMOVUPS.Z (R10)(SI*1), K1, Z29; \
	FMA4(Z29, Z12, Z13, Z14, Z15); \
	VMOVUPS.Z (R11)(SI*1), K1, Z28; \
	FMA4(Z28, Z16, Z17, Z18, Z19); \
	VMOVUPS.Z (R12)(SI*1), K1, Z29; \
	FMA4(Z29, Z20, Z21, Z22, Z23)

// Horizontal sum of zr into its lane 0, as the fixed tree
// ((v0+v8)+(v4+v12)) + ((v2+v10)+(v6+v14)) + … : halves, then quarters,
// then pairs, then neighbours: a fixed order, so a fixed rounding.
#define HSUM(zr) \
	VSHUFF32X4 $0x4E, zr, zr, Z30; \
	VADDPS     Z30, zr, zr; \
	VSHUFF32X4 $0xB1, zr, zr, Z30; \
	VADDPS     Z30, zr, zr; \
	VPERMILPS  $0x4E, zr, Z30; \
	VADDPS     Z30, zr, zr; \
	VPERMILPS  $0xB1, zr, Z30; \
	VADDPS     Z30, zr, zr

#define SUMOUT(zr, xr, off) \
	HSUM(zr); \
	VMOVSS xr, off(SI)

// func dotAVX512(k int, rows *[10]*float32, acc *float32, flags int)
TEXT ·dotAVX512(SB), NOSPLIT, $0-32
	MOVQ rows+8(FP), SI
	MOVQ 0(SI), AX
	MOVQ 8(SI), BX
	MOVQ 16(SI), CX
	MOVQ 24(SI), DX
	MOVQ 32(SI), DI
	MOVQ 40(SI), R8
	MOVQ 48(SI), R9
	MOVQ 56(SI), R10
	MOVQ 64(SI), R11
	MOVQ 72(SI), R12

	MOVQ    acc+16(FP), SI
	MOVQ    flags+24(FP), R13
	TESTQ   $1, R13
	JNZ     zero

	// Continue from the running lane sums.
	VMOVUPS 0(SI), Z0
	VMOVUPS 64(SI), Z1
	VMOVUPS 128(SI), Z2
	VMOVUPS 192(SI), Z3
	VMOVUPS 256(SI), Z4
	VMOVUPS 320(SI), Z5
	VMOVUPS 384(SI), Z6
	VMOVUPS 448(SI), Z7
	VMOVUPS 512(SI), Z8
	VMOVUPS 576(SI), Z9
	VMOVUPS 640(SI), Z10
	VMOVUPS 704(SI), Z11
	VMOVUPS 768(SI), Z12
	VMOVUPS 832(SI), Z13
	VMOVUPS 896(SI), Z14
	VMOVUPS 960(SI), Z15
	VMOVUPS 1024(SI), Z16
	VMOVUPS 1088(SI), Z17
	VMOVUPS 1152(SI), Z18
	VMOVUPS 1216(SI), Z19
	VMOVUPS 1280(SI), Z20
	VMOVUPS 1344(SI), Z21
	VMOVUPS 1408(SI), Z22
	VMOVUPS 1472(SI), Z23
	JMP     start

zero:
	VPXORD Z0, Z0, Z0
	VPXORD Z1, Z1, Z1
	VPXORD Z2, Z2, Z2
	VPXORD Z3, Z3, Z3
	VPXORD Z4, Z4, Z4
	VPXORD Z5, Z5, Z5
	VPXORD Z6, Z6, Z6
	VPXORD Z7, Z7, Z7
	VPXORD Z8, Z8, Z8
	VPXORD Z9, Z9, Z9
	VPXORD Z10, Z10, Z10
	VPXORD Z11, Z11, Z11
	VPXORD Z12, Z12, Z12
	VPXORD Z13, Z13, Z13
	VPXORD Z14, Z14, Z14
	VPXORD Z15, Z15, Z15
	VPXORD Z16, Z16, Z16
	VPXORD Z17, Z17, Z17
	VPXORD Z18, Z18, Z18
	VPXORD Z19, Z19, Z19
	VPXORD Z20, Z20, Z20
	VPXORD Z21, Z21, Z21
	VPXORD Z22, Z22, Z22
	VPXORD Z23, Z23, Z23

start:
	MOVQ  k+0(FP), R13
	XORQ  SI, SI              // byte offset along k
	SHRQ  $4, R13             // full 16-wide steps
	JZ    tail

loop:
	STEP
	ADDQ $64, SI
	DECQ R13
	JNZ  loop

tail:
	MOVQ  k+0(FP), CX
	ANDQ  $15, CX
	JZ    done
	MOVL  $1, R13
	SHLL  CX, R13
	DECL  R13                 // mask of the k%16 remaining lanes
	KMOVW R13, K1
	MOVQ  rows+8(FP), CX      // CX was clobbered by the shift count
	MOVQ  16(CX), CX
	STEPZ

done:
	MOVQ    acc+16(FP), SI
	MOVQ    flags+24(FP), R13
	TESTQ   $2, R13
	JNZ     final
	VMOVUPS Z0, 0(SI)
	VMOVUPS Z1, 64(SI)
	VMOVUPS Z2, 128(SI)
	VMOVUPS Z3, 192(SI)
	VMOVUPS Z4, 256(SI)
	VMOVUPS Z5, 320(SI)
	VMOVUPS Z6, 384(SI)
	VMOVUPS Z7, 448(SI)
	VMOVUPS Z8, 512(SI)
	VMOVUPS Z9, 576(SI)
	VMOVUPS Z10, 640(SI)
	VMOVUPS Z11, 704(SI)
	VMOVUPS Z12, 768(SI)
	VMOVUPS Z13, 832(SI)
	VMOVUPS Z14, 896(SI)
	VMOVUPS Z15, 960(SI)
	VMOVUPS Z16, 1024(SI)
	VMOVUPS Z17, 1088(SI)
	VMOVUPS Z18, 1152(SI)
	VMOVUPS Z19, 1216(SI)
	VMOVUPS Z20, 1280(SI)
	VMOVUPS Z21, 1344(SI)
	VMOVUPS Z22, 1408(SI)
	VMOVUPS Z23, 1472(SI)
	VZEROUPPER
	RET

final:
	SUMOUT(Z0, X0, 0)
	SUMOUT(Z1, X1, 4)
	SUMOUT(Z2, X2, 8)
	SUMOUT(Z3, X3, 12)
	SUMOUT(Z4, X4, 16)
	SUMOUT(Z5, X5, 20)
	SUMOUT(Z6, X6, 24)
	SUMOUT(Z7, X7, 28)
	SUMOUT(Z8, X8, 32)
	SUMOUT(Z9, X9, 36)
	SUMOUT(Z10, X10, 40)
	SUMOUT(Z11, X11, 44)
	SUMOUT(Z12, X12, 48)
	SUMOUT(Z13, X13, 52)
	SUMOUT(Z14, X14, 56)
	SUMOUT(Z15, X15, 60)
	SUMOUT(Z16, X16, 64)
	SUMOUT(Z17, X17, 68)
	SUMOUT(Z18, X18, 72)
	SUMOUT(Z19, X19, 76)
	SUMOUT(Z20, X20, 80)
	SUMOUT(Z21, X21, 84)
	SUMOUT(Z22, X22, 88)
	SUMOUT(Z23, X23, 92)
	VZEROUPPER
	RET
