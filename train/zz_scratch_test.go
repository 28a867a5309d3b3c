package train

import (
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/lapack"
	"gonum.org/v1/gonum/lapack/gonum"
	"gonum.org/v1/gonum/mat"
)

func randJ(m, n int) []float64 {
	r := rand.New(rand.NewPCG(1, 2))
	a := make([]float64, m*n)
	for i := range a {
		a[i] = r.NormFloat64()
	}
	return a
}

func BenchmarkScratchSVDThin(b *testing.B) {
	a := randJ(128, 1444)
	var svd mat.SVD
	for b.Loop() {
		svd.Factorize(mat.NewDense(128, 1444, a), mat.SVDThin)
	}
}

func BenchmarkScratchSVDThinT(b *testing.B) {
	a := randJ(128, 1444)
	var svd mat.SVD
	for b.Loop() {
		svd.Factorize(mat.NewDense(128, 1444, a).T(), mat.SVDThin)
	}
}

func BenchmarkScratchQRplusSVD(b *testing.B) {
	a := randJ(128, 1444)
	impl := gonum.Implementation{}
	m, n := 128, 1444
	at := make([]float64, n*m)
	tau := make([]float64, m)
	work := make([]float64, 1)
	impl.Dgeqrf(n, m, at, m, tau, work, -1)
	work = make([]float64, int(work[0])*4)
	r := make([]float64, m*m)
	s := make([]float64, m)
	u := make([]float64, m*m)
	vt := make([]float64, m*m)
	w2 := make([]float64, 1)
	impl.Dgesvd(lapack.SVDAll, lapack.SVDAll, m, m, r, m, s, u, m, vt, m, w2, -1)
	w2 = make([]float64, int(w2[0]))
	for b.Loop() {
		for i := 0; i < m; i++ {
			for j := 0; j < n; j++ {
				at[j*m+i] = a[i*n+j]
			}
		}
		impl.Dgeqrf(n, m, at, m, tau, work, len(work))
		clear(r)
		for i := 0; i < m; i++ {
			for j := i; j < m; j++ {
				r[i*m+j] = at[i*m+j]
			}
		}
		impl.Dgesvd(lapack.SVDAll, lapack.SVDAll, m, m, r, m, s, u, m, vt, m, w2, len(w2))
	}
	_ = blas.NoTrans
}

func BenchmarkScratchGram(b *testing.B) {
	a := mat.NewDense(128, 1444, randJ(128, 1444))
	var g mat.SymDense
	g.ReuseAsSym(128)
	var e mat.EigenSym
	for b.Loop() {
		g.SymOuterK(1, a)
		e.Factorize(&g, true)
	}
}

func BenchmarkScratchEig128(b *testing.B) {
	a := mat.NewDense(128, 1444, randJ(128, 1444))
	var g mat.SymDense
	g.SymOuterK(1, a)
	var e mat.EigenSym
	for b.Loop() {
		e.Factorize(&g, true)
	}
}
func BenchmarkScratchSVD128(b *testing.B) {
	a := mat.NewDense(128, 128, randJ(128, 128))
	var e mat.SVD
	for b.Loop() {
		e.Factorize(a, mat.SVDThin)
	}
}
func BenchmarkScratchGemm(b *testing.B) {
	a := mat.NewDense(128, 1444, randJ(128, 1444))
	var c mat.Dense
	for b.Loop() {
		c.Mul(a, a.T())
	}
}
func BenchmarkScratchDgeqrf(b *testing.B) {
	a := randJ(128, 1444)
	impl := gonum.Implementation{}
	m, n := 128, 1444
	at := make([]float64, n*m)
	tau := make([]float64, m)
	work := make([]float64, 1)
	impl.Dgeqrf(n, m, at, m, tau, work, -1)
	work = make([]float64, int(work[0])*4)
	for b.Loop() {
		copy(at, a)
		impl.Dgeqrf(n, m, at, m, tau, work, len(work))
	}
}

func BenchmarkScratchBidiag(b *testing.B) {
	impl := gonum.Implementation{}
	n := 128
	a0 := randJ(n, n)
	a := make([]float64, n*n)
	d := make([]float64, n)
	e := make([]float64, n)
	tq := make([]float64, n)
	tp := make([]float64, n)
	work := make([]float64, 64*n*2)
	vt := make([]float64, n*n)
	c := make([]float64, n)
	b.Run("gebrd", func(b *testing.B) {
		for b.Loop() {
			copy(a, a0)
			impl.Dgebrd(n, n, a, n, d, e, tq, tp, work, len(work))
		}
	})
	b.Run("orgbrP", func(b *testing.B) {
		for b.Loop() {
			copy(a, a0)
			impl.Dgebrd(n, n, a, n, d, e, tq, tp, work, len(work))
			impl.Dorgbr(lapack.GeneratePT, n, n, n, a, n, tp, work, len(work))
		}
	})
	b.Run("bdsqr", func(b *testing.B) {
		copy(a, a0)
		impl.Dgebrd(n, n, a, n, d, e, tq, tp, work, len(work))
		d0 := append([]float64(nil), d...)
		e0 := append([]float64(nil), e...)
		for b.Loop() {
			copy(d, d0)
			copy(e, e0)
			clear(vt)
			for i := 0; i < n; i++ {
				vt[i*n+i] = 1
			}
			impl.Dbdsqr(blas.Upper, n, n, 0, 1, d, e, vt, n, nil, 1, c, 1, work)
		}
	})
	b.Run("bdsqrvals", func(b *testing.B) {
		copy(a, a0)
		impl.Dgebrd(n, n, a, n, d, e, tq, tp, work, len(work))
		d0 := append([]float64(nil), d...)
		e0 := append([]float64(nil), e...)
		for b.Loop() {
			copy(d, d0)
			copy(e, e0)
			impl.Dbdsqr(blas.Upper, n, 0, 0, 1, d, e, vt, n, nil, 1, c, 1, work)
		}
	})
}

func BenchmarkScratchDgelqf(b *testing.B) {
	a := randJ(128, 1444)
	impl := gonum.Implementation{}
	m, n := 128, 1444
	at := make([]float64, n*m)
	tau := make([]float64, m)
	work := make([]float64, 1)
	impl.Dgelqf(m, n, at, n, tau, work, -1)
	work = make([]float64, int(work[0])*4)
	for b.Loop() {
		copy(at, a)
		impl.Dgelqf(m, n, at, n, tau, work, len(work))
	}
}
