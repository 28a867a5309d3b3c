//go:build amd64 && !purego

#include "textflag.h"

// Narrow AVX-512 micro-kernel: a 24×16 tile of C, one zmm accumulator per
// row (Z0–Z23), for products whose n is too small for the 48-wide kernel
// (dense layers, im2col with pixels as rows). Per k step: one 16-wide row
// of op(B) in Z24 and 24 FMAs that broadcast their op(A) element straight
// from memory (embedded broadcast), i.e. 25 loads per 24 FMAs — within
// the three load ports. Same contract as kernAVX512.

#define FMA8(off, r0, r1, r2, r3, r4, r5, r6, r7) \
	VFMADD231PS.BCST off+0(AX), Z24, r0; \
	VFMADD231PS.BCST off+4(AX), Z24, r1; \
	VFMADD231PS.BCST off+8(AX), Z24, r2; \
	VFMADD231PS.BCST off+12(AX), Z24, r3; \
	VFMADD231PS.BCST off+16(AX), Z24, r4; \
	VFMADD231PS.BCST off+20(AX), Z24, r5; \
	VFMADD231PS.BCST off+24(AX), Z24, r6; \
	VFMADD231PS.BCST off+28(AX), Z24, r7

// C row = alpha·acc + beta·C (alpha Z25, beta Z26), next row.
#define STOREB(r) \
	VMULPS      Z25, r, r; \
	VFMADD231PS (DI), Z26, r; \
	VMOVUPS     r, (DI); \
	ADDQ        R10, DI

#define STORE0(r) \
	VMULPS  Z25, r, r; \
	VMOVUPS r, (DI); \
	ADDQ    R10, DI

#define ZERO8(r0, r1, r2, r3, r4, r5, r6, r7) \
	VPXORD r0, r0, r0; \
	VPXORD r1, r1, r1; \
	VPXORD r2, r2, r2; \
	VPXORD r3, r3, r3; \
	VPXORD r4, r4, r4; \
	VPXORD r5, r5, r5; \
	VPXORD r6, r6, r6; \
	VPXORD r7, r7, r7

// func kernAVX512N(k int, a *float32, as int, b *float32, bs int, c *float32, ldc int, alpha, beta float32)
TEXT ·kernAVX512N(SB), NOSPLIT, $0-64
	MOVQ k+0(FP), CX
	MOVQ a+8(FP), AX
	MOVQ as+16(FP), R8
	SHLQ $2, R8
	MOVQ b+24(FP), BX
	MOVQ bs+32(FP), R9
	SHLQ $2, R9
	ZERO8(Z0, Z1, Z2, Z3, Z4, Z5, Z6, Z7)
	ZERO8(Z8, Z9, Z10, Z11, Z12, Z13, Z14, Z15)
	ZERO8(Z16, Z17, Z18, Z19, Z20, Z21, Z22, Z23)
	TESTQ CX, CX
	JLE   epilogue

loop:
	PREFETCHT0 (AX)(R8*8)
	VMOVUPS    (BX), Z24
	FMA8(0, Z0, Z1, Z2, Z3, Z4, Z5, Z6, Z7)
	FMA8(32, Z8, Z9, Z10, Z11, Z12, Z13, Z14, Z15)
	FMA8(64, Z16, Z17, Z18, Z19, Z20, Z21, Z22, Z23)
	ADDQ       R8, AX
	ADDQ       R9, BX
	DECQ       CX
	JNZ        loop

epilogue:
	MOVQ         c+40(FP), DI
	MOVQ         ldc+48(FP), R10
	SHLQ         $2, R10
	VBROADCASTSS alpha+56(FP), Z25
	VBROADCASTSS beta+60(FP), Z26
	MOVL         beta+60(FP), DX
	ANDL         $0x7fffffff, DX
	JZ           nobeta
	STOREB(Z0)
	STOREB(Z1)
	STOREB(Z2)
	STOREB(Z3)
	STOREB(Z4)
	STOREB(Z5)
	STOREB(Z6)
	STOREB(Z7)
	STOREB(Z8)
	STOREB(Z9)
	STOREB(Z10)
	STOREB(Z11)
	STOREB(Z12)
	STOREB(Z13)
	STOREB(Z14)
	STOREB(Z15)
	STOREB(Z16)
	STOREB(Z17)
	STOREB(Z18)
	STOREB(Z19)
	STOREB(Z20)
	STOREB(Z21)
	STOREB(Z22)
	STOREB(Z23)
	VZEROUPPER
	RET

nobeta:
	STORE0(Z0)
	STORE0(Z1)
	STORE0(Z2)
	STORE0(Z3)
	STORE0(Z4)
	STORE0(Z5)
	STORE0(Z6)
	STORE0(Z7)
	STORE0(Z8)
	STORE0(Z9)
	STORE0(Z10)
	STORE0(Z11)
	STORE0(Z12)
	STORE0(Z13)
	STORE0(Z14)
	STORE0(Z15)
	STORE0(Z16)
	STORE0(Z17)
	STORE0(Z18)
	STORE0(Z19)
	STORE0(Z20)
	STORE0(Z21)
	STORE0(Z22)
	STORE0(Z23)
	VZEROUPPER
	RET
