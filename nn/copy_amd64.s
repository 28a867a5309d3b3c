//go:build amd64 && !purego

#include "textflag.h"

// AVX2 data-movement kernels for the convolution pad and the bilinear
// upsample; lengths are multiples of 8 (the Go wrappers check).

// func pad1RowsAVX2(dst, src *float32, h, w int, circular int)
// Rows 1…h of a 1-cell padded plane (row stride w+2): dst row r+1 =
// [edge, src row r, edge], the edges wrapped (circular ≠ 0) or zero.
TEXT ·pad1RowsAVX2(SB), NOSPLIT, $0-40
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ h+16(FP), DX
	MOVQ w+24(FP), CX
	MOVQ circular+32(FP), R8
	LEAQ 8(DI)(CX*4), DI      // dst row 1 (stride (w+2)·4 bytes)
	SHLQ $2, CX               // row bytes

pad_row:
	XORQ AX, AX

pad_copy:
	VMOVUPS (SI)(AX*1), Y0
	VMOVUPS Y0, 4(DI)(AX*1)
	ADDQ    $32, AX
	CMPQ    AX, CX
	JLT     pad_copy
	XORL    R9, R9
	XORL    R10, R10
	TESTQ   R8, R8
	JZ      pad_edges
	MOVL    -4(SI)(CX*1), R9  // src[w-1]
	MOVL    (SI), R10         // src[0]

pad_edges:
	MOVL R9, (DI)
	MOVL R10, 4(DI)(CX*1)
	ADDQ CX, SI
	LEAQ 8(DI)(CX*1), DI
	DECQ DX
	JNZ  pad_row
	VZEROUPPER
	RET

// func lerpRowAVX2(dst, a, b *float32, n int, p, q float32)
// dst = p·a + q·b, rounded as the Go loop does (two products, one sum).
TEXT ·lerpRowAVX2(SB), NOSPLIT, $0-40
	MOVQ         dst+0(FP), DI
	MOVQ         a+8(FP), SI
	MOVQ         b+16(FP), DX
	MOVQ         n+24(FP), CX
	VBROADCASTSS p+32(FP), Y14
	VBROADCASTSS q+36(FP), Y15

lerp_loop:
	VMULPS  (SI), Y14, Y0
	VMULPS  (DX), Y15, Y1
	VADDPS  Y1, Y0, Y0
	VMOVUPS Y0, (DI)
	ADDQ    $32, SI
	ADDQ    $32, DX
	ADDQ    $32, DI
	SUBQ    $8, CX
	JNZ     lerp_loop
	VZEROUPPER
	RET

// func axpyRowAVX2(dst, x *float32, n int, a float32)
// dst += a·x, rounded as the Go loop does.
TEXT ·axpyRowAVX2(SB), NOSPLIT, $0-28
	MOVQ         dst+0(FP), DI
	MOVQ         x+8(FP), SI
	MOVQ         n+16(FP), CX
	VBROADCASTSS a+24(FP), Y15

axpy_loop:
	VMULPS  (SI), Y15, Y0
	VADDPS  (DI), Y0, Y0
	VMOVUPS Y0, (DI)
	ADDQ    $32, SI
	ADDQ    $32, DI
	SUBQ    $8, CX
	JNZ     axpy_loop
	VZEROUPPER
	RET
