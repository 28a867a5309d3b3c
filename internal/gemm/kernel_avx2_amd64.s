//go:build amd64 && !purego

#include "textflag.h"

// AVX2+FMA micro-kernel: a 4×24 tile of C in 12 ymm accumulators (row i in
// Y(3i), Y(3i+1), Y(3i+2)); Y12–Y14 hold a 24-wide row of op(B), Y15 the
// broadcast op(A) element. 7 loads per 12 FMAs. Same contract and stride
// addressing as kernAVX512.

#define ROW(off, r0, r1, r2) \
	VBROADCASTSS off(AX), Y15; \
	VFMADD231PS  Y12, Y15, r0; \
	VFMADD231PS  Y13, Y15, r1; \
	VFMADD231PS  Y14, Y15, r2

// alpha in Y14, beta in Y15.
#define STOREB(r0, r1, r2) \
	VMULPS      Y14, r0, r0; \
	VMULPS      Y14, r1, r1; \
	VMULPS      Y14, r2, r2; \
	VFMADD231PS (DI), Y15, r0; \
	VFMADD231PS 32(DI), Y15, r1; \
	VFMADD231PS 64(DI), Y15, r2; \
	VMOVUPS     r0, (DI); \
	VMOVUPS     r1, 32(DI); \
	VMOVUPS     r2, 64(DI); \
	ADDQ        R10, DI

#define STORE0(r0, r1, r2) \
	VMULPS  Y14, r0, r0; \
	VMULPS  Y14, r1, r1; \
	VMULPS  Y14, r2, r2; \
	VMOVUPS r0, (DI); \
	VMOVUPS r1, 32(DI); \
	VMOVUPS r2, 64(DI); \
	ADDQ    R10, DI

// func kernAVX2(k int, a *float32, as int, b *float32, bs int, c *float32, ldc int, alpha, beta float32)
TEXT ·kernAVX2(SB), NOSPLIT, $0-64
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
	VMOVUPS 32(BX), Y13
	VMOVUPS 64(BX), Y14
	ROW(0, Y0, Y1, Y2)
	ROW(4, Y3, Y4, Y5)
	ROW(8, Y6, Y7, Y8)
	ROW(12, Y9, Y10, Y11)
	ADDQ    R8, AX
	ADDQ    R9, BX
	DECQ    CX
	JNZ     loop

epilogue:
	MOVQ         c+40(FP), DI
	MOVQ         ldc+48(FP), R10
	SHLQ         $2, R10
	VBROADCASTSS alpha+56(FP), Y14
	VBROADCASTSS beta+60(FP), Y15
	MOVL         beta+60(FP), DX
	ANDL         $0x7fffffff, DX
	JZ           nobeta
	STOREB(Y0, Y1, Y2)
	STOREB(Y3, Y4, Y5)
	STOREB(Y6, Y7, Y8)
	STOREB(Y9, Y10, Y11)
	VZEROUPPER
	RET

nobeta:
	STORE0(Y0, Y1, Y2)
	STORE0(Y3, Y4, Y5)
	STORE0(Y6, Y7, Y8)
	STORE0(Y9, Y10, Y11)
	VZEROUPPER
	RET
