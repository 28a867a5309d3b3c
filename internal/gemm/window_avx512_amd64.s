//go:build amd64 && !purego

#include "textflag.h"

// Windowed-GEMM kernels behind WindowMM and WindowDot (window.go): the
// two products of a stride-1 convolution computed straight from a padded
// input, with the k·k shifted views addressed through an offset table
// instead of an im2col matrix.

// ---------------------------------------------------------------------------
// winMMAVX512: an 8-row × 32-pixel tile of C in 16 zmm accumulators
// (row r, segment s in Z(2r+s)). Per k step p: load the two 16-wide
// segments of B row p (at b+off[p] and b+s1b+off[p], unaligned), broadcast
// the 8 A values a[r·lda+p], 16 FMAs: 10 loads per 16 FMAs. A is read in
// place (row-major, any lda), so the caller needs no packing.
//
// Epilogue: C = acc (add == 0) or C += acc; row r at c + r·ldc, segment 1
// at +s1c elements. With bias != nil the accumulators start at bias[r].

// Broadcast A row r's element into bc and multiply-add both segments.
#define WROW(addr, bc, r0, r1) \
	VBROADCASTSS addr, bc; \
	VFMADD231PS  Z16, bc, r0; \
	VFMADD231PS  Z17, bc, r1

#define BIAS2(off, r0, r1) \
	VBROADCASTSS off(SI), r0; \
	VMOVAPS      r0, r1

#define WSTORE(r0, r1) \
	VMOVUPS r0, (DI); \
	VMOVUPS r1, (DI)(R12*1); \
	ADDQ    R13, DI

#define WADD(r0, r1) \
	VADDPS  (DI), r0, r0; \
	VADDPS  (DI)(R12*1), r1, r1; \
	VMOVUPS r0, (DI); \
	VMOVUPS r1, (DI)(R12*1); \
	ADDQ    R13, DI

// func winMMAVX512(k int, a *float32, lda int, b *float32, s1b int, off *int32, c *float32, ldc, s1c int, bias *float32, add int)
TEXT ·winMMAVX512(SB), NOSPLIT, $0-88
	MOVQ bias+72(FP), SI
	TESTQ SI, SI
	JZ   zeroacc
	BIAS2(0, Z0, Z1)
	BIAS2(4, Z2, Z3)
	BIAS2(8, Z4, Z5)
	BIAS2(12, Z6, Z7)
	BIAS2(16, Z8, Z9)
	BIAS2(20, Z10, Z11)
	BIAS2(24, Z12, Z13)
	BIAS2(28, Z14, Z15)
	JMP  start

zeroacc:
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

start:
	MOVQ k+0(FP), CX
	MOVQ a+8(FP), AX
	MOVQ lda+16(FP), R8
	SHLQ $2, R8               // A row stride in bytes
	LEAQ (AX)(R8*2), DX
	ADDQ R8, DX               // DX = row 3
	LEAQ (R8)(R8*2), R9
	SHLQ $1, R9               // R9 = 6 rows
	MOVQ b+24(FP), BX
	MOVQ s1b+32(FP), R10
	LEAQ (BX)(R10*4), R10     // segment 1 of B
	MOVQ off+40(FP), R11
	TESTQ CX, CX
	JLE  epilogue

loop:
	MOVLQSX (R11), R12
	VMOVUPS (BX)(R12*4), Z16
	VMOVUPS (R10)(R12*4), Z17
	WROW((AX), Z18, Z0, Z1)
	WROW((AX)(R8*1), Z19, Z2, Z3)
	WROW((AX)(R8*2), Z20, Z4, Z5)
	WROW((DX), Z21, Z6, Z7)
	WROW((AX)(R8*4), Z22, Z8, Z9)
	WROW((DX)(R8*2), Z23, Z10, Z11)
	WROW((AX)(R9*1), Z24, Z12, Z13)
	WROW((DX)(R8*4), Z25, Z14, Z15)
	ADDQ $4, AX
	ADDQ $4, DX
	ADDQ $4, R11
	DECQ CX
	JNZ  loop

