package grid

import (
	"math"
	"math/cmplx"
	"math/rand/v2"
	"sync/atomic"
	"testing"
)

// naiveDFT2 is the textbook O(N²) 2D DFT, the independent reference.
func naiveDFT2(a []complex128, ny, nx int, sign float64) []complex128 {
	out := make([]complex128, ny*nx)
	for ky := 0; ky < ny; ky++ {
		for kx := 0; kx < nx; kx++ {
			var s complex128
			for iy := 0; iy < ny; iy++ {
				for ix := 0; ix < nx; ix++ {
					ph := sign * 2 * math.Pi * (float64(ky*iy)/float64(ny) + float64(kx*ix)/float64(nx))
					s += a[iy*nx+ix] * cmplx.Exp(complex(0, ph))
				}
			}
			out[ky*nx+kx] = s
		}
	}
	return out
}

// naiveBin is one bin of the forward 2D DFT.
func naiveBin(a []complex128, ny, nx, ky, kx int) complex128 {
	var s complex128
	for iy := 0; iy < ny; iy++ {
		for ix := 0; ix < nx; ix++ {
			ph := -2 * math.Pi * (float64(ky*iy)/float64(ny) + float64(kx*ix)/float64(nx))
			s += a[iy*nx+ix] * cmplx.Exp(complex(0, ph))
		}
	}
	return s
}

func TestFFTFreqMatchesNumpy(t *testing.T) {
	// numpy.fft.fftfreq(5) = [0, .2, .4, -.4, -.2]; fftfreq(4) = [0, .25, -.5, -.25].
	for n, want := range map[int][]float64{5: {0, .2, .4, -.4, -.2}, 4: {0, .25, -.5, -.25}} {
		got := FFTFreq(n)
		for i := range want {
			if math.Abs(got[i]-want[i]) > 1e-15 {
				t.Fatalf("fftfreq(%d)[%d] = %v, want %v", n, i, got[i], want[i])
			}
		}
	}
}

func TestRFFT2MatchesNaiveDFT(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, sz := range [][2]int{{6, 8}, {5, 7}, {8, 16}, {7, 4}, {64, 64}} {
		ny, nx := sz[0], sz[1]
		x := make([]float64, ny*nx)
		xc := make([]complex128, ny*nx)
		for i := range x {
			x[i] = rng.NormFloat64()
			xc[i] = complex(x[i], 0)
		}
		p, err := NewRFFT2(ny, nx)
		if err != nil {
			t.Fatal(err)
		}
		half := make([]complex128, p.SpectrumLen())
		if err := p.Forward(half, x); err != nil {
			t.Fatal(err)
		}
		full := make([]complex128, ny*nx)
		if err := p.FullSpectrum(full, half); err != nil {
			t.Fatal(err)
		}
		for i := range full {
			if ny*nx > 256 && i%37 != 0 {
				continue // the naive DFT is O(N) per bin: sample the big grid
			}
			want := naiveBin(xc, ny, nx, i/nx, i%nx)
			if cmplx.Abs(full[i]-want) > 1e-12*float64(ny*nx) {
				t.Fatalf("%d×%d bin %d: %v, want %v", ny, nx, i, full[i], want)
			}
		}
		back := make([]float64, ny*nx)
		if err := p.Inverse(back, half); err != nil {
			t.Fatal(err)
		}
		for i := range x {
			if math.Abs(back[i]-x[i]) > 1e-13 {
				t.Fatalf("%d×%d round trip cell %d: %v, want %v", ny, nx, i, back[i], x[i])
			}
		}
	}
}

func TestFFT2MatchesNaiveDFT(t *testing.T) {
	for _, sz := range [][2]int{{6, 5}, {8, 4}, {4, 6}} {
		testFFT2(t, sz[0], sz[1])
	}
}

func testFFT2(t *testing.T, ny, nx int) {
	rng := rand.New(rand.NewPCG(3, 4))
	a := make([]complex128, ny*nx)
	for i := range a {
		a[i] = complex(rng.NormFloat64(), rng.NormFloat64())
	}
	p, _ := NewFFT2(ny, nx)
	f := append([]complex128(nil), a...)
	if err := p.Forward(f); err != nil {
		t.Fatal(err)
	}
	want := naiveDFT2(a, ny, nx, -1)
	for i := range want {
		if cmplx.Abs(f[i]-want[i]) > 1e-12 {
			t.Fatalf("bin %d: %v, want %v", i, f[i], want[i])
		}
	}
	if err := p.Inverse(f); err != nil {
		t.Fatal(err)
	}
	for i := range a {
		if cmplx.Abs(f[i]-a[i]) > 1e-14 {
			t.Fatalf("round trip %d: %v, want %v", i, f[i], a[i])
		}
	}
	if err := p.Forward(make([]complex128, 3)); err == nil {
		t.Fatal("wrong length accepted")
	}
}

