//go:build amd64 && !purego

#include "textflag.h"

// One QL sweep's rotations applied down the columns (see rotate in ql.go):
// the carried row lives in registers, rotation k loads the row above,
// stores the new lower row and keeps c·x − s·y as the carry. bottom is the
// sweep's lowest row, ld the row stride in bytes, cols a multiple of the
// vector width, cnt ≥ 1.

// func rotateAVX2(bottom *float64, ld, cols, cnt int, c, s *float64)
TEXT ·rotateAVX2(SB), NOSPLIT, $0-48
	MOVQ bottom+0(FP), DI
	MOVQ ld+8(FP), DX
	MOVQ cols+16(FP), CX
	MOVQ cnt+24(FP), BX
	MOVQ c+32(FP), R8
	MOVQ s+40(FP), R9
big:
	CMPQ CX, $16
	JLT one
	MOVQ DI, SI
	VMOVUPD 0(SI), Y4
	VMOVUPD 32(SI), Y5
	VMOVUPD 64(SI), Y6
	VMOVUPD 96(SI), Y7
	XORQ AX, AX
bigloop:
	MOVQ SI, R10
	SUBQ DX, R10
	VBROADCASTSD (R8)(AX*8), Y8
	VBROADCASTSD (R9)(AX*8), Y9
	VMOVUPD 0(R10), Y0
	VMOVUPD 32(R10), Y1
	VMOVUPD 64(R10), Y2
	VMOVUPD 96(R10), Y3
	VMULPD Y4, Y8, Y10
	VFMADD231PD Y0, Y9, Y10
	VMULPD Y4, Y9, Y4
	VFMSUB231PD Y0, Y8, Y4
	VMULPD Y5, Y8, Y11
	VFMADD231PD Y1, Y9, Y11
	VMULPD Y5, Y9, Y5
	VFMSUB231PD Y1, Y8, Y5
	VMULPD Y6, Y8, Y12
	VFMADD231PD Y2, Y9, Y12
	VMULPD Y6, Y9, Y6
	VFMSUB231PD Y2, Y8, Y6
	VMULPD Y7, Y8, Y13
	VFMADD231PD Y3, Y9, Y13
	VMULPD Y7, Y9, Y7
	VFMSUB231PD Y3, Y8, Y7
	VMOVUPD Y10, 0(SI)
	VMOVUPD Y11, 32(SI)
	VMOVUPD Y12, 64(SI)
	VMOVUPD Y13, 96(SI)
	MOVQ R10, SI
	INCQ AX
	CMPQ AX, BX
	JLT bigloop
	VMOVUPD Y4, 0(SI)
	VMOVUPD Y5, 32(SI)
	VMOVUPD Y6, 64(SI)
	VMOVUPD Y7, 96(SI)
	ADDQ $128, DI
	SUBQ $16, CX
	JMP big
one:
	CMPQ CX, $4
	JLT done
	MOVQ DI, SI
	VMOVUPD 0(SI), Y4
	XORQ AX, AX
oneloop:
	MOVQ SI, R10
	SUBQ DX, R10
	VBROADCASTSD (R8)(AX*8), Y8
	VBROADCASTSD (R9)(AX*8), Y9
	VMOVUPD 0(R10), Y0
	VMULPD Y4, Y8, Y10
	VFMADD231PD Y0, Y9, Y10
	VMULPD Y4, Y9, Y4
	VFMSUB231PD Y0, Y8, Y4
	VMOVUPD Y10, 0(SI)
	MOVQ R10, SI
	INCQ AX
	CMPQ AX, BX
	JLT oneloop
	VMOVUPD Y4, 0(SI)
	ADDQ $32, DI
	SUBQ $4, CX
	JMP one
done:
	VZEROUPPER
	RET