epilogue:
	MOVQ c+48(FP), DI
	MOVQ ldc+56(FP), R13
	SHLQ $2, R13
	MOVQ s1c+64(FP), R12
	SHLQ $2, R12
	MOVQ add+80(FP), CX
	TESTQ CX, CX
	JNZ  accum
	WSTORE(Z0, Z1)
	WSTORE(Z2, Z3)
	WSTORE(Z4, Z5)
	WSTORE(Z6, Z7)
	WSTORE(Z8, Z9)
	WSTORE(Z10, Z11)
	WSTORE(Z12, Z13)
	WSTORE(Z14, Z15)
	VZEROUPPER
	RET

accum:
	WADD(Z0, Z1)
	WADD(Z2, Z3)
	WADD(Z4, Z5)
	WADD(Z6, Z7)
	WADD(Z8, Z9)
	WADD(Z10, Z11)
	WADD(Z12, Z13)
	WADD(Z14, Z15)
	VZEROUPPER
	RET

// ---------------------------------------------------------------------------
// winMM3AVX512: as winMMAVX512 with three 16-pixel segments (8×48 tile,
// 24 accumulators, row r segment s in Z(3r+s)): 11 loads per 24 FMAs.
// Segments 1 and 2 start s1b, s2b elements after segment 0 in B and s1c,
// s2c after it in C.

#define WROW3(addr, bc, r0, r1, r2) \
	VBROADCASTSS addr, bc; \
	VFMADD231PS  Z24, bc, r0; \
	VFMADD231PS  Z25, bc, r1; \
	VFMADD231PS  Z26, bc, r2

#define BIAS3(off, r0, r1, r2) \
	VBROADCASTSS off(SI), r0; \
	VMOVAPS      r0, r1; \
	VMOVAPS      r0, r2

#define WSTORE3(r0, r1, r2) \
	VMOVUPS r0, (DI); \
	VMOVUPS r1, (DI)(R12*1); \
	VMOVUPS r2, (DI)(R11*1); \
	ADDQ    R13, DI

#define WADD3(r0, r1, r2) \
	VADDPS  (DI), r0, r0; \
	VADDPS  (DI)(R12*1), r1, r1; \
	VADDPS  (DI)(R11*1), r2, r2; \
	VMOVUPS r0, (DI); \
	VMOVUPS r1, (DI)(R12*1); \
	VMOVUPS r2, (DI)(R11*1); \
	ADDQ    R13, DI

// func winMM3AVX512(k int, a *float32, lda int, b *float32, s1b, s2b int, off *int32, c *float32, ldc, s1c, s2c int, bias *float32, add int)
TEXT ·winMM3AVX512(SB), NOSPLIT, $0-104
	MOVQ  bias+88(FP), SI
	TESTQ SI, SI
	JZ    zeroacc3
	BIAS3(0, Z0, Z1, Z2)
	BIAS3(4, Z3, Z4, Z5)
	BIAS3(8, Z6, Z7, Z8)
	BIAS3(12, Z9, Z10, Z11)
	BIAS3(16, Z12, Z13, Z14)
	BIAS3(20, Z15, Z16, Z17)
	BIAS3(24, Z18, Z19, Z20)
	BIAS3(28, Z21, Z22, Z23)
	JMP   start3

zeroacc3:
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

start3:
	MOVQ  k+0(FP), CX
	MOVQ  a+8(FP), AX
	MOVQ  lda+16(FP), R8
	SHLQ  $2, R8
	LEAQ  (AX)(R8*2), DX
	ADDQ  R8, DX              // DX = row 3
	LEAQ  (R8)(R8*2), R9
	SHLQ  $1, R9              // R9 = 6 rows
	MOVQ  b+24(FP), BX
	MOVQ  s1b+32(FP), R10
	LEAQ  (BX)(R10*4), R10    // segment 1 of B
	MOVQ  s2b+40(FP), R13
	LEAQ  (BX)(R13*4), R13    // segment 2 of B
	MOVQ  off+48(FP), R11
	TESTQ CX, CX
	JLE   epilogue3

