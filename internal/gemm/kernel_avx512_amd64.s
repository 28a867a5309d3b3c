//go:build amd64 && !purego

#include "textflag.h"

// AVX-512 micro-kernel: an 8×48 tile of C held in 24 zmm accumulators
// (row i in Z(3i), Z(3i+1), Z(3i+2)).
//
// Per k step it loads one 48-wide row of op(B) (3 zmm), broadcasts the 8
// values of the op(A) column and issues 24 FMAs: 11 loads per 24 FMAs,
// comfortably under the two-loads-per-cycle limit while the two FMA ports
// stay busy. A and B are addressed with strides so the same kernel reads
// packed panels (as=8, bs=48) or, when the layout allows, the caller's
// matrices directly (as=lda for Aᵀ, bs=ldb for B).
//
// Epilogue: C = alpha·acc + beta·C; C is not read when beta == 0 so NaN
// garbage in C is overwritten, as BLAS requires.

// One k step for row r (broadcast element at off(AX)) into acc r0..r2.
#define ROW(off, bc, r0, r1, r2) \
	VBROADCASTSS off(AX), bc; \
	VFMADD231PS  Z24, bc, r0; \
	VFMADD231PS  Z25, bc, r1; \
	VFMADD231PS  Z26, bc, r2

// Scale a row by alpha (Z27), add beta·C (Z28) and store it at (DI).
#define STOREB(r0, r1, r2) \
	VMULPS      Z27, r0, r0; \
	VMULPS      Z27, r1, r1; \
	VMULPS      Z27, r2, r2; \
	VFMADD231PS (DI), Z28, r0; \
	VFMADD231PS 64(DI), Z28, r1; \
	VFMADD231PS 128(DI), Z28, r2; \
	VMOVUPS     r0, (DI); \
	VMOVUPS     r1, 64(DI); \
	VMOVUPS     r2, 128(DI); \
	ADDQ        R10, DI

// Same without reading C (beta == 0).
#define STORE0(r0, r1, r2) \
	VMULPS  Z27, r0, r0; \
	VMULPS  Z27, r1, r1; \
	VMULPS  Z27, r2, r2; \
	VMOVUPS r0, (DI); \
	VMOVUPS r1, 64(DI); \
	VMOVUPS r2, 128(DI); \
	ADDQ    R10, DI

// func kernAVX512(k int, a *float32, as int, b *float32, bs int, c *float32, ldc int, alpha, beta float32)
TEXT ·kernAVX512(SB), NOSPLIT, $0-64
	MOVQ k+0(FP), CX
	MOVQ a+8(FP), AX
	MOVQ as+16(FP), R8
	SHLQ $2, R8               // strides in bytes
	MOVQ b+24(FP), BX
	MOVQ bs+32(FP), R9
	SHLQ $2, R9

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
	TESTQ  CX, CX
	JLE    epilogue

loop:
	// Prefetch A 8 and B 4 k steps ahead: B is streamed from L2 (or, read
	// in place, from memory), A re-read from L2 for every B panel.
	PREFETCHT0 (AX)(R8*8)
	PREFETCHT0 (BX)(R9*4)
	PREFETCHT0 64(BX)(R9*4)
	PREFETCHT0 128(BX)(R9*4)
	VMOVUPS (BX), Z24
	VMOVUPS 64(BX), Z25
	VMOVUPS 128(BX), Z26
	ROW(0, Z27, Z0, Z1, Z2)
	ROW(4, Z28, Z3, Z4, Z5)
	ROW(8, Z27, Z6, Z7, Z8)
	ROW(12, Z28, Z9, Z10, Z11)
	ROW(16, Z27, Z12, Z13, Z14)
	ROW(20, Z28, Z15, Z16, Z17)
	ROW(24, Z27, Z18, Z19, Z20)
	ROW(28, Z28, Z21, Z22, Z23)
	ADDQ    R8, AX
	ADDQ    R9, BX
	DECQ    CX
	JNZ     loop

epilogue:
	MOVQ         c+40(FP), DI
	MOVQ         ldc+48(FP), R10
	SHLQ         $2, R10
	VBROADCASTSS alpha+56(FP), Z27
	VBROADCASTSS beta+60(FP), Z28
	MOVL         beta+60(FP), DX
	ANDL         $0x7fffffff, DX  // ±0 both mean "ignore C"
	JZ           nobeta
	STOREB(Z0, Z1, Z2)
	STOREB(Z3, Z4, Z5)
	STOREB(Z6, Z7, Z8)
	STOREB(Z9, Z10, Z11)
	STOREB(Z12, Z13, Z14)
	STOREB(Z15, Z16, Z17)
	STOREB(Z18, Z19, Z20)
	STOREB(Z21, Z22, Z23)
	VZEROUPPER
	RET

nobeta:
	STORE0(Z0, Z1, Z2)
	STORE0(Z3, Z4, Z5)
	STORE0(Z6, Z7, Z8)
	STORE0(Z9, Z10, Z11)
	STORE0(Z12, Z13, Z14)
	STORE0(Z15, Z16, Z17)
	STORE0(Z18, Z19, Z20)
	STORE0(Z21, Z22, Z23)
	VZEROUPPER
	RET
