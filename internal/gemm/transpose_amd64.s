//go:build amd64 && !purego

#include "textflag.h"

// func transpose8(n int, src *float32, lds int, dst *float32, ldd int)
//
// Transposes an 8-row strip of n·8 columns: dst[c·ldd + i] = src[i·lds + c]
// for i < 8, c < 8n (strides in elements). Packing uses it to turn eight
// k-contiguous rows (A, or Bᵀ) into k-major micro-panels. Per 8×8 block:
// 8 row loads, the classic unpack/shuffle/lane-permute network (24 shuffles,
// AVX only), 8 stores.
TEXT ·transpose8(SB), NOSPLIT, $0-40
	MOVQ n+0(FP), CX
	MOVQ src+8(FP), SI
	MOVQ lds+16(FP), R8
	SHLQ $2, R8
	MOVQ dst+24(FP), DI
	MOVQ ldd+32(FP), R11
	SHLQ $2, R11
	LEAQ (SI)(R8*2), R9
	ADDQ R8, R9               // R9  = row 3
	LEAQ (R9)(R8*2), R10
	ADDQ R8, R10              // R10 = row 6
	LEAQ (DI)(R11*2), R12
	ADDQ R11, R12             // R12 = out row 3
	LEAQ (R12)(R11*2), R13
	ADDQ R11, R13             // R13 = out row 6
	MOVQ R11, DX
	SHLQ $3, DX               // 8 output rows per block
	TESTQ CX, CX
	JLE  done

loop:
	VMOVUPS (SI), Y0
	VMOVUPS (SI)(R8*1), Y1
	VMOVUPS (SI)(R8*2), Y2
	VMOVUPS (R9), Y3
	VMOVUPS (SI)(R8*4), Y4
	VMOVUPS (R9)(R8*2), Y5
	VMOVUPS (R10), Y6
	VMOVUPS (R9)(R8*4), Y7

	// Interleave row pairs: Y8 = r0[0] r1[0] r0[1] r1[1] | r0[4] r1[4] …
	VUNPCKLPS Y1, Y0, Y8
	VUNPCKHPS Y1, Y0, Y9
	VUNPCKLPS Y3, Y2, Y10
	VUNPCKHPS Y3, Y2, Y11
	VUNPCKLPS Y5, Y4, Y12
	VUNPCKHPS Y5, Y4, Y13
	VUNPCKLPS Y7, Y6, Y14
	VUNPCKHPS Y7, Y6, Y15

	// Gather 4-row columns: Y0 = col 0 rows 0–3 | col 4 rows 0–3, …
	VSHUFPS $0x44, Y10, Y8, Y0
	VSHUFPS $0xEE, Y10, Y8, Y1
	VSHUFPS $0x44, Y11, Y9, Y2
	VSHUFPS $0xEE, Y11, Y9, Y3
	VSHUFPS $0x44, Y14, Y12, Y4
	VSHUFPS $0xEE, Y14, Y12, Y5
	VSHUFPS $0x44, Y15, Y13, Y6
	VSHUFPS $0xEE, Y15, Y13, Y7

	// Join rows 0–3 with rows 4–7 across the 128-bit lanes.
	VPERM2F128 $0x20, Y4, Y0, Y8  // col 0
	VPERM2F128 $0x20, Y5, Y1, Y9  // col 1
	VPERM2F128 $0x20, Y6, Y2, Y10 // col 2
	VPERM2F128 $0x20, Y7, Y3, Y11 // col 3
	VPERM2F128 $0x31, Y4, Y0, Y12 // col 4
	VPERM2F128 $0x31, Y5, Y1, Y13 // col 5
	VPERM2F128 $0x31, Y6, Y2, Y14 // col 6
	VPERM2F128 $0x31, Y7, Y3, Y15 // col 7

	VMOVUPS Y8, (DI)
	VMOVUPS Y9, (DI)(R11*1)
	VMOVUPS Y10, (DI)(R11*2)
	VMOVUPS Y11, (R12)
	VMOVUPS Y12, (DI)(R11*4)
	VMOVUPS Y13, (R12)(R11*2)
	VMOVUPS Y14, (R13)
	VMOVUPS Y15, (R12)(R11*4)

	ADDQ $32, SI
	ADDQ $32, R9
	ADDQ $32, R10
	ADDQ DX, DI
	ADDQ DX, R12
	ADDQ DX, R13
	DECQ CX
	JNZ  loop

done:
	VZEROUPPER
	RET

// func copyRows8(n int, src *float32, lds int, dst *float32, w int)
//
// Copies n rows of w floats (w a multiple of 8) from src (row stride lds)
// to consecutive rows of dst: the non-transposing packing copy, 32 bytes
// at a time without the per-row call into memmove.
TEXT ·copyRows8(SB), NOSPLIT, $0-40
	MOVQ n+0(FP), CX
	MOVQ src+8(FP), SI
	MOVQ lds+16(FP), R8
	SHLQ $2, R8
	MOVQ dst+24(FP), DI
	MOVQ w+32(FP), DX
	SHRQ $3, DX               // ymm words per row
	TESTQ CX, CX
	JLE  cdone
	TESTQ DX, DX
	JLE  cdone

crow:
	MOVQ DX, R9
	XORQ R10, R10

cword:
	VMOVUPS (SI)(R10*1), Y0
	VMOVUPS Y0, (DI)(R10*1)
	ADDQ    $32, R10
	DECQ    R9
	JNZ     cword

	ADDQ R8, SI
	ADDQ R10, DI
	DECQ CX
	JNZ  crow

cdone:
	VZEROUPPER
	RET