loop3:
	MOVLQSX (R11), R12
	VMOVUPS (BX)(R12*4), Z24
	VMOVUPS (R10)(R12*4), Z25
	VMOVUPS (R13)(R12*4), Z26
	WROW3((AX), Z27, Z0, Z1, Z2)
	WROW3((AX)(R8*1), Z28, Z3, Z4, Z5)
	WROW3((AX)(R8*2), Z29, Z6, Z7, Z8)
	WROW3((DX), Z30, Z9, Z10, Z11)
	WROW3((AX)(R8*4), Z27, Z12, Z13, Z14)
	WROW3((DX)(R8*2), Z28, Z15, Z16, Z17)
	WROW3((AX)(R9*1), Z29, Z18, Z19, Z20)
	WROW3((DX)(R8*4), Z30, Z21, Z22, Z23)
	ADDQ    $4, AX
	ADDQ    $4, DX
	ADDQ    $4, R11
	DECQ    CX
	JNZ     loop3

epilogue3:
	MOVQ  c+56(FP), DI
	MOVQ  ldc+64(FP), R13
	SHLQ  $2, R13
	MOVQ  s1c+72(FP), R12
	SHLQ  $2, R12
	MOVQ  s2c+80(FP), R11
	SHLQ  $2, R11
	MOVQ  add+96(FP), CX
	TESTQ CX, CX
	JNZ   accum3
	WSTORE3(Z0, Z1, Z2)
	WSTORE3(Z3, Z4, Z5)
	WSTORE3(Z6, Z7, Z8)
	WSTORE3(Z9, Z10, Z11)
	WSTORE3(Z12, Z13, Z14)
	WSTORE3(Z15, Z16, Z17)
	WSTORE3(Z18, Z19, Z20)
	WSTORE3(Z21, Z22, Z23)
	VZEROUPPER
	RET

accum3:
	WADD3(Z0, Z1, Z2)
	WADD3(Z3, Z4, Z5)
	WADD3(Z6, Z7, Z8)
	WADD3(Z9, Z10, Z11)
	WADD3(Z12, Z13, Z14)
	WADD3(Z15, Z16, Z17)
	WADD3(Z18, Z19, Z20)
	WADD3(Z21, Z22, Z23)
	VZEROUPPER
	RET

// ---------------------------------------------------------------------------
// winDotAVX512: the weight-gradient product, a 4×6 block of dot products
// kept as 24 zmm lane-vectors (Z(4j+i) = A row i · B row j), over nrows
// rows of w elements (w a multiple of 16): A row i's y-th row at
// rows[i] + y·w (A rows are contiguous), B row j's at rows[4+j] + y·ldb;
// gap is the byte distance (ldb-w)·4 from the end of one B window row to
// the start of the next.
// 10 loads per 24 FMAs. acc and flags as in dotAVX512 (dot_avx512_amd64.s):
// bit 0 starts from zero, bit 1 reduces to the 24 sums at acc[0:24].

#define WFMA4(bv, r0, r1, r2, r3) \
	VFMADD231PS Z24, bv, r0; \
	VFMADD231PS Z25, bv, r1; \
	VFMADD231PS Z26, bv, r2; \
	VFMADD231PS Z27, bv, r3

#define WDSTEP \
	VMOVUPS (AX)(SI*1), Z24; \
	VMOVUPS (BX)(SI*1), Z25; \
	VMOVUPS (CX)(SI*1), Z26; \
	VMOVUPS (DX)(SI*1), Z27; \
	VMOVUPS (R8)(DI*1), Z28; \
	WFMA4(Z28, Z0, Z1, Z2, Z3); \
	VMOVUPS (R9)(DI*1), Z29; \
	WFMA4(Z29, Z4, Z5, Z6, Z7); \
	VMOVUPS (R10)(DI*1), Z28; \
	WFMA4(Z28, Z8, Z9, Z10, Z11); \
	VMOVUPS (R11)(DI*1), Z29; \
	WFMA4(Z29, Z12, Z13, Z14, Z15); \
	VMOVUPS (R12)(DI*1), Z28; \
	WFMA4(Z28, Z16, Z17, Z18, Z19); \
	VMOVUPS (R13)(DI*1), Z29; \
	WFMA4(Z29, Z20, Z21, Z22, Z23)