func TestLaplaceStencil(t *testing.T) {
	ny, nx := 4, 5
	rng := rand.New(rand.NewPCG(5, 6))
	for _, bc := range []Boundary{Periodic, ZeroDirichlet} {
		f, _ := NewField(ny, nx, bc)
		for i := range f.Data {
			f.Data[i] = rng.Float64()
		}
		dst := make([]float64, ny*nx)
		if err := Laplace(dst, f.Data, ny, nx, bc); err != nil {
			t.Fatal(err)
		}
		for iy := 0; iy < ny; iy++ {
			for ix := 0; ix < nx; ix++ {
				want := f.At(iy-1, ix) + f.At(iy+1, ix) + f.At(iy, ix-1) + f.At(iy, ix+1) - 4*f.At(iy, ix)
				if math.Abs(dst[iy*nx+ix]-want) > 1e-14 {
					t.Fatalf("%v (%d,%d): %v, want %v", bc, iy, ix, dst[iy*nx+ix], want)
				}
			}
		}
	}
	// Periodic Laplacian of a Fourier mode is the mode times its eigenvalue.
	n := 8
	m := make([]float64, n*n)
	for iy := 0; iy < n; iy++ {
		for ix := 0; ix < n; ix++ {
			m[iy*n+ix] = math.Cos(2 * math.Pi * (2*float64(ix) + float64(iy)) / float64(n))
		}
	}
	lam := 2*math.Cos(2*math.Pi*2/float64(n)) + 2*math.Cos(2*math.Pi/float64(n)) - 4
	dst := make([]float64, n*n)
	_ = Laplace(dst, m, n, n, Periodic)
	for i := range m {
		if math.Abs(dst[i]-lam*m[i]) > 1e-13 {
			t.Fatalf("eigenmode cell %d: %v, want %v", i, dst[i], lam*m[i])
		}
	}
}

func TestPoolVisitsEachItemOnce(t *testing.T) {
	for _, workers := range []int{1, 2, 3, 16, 40} {
		p := NewPool(workers)
		for _, n := range []int{1, 5, 16, 17, 128} {
			counts := make([]atomic.Int32, n)
			var badWorker atomic.Bool
			p.Run(n, func(w, i int) {
				if w < 0 || w >= p.Workers() {
					badWorker.Store(true)
				}
				counts[i].Add(1)
			})
			for i := range counts {
				if c := counts[i].Load(); c != 1 {
					t.Fatalf("workers %d n %d: item %d ran %d times", workers, n, i, c)
				}
			}
			if badWorker.Load() {
				t.Fatalf("worker index out of range")
			}
		}
	}
}

func TestPoolRunDoesNotAllocate(t *testing.T) {
	p := NewPool(2)
	out := make([]float64, 64)
	fn := func(_, i int) { out[i] = float64(i) }
	p.Run(64, fn)
	if a := testing.AllocsPerRun(50, func() { p.Run(64, fn) }); a > 0 {
		t.Fatalf("Run allocates %v times", a)
	}
}

func TestPow2MatchesNaiveDFT(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for _, n := range []int{2, 4, 8, 16, 32, 64, 128} {
		p := newPow2(n)
		for _, m := range []int{1, 3} {
			a := make([]complex128, n*m)
			for i := range a {
				a[i] = complex(rng.NormFloat64(), rng.NormFloat64())
			}
			for _, fwd := range []bool{true, false} {
				sign := 1.0
				if fwd {
					sign = -1
				}
				// Reference: naive 1D DFT of each column.
				want := make([]complex128, n*m)
				col := make([]complex128, n)
				for j := 0; j < m; j++ {
					for i := 0; i < n; i++ {
						col[i] = a[i*m+j]
					}
					d := naiveDFT2(col, 1, n, sign)
					for i := 0; i < n; i++ {
						want[i*m+j] = d[i]
					}
				}
				got := append([]complex128(nil), a...)
				p.cols(got, m, fwd)
				for i := range want {
					if cmplx.Abs(got[i]-want[i]) > 1e-13*float64(n) {
						t.Fatalf("n %d m %d fwd %v cols bin %d: %v, want %v", n, m, fwd, i, got[i], want[i])
					}
				}
				if m == 1 {
					got = append([]complex128(nil), a...)
					p.seq(got, fwd)
					for i := range want {
						if cmplx.Abs(got[i]-want[i]) > 1e-13*float64(n) {
							t.Fatalf("n %d fwd %v seq bin %d: %v, want %v", n, fwd, i, got[i], want[i])
						}
					}
				}
			}
		}
	}
}
