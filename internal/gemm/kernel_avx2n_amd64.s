//go:build amd64 && !purego

#include "textflag.h"

// Narrow AVX2+FMA micro-kernel: a 12×8 tile of C, one ymm accumulator per
// row (Y0–Y11), for small n. Per k step: one 8-wide row of op(B) in Y12 and
// 12 broadcast+FMA pairs (Y13–Y15 rotate as broadcast registers). Same
// contract as kernAVX512.

#define ROW(off, bc, r) \
	VBROADCASTSS off(AX), bc; \
	VFMADD231PS  Y12, bc, r

#define STOREB(r) \
	VMULPS      Y13, r, r; \
	VFMADD231PS (DI), Y14, r; \
	VMOVUPS     r, (DI); \
	ADDQ        R10, DI

#define STORE0(r) \
	VMULPS  Y13, r, r; \
	VMOVUPS r, (DI); \
	ADDQ    R10, DI

// func kernAVX2N(k int, a *float32, as int, b *float32, bs int, c *float32, ldc int, alpha, beta float32)
TEXT ·kernAVX2N(SB), NOSPLIT, $0-64
	MOVQ k+0(FP), CX
	MOVQ a+8(FP), AX
	MOVQ as+16(FP), R8
	SHLQ $2, R8
	MOVQ b+24(FP), BX
	MOVQ bs+32(FP), R9
	SHLQ $2, R9
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
	VXORPS Y4, Y4, Y4
	VXORPS Y5, Y5, Y5
	VXORPS Y6, Y6, Y6
	VXORPS Y7, Y7, Y7
	VXORPS Y8, Y8, Y8
	VXORPS Y9, Y9, Y9
	VXORPS Y10, Y10, Y10
	VXORPS Y11, Y11, Y11
	TESTQ  CX, CX
	JLE    epilogue

loop:
	VMOVUPS (BX), Y12
	ROW(0, Y13, Y0)
	ROW(4, Y14, Y1)
	ROW(8, Y15, Y2)
	ROW(12, Y13, Y3)
	ROW(16, Y14, Y4)
	ROW(20, Y15, Y5)
	ROW(24, Y13, Y6)
	ROW(28, Y14, Y7)
	ROW(32, Y15, Y8)
	ROW(36, Y13, Y9)
	ROW(40, Y14, Y10)
	ROW(44, Y15, Y11)
	ADDQ    R8, AX
	ADDQ    R9, BX
	DECQ    CX
	JNZ     loop

epilogue:
	MOVQ         c+40(FP), DI
	MOVQ         ldc+48(FP), R10
	SHLQ         $2, R10
	VBROADCASTSS alpha+56(FP), Y13
	VBROADCASTSS beta+60(FP), Y14
	MOVL         beta+60(FP), DX
	ANDL         $0x7fffffff, DX
	JZ           nobeta
	STOREB(Y0)
	STOREB(Y1)
	STOREB(Y2)
	STOREB(Y3)
	STOREB(Y4)
	STOREB(Y5)
	STOREB(Y6)
	STOREB(Y7)
	STOREB(Y8)
	STOREB(Y9)
	STOREB(Y10)
	STOREB(Y11)
	VZEROUPPER
	RET

nobeta:
	STORE0(Y0)
	STORE0(Y1)
	STORE0(Y2)
	STORE0(Y3)
	STORE0(Y4)
	STORE0(Y5)
	STORE0(Y6)
	STORE0(Y7)
	STORE0(Y8)
	STORE0(Y9)
	STORE0(Y10)
	STORE0(Y11)
	VZEROUPPER
	RET
