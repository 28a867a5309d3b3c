//go:build amd64 && !purego

#include "textflag.h"

// One QL sweep's rotations applied down the columns (see rotate in ql.go):
// the carried row lives in registers, rotation k loads the row above,
// stores the new lower row and keeps c·x − s·y as the carry. bottom is the
// sweep's lowest row, ld the row stride in bytes, cols a multiple of the
// vector width, cnt ≥ 1.

// func rotateAVX512(bottom *float64, ld, cols, cnt int, c, s *float64)
TEXT ·rotateAVX512(SB), NOSPLIT, $0-48
	MOVQ bottom+0(FP), DI
	MOVQ ld+8(FP), DX
	MOVQ cols+16(FP), CX
	MOVQ cnt+24(FP), BX
	MOVQ c+32(FP), R8
	MOVQ s+40(FP), R9
big:
	CMPQ CX, $32
	JLT one
	MOVQ DI, SI
	VMOVUPD 0(SI), Z4
	VMOVUPD 64(SI), Z5
	VMOVUPD 128(SI), Z6
	VMOVUPD 192(SI), Z7
	XORQ AX, AX
bigloop:
	MOVQ SI, R10
	SUBQ DX, R10
	VBROADCASTSD (R8)(AX*8), Z8
	VBROADCASTSD (R9)(AX*8), Z9
	VMOVUPD 0(R10), Z0
	VMOVUPD 64(R10), Z1
	VMOVUPD 128(R10), Z2
	VMOVUPD 192(R10), Z3
	VMULPD Z4, Z8, Z10
	VFMADD231PD Z0, Z9, Z10
	VMULPD Z4, Z9, Z4
	VFMSUB231PD Z0, Z8, Z4
	VMULPD Z5, Z8, Z11
	VFMADD231PD Z1, Z9, Z11
	VMULPD Z5, Z9, Z5
	VFMSUB231PD Z1, Z8, Z5
	VMULPD Z6, Z8, Z12
	VFMADD231PD Z2, Z9, Z12
	VMULPD Z6, Z9, Z6
	VFMSUB231PD Z2, Z8, Z6
	VMULPD Z7, Z8, Z13
	VFMADD231PD Z3, Z9, Z13
	VMULPD Z7, Z9, Z7
	VFMSUB231PD Z3, Z8, Z7
	VMOVUPD Z10, 0(SI)
	VMOVUPD Z11, 64(SI)
	VMOVUPD Z12, 128(SI)
	VMOVUPD Z13, 192(SI)
	MOVQ R10, SI
	INCQ AX
	CMPQ AX, BX
	JLT bigloop
	VMOVUPD Z4, 0(SI)
	VMOVUPD Z5, 64(SI)
	VMOVUPD Z6, 128(SI)
	VMOVUPD Z7, 192(SI)
	ADDQ $256, DI
	SUBQ $32, CX
	JMP big
one:
	CMPQ CX, $8
	JLT done
	MOVQ DI, SI
	VMOVUPD 0(SI), Z4
	XORQ AX, AX
oneloop:
	MOVQ SI, R10
	SUBQ DX, R10
	VBROADCASTSD (R8)(AX*8), Z8
	VBROADCASTSD (R9)(AX*8), Z9
	VMOVUPD 0(R10), Z0
	VMULPD Z4, Z8, Z10
	VFMADD231PD Z0, Z9, Z10
	VMULPD Z4, Z9, Z4
	VFMSUB231PD Z0, Z8, Z4
	VMOVUPD Z10, 0(SI)
	MOVQ R10, SI
	INCQ AX
	CMPQ AX, BX
	JLT oneloop
	VMOVUPD Z4, 0(SI)
	ADDQ $64, DI
	SUBQ $8, CX
	JMP one
done:
	VZEROUPPER
	RET