// Fixed-order horizontal sum into lane 0 (same tree as dotAVX512).
#define WHSUM(zr) \
	VSHUFF32X4 $0x4E, zr, zr, Z30; \
	VADDPS     Z30, zr, zr; \
	VSHUFF32X4 $0xB1, zr, zr, Z30; \
	VADDPS     Z30, zr, zr; \
	VPERMILPS  $0x4E, zr, Z30; \
	VADDPS     Z30, zr, zr; \
	VPERMILPS  $0xB1, zr, Z30; \
	VADDPS     Z30, zr, zr

#define WSUMOUT(zr, xr, off) \
	WHSUM(zr); \
	VMOVSS xr, off(SI)

// func winDotAVX512(nrows, w int, rows *[10]*float32, gap int, acc *float32, flags int)
TEXT ·winDotAVX512(SB), NOSPLIT, $0-48
	MOVQ    acc+32(FP), SI
	MOVQ    flags+40(FP), DI
	TESTQ   $1, DI
	JNZ     dzero
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
	JMP     dstart

dzero:
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

dstart:
	// A rows are contiguous across window rows (offset SI runs on), B
	// windows skip ldb-w elements at each row end (offset DI). R15 counts
	// the 16-wide steps of a row, R14 holds their number.
	MOVQ rows+16(FP), SI
	MOVQ 0(SI), AX
	MOVQ 8(SI), BX
	MOVQ 16(SI), CX
	MOVQ 24(SI), DX
	MOVQ 32(SI), R8
	MOVQ 40(SI), R9
	MOVQ 48(SI), R10
	MOVQ 56(SI), R11
	MOVQ 64(SI), R12
	MOVQ 72(SI), R13
	MOVQ w+8(FP), R14
	SHRQ $4, R14              // 16-wide steps per row
	XORQ SI, SI
	XORQ DI, DI
	CMPQ nrows+0(FP), $0
	JLE  ddone
	CMPQ R14, $0
	JLE  ddone

drow:
	MOVQ R14, R15

dinner:
	WDSTEP
	ADDQ $64, SI
	ADDQ $64, DI
	DECQ R15
	JNZ  dinner
	ADDQ gap+24(FP), DI       // to the next window row
	DECQ nrows+0(FP)
	JNZ  drow

ddone:
	MOVQ  acc+32(FP), SI
	MOVQ  flags+40(FP), DI
	TESTQ $2, DI
	JNZ   dfinal
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

dfinal:
	WSUMOUT(Z0, X0, 0)
	WSUMOUT(Z1, X1, 4)
	WSUMOUT(Z2, X2, 8)
	WSUMOUT(Z3, X3, 12)
	WSUMOUT(Z4, X4, 16)
	WSUMOUT(Z5, X5, 20)
	WSUMOUT(Z6, X6, 24)
	WSUMOUT(Z7, X7, 28)
	WSUMOUT(Z8, X8, 32)
	WSUMOUT(Z9, X9, 36)
	WSUMOUT(Z10, X10, 40)
	WSUMOUT(Z11, X11, 44)
	WSUMOUT(Z12, X12, 48)
	WSUMOUT(Z13, X13, 52)
	WSUMOUT(Z14, X14, 56)
	WSUMOUT(Z15, X15, 60)
	WSUMOUT(Z16, X16, 64)
	WSUMOUT(Z17, X17, 68)
	WSUMOUT(Z18, X18, 72)
	WSUMOUT(Z19, X19, 76)
	WSUMOUT(Z20, X20, 80)
	WSUMOUT(Z21, X21, 84)
	WSUMOUT(Z22, X22, 88)
	WSUMOUT(Z23, X23, 92)
	VZEROUPPER
	RET
