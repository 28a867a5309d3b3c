package gemm

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"testing"
)

// rate runs body b.N times (via b.Loop) and reports flops/op as GFLOP/s
// of wall time and, for single-threaded bodies, of thread CPU time
// ("cpuGFLOP/s", robust to other jobs on the machine).
func rate(b *testing.B, serial bool, flopsPerOp float64, body func()) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	t0 := threadCPU()
	n := 0
	for b.Loop() {
		body()
		n++
	}
	cpu := threadCPU() - t0
	b.ReportMetric(flopsPerOp*float64(n)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
	if serial && cpu > 0 {
		b.ReportMetric(flopsPerOp*float64(n)/cpu/1e9, "cpuGFLOP/s")
	}
}

// BenchmarkPeakFMA measures the single-core fp32 FMA peak with the
// independent-accumulator loops in peak_amd64.s (16 zmm / 12 ymm chains).
func BenchmarkPeakFMA(b *testing.B) {
	for _, isa := range []string{"avx512", "avx2"} {
		b.Run(isa, func(b *testing.B) {
			const iters = 1 << 20
			if peak(isa, 1) == 0 {
				b.Skip(isa + " not available")
			}
			rate(b, true, peak(isa, 0)*iters, func() { peak(isa, iters) })
		})
	}
}

type shape struct {
	name           string
	transA, transB bool
	m, n, k        int
}

func benchShape(b *testing.B, s shape, serial bool) {
	f := Sgemm
	if serial {
		f = SgemmSerial
	}
	rng := rand.New(rand.NewPCG(1, 1))
	p := newProblem(rng, s.transA, s.transB, s.m, s.n, s.k, 1, 0, 0)
	c := make([]float32, len(p.c0))
	b.ReportAllocs()
	rate(b, serial, 2*float64(s.m)*float64(s.n)*float64(s.k), func() {
		f(s.transA, s.transB, s.m, s.n, s.k, 1, p.a, p.lda, p.b, p.ldb, 0, c, p.ldc)
	})
}

// BenchmarkSgemm512 is the acceptance benchmark: 512³, single-threaded,
// every layout; /par is the multi-threaded Sgemm.
func BenchmarkSgemm512(b *testing.B) {
	for _, tr := range trans {
		s := shape{fmt.Sprintf("tA=%v,tB=%v", tr[0], tr[1]), tr[0], tr[1], 512, 512, 512}
		b.Run(s.name, func(b *testing.B) { benchShape(b, s, true) })
	}
	b.Run("par", func(b *testing.B) { benchShape(b, shape{"", false, false, 512, 512, 512}, false) })
}

// unetShapes are the im2col GEMMs of a 3×3 convolution on a 64×64 image
// (4096 pixels) with 16→16 and 32→16 channels, for both im2col layouts:
// "ck" = columns K×pixels (C = W·col), "pk" = rows pixels×K (C = col·Wᵀ).
func unetShapes() []shape {
	const px = 4096
	var list []shape
	for _, k := range []int{144, 288} {
		co, ci := 16, k/9
		list = append(list,
			shape{fmt.Sprintf("ck/fwd/K=%d", k), false, false, co, px, k},
			shape{fmt.Sprintf("ck/dcol/K=%d", k), true, false, k, px, co},
			shape{fmt.Sprintf("ck/dW/K=%d", k), false, true, co, k, px},
			shape{fmt.Sprintf("pk/fwd/K=%d", k), false, true, px, co, k},
			shape{fmt.Sprintf("pk/dcol/K=%d", k), false, false, px, k, co},
			shape{fmt.Sprintf("pk/dW/K=%d", k), true, false, co, k, px},
		)
		_ = ci
	}
	return list
}

// BenchmarkUNet times the U-Net convolution shapes single-threaded
// (/serial) and with Sgemm's own parallelism (/par).
func BenchmarkUNet(b *testing.B) {
	for _, s := range unetShapes() {
		b.Run(s.name+"/serial", func(b *testing.B) { benchShape(b, s, true) })
	}
	for _, s := range unetShapes() {
		b.Run(s.name+"/par", func(b *testing.B) { benchShape(b, s, false) })
	}
}

// BenchmarkImpls compares the kernel sets on 512³ and one U-Net shape,
// single-threaded (the Go fallback included).
func BenchmarkImpls(b *testing.B) {
	saved := cur.Load()
	defer cur.Store(saved)
	for _, im := range impls {
		for _, s := range []shape{{"512", false, false, 512, 512, 512}, {"ck-fwd-K=144", false, false, 16, 4096, 144}} {
			b.Run(im.name+"/"+s.name, func(b *testing.B) {
				cur.Store(im)
				benchShape(b, s, true)
			})
		}
	}
}
