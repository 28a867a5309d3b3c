package symeig

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// randomSym is a symmetric matrix with independent normal entries.
func randomSym(r *rand.Rand, n int) []float64 {
	a := make([]float64, n*n)
	for i := 0; i < n; i++ {
		for j := 0; j <= i; j++ {
			v := r.NormFloat64()
			a[i*n+j], a[j*n+i] = v, v
		}
	}
	return a
}

// gradedGram is R7-like: G = J·Jᵀ for a random n × 11n J with singular
// values graded geometrically from 40 down to 40·√(1/kappa2), so that
// κ(G) = kappa2 (HIG's Gram on R7 has κ² ≈ 1e11).
func gradedGram(r *rand.Rand, n int, kappa2 float64) []float64 {
	q := func(rows, cols int) *mat.Dense {
		m := mat.NewDense(rows, cols, nil)
		for i := 0; i < rows; i++ {
			for j := 0; j < cols; j++ {
				m.Set(i, j, r.NormFloat64())
			}
		}
		var qr mat.QR
		qr.Factorize(m)
		var out mat.Dense
		qr.QTo(&out)
		return mat.DenseCopyOf(out.Slice(0, rows, 0, min(rows, cols)))
	}
	u := q(n, n)
	sig := make([]float64, n)
	for i := range sig {
		sig[i] = 40 * math.Pow(kappa2, -0.5*float64(i)/float64(n-1))
	}
	var g mat.Dense
	us := mat.DenseCopyOf(u)
	for j := 0; j < n; j++ {
		for i := 0; i < n; i++ {
			us.Set(i, j, us.At(i, j)*sig[j]*sig[j])
		}
	}
	g.Mul(us, u.T())
	a := make([]float64, n*n)
	for i := 0; i < n; i++ {
		for j := 0; j <= i; j++ {
			v := g.At(i, j)
			a[i*n+j], a[j*n+i] = v, v
		}
	}
	return a
}

// check compares e with gonum's EigenSym of a and tests the
// reconstruction and the orthogonality of the rows.
func check(t *testing.T, name string, a []float64, n int, e *Eigen) {
	t.Helper()
	var ref mat.EigenSym
	if !ref.Factorize(mat.NewSymDense(n, append([]float64(nil), a...)), false) {
		t.Fatal("gonum EigenSym failed")
	}
	want := ref.Values(nil)
	lmax := math.Max(math.Abs(want[0]), math.Abs(want[n-1]))
	worst := 0.0
	for i, w := range want {
		worst = max(worst, math.Abs(e.Values[i]-w))
	}
	if worst > 1e-13*lmax {
		t.Errorf("%s: eigenvalues differ from gonum's by %.3g·λmax", name, worst/lmax)
	}
	z := e.Vectors
	var rec, orth float64
	anorm := 0.0
	for _, v := range a {
		anorm = max(anorm, math.Abs(v))
	}
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			var s, o float64
			for k := 0; k < n; k++ {
				s += z[k*n+i] * e.Values[k] * z[k*n+j]
				o += z[i*n+k] * z[j*n+k]
			}
			if i == j {
				o--
			}
			rec = max(rec, math.Abs(s-a[i*n+j]))
			orth = max(orth, math.Abs(o))
		}
	}
	if rec > 1e-13*anorm || orth > 1e-13 {
		t.Errorf("%s: max |UᵀΛU − A| = %.3g·max|A|, max |UUᵀ − I| = %.3g", name, rec/anorm, orth)
	}
	t.Logf("%s (%s): eigenvalues %.2g·λmax, reconstruction %.2g, orthogonality %.2g", name, Impl(), worst/lmax, rec/anorm, orth)
}

func TestEigenMatchesGonum(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, asm := range []bool{true, false} {
		prev := UseAsm(asm)
		for _, n := range []int{1, 2, 3, 5, 17, 64, 128, 131} {
			var e Eigen
			a := randomSym(r, n)
			if err := e.Factor(a, n, true); err != nil {
				t.Fatal(err)
			}
			check(t, fmt.Sprintf("random %d", n), a, n, &e)
		}
		for _, k2 := range []float64{1e11, 1e16} {
			var e Eigen
			a := gradedGram(r, 128, k2)
			if err := e.Factor(a, 128, true); err != nil {
				t.Fatal(err)
			}
			check(t, fmt.Sprintf("graded κ=%g", k2), a, 128, &e)
		}
		UseAsm(prev)
	}
}

// The assembly and the Go kernels agree to rounding (eigenvalues of a
// graded matrix to 1e-14·λmax; vectors of a random one, whose eigenvalue
// gaps are ~λmax/n, to 1e-12), and values-only Factor gives the same
// eigenvalues as Factor with vectors.
func TestEigenAsmAgreesWithGo(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	const n = 100
	for _, graded := range []bool{true, false} {
		a := randomSym(r, n)
		if graded {
			a = gradedGram(r, n, 1e11)
		}
		var ea, eg, ev Eigen
		prev := UseAsm(true)
		if err := ea.Factor(a, n, true); err != nil {
			t.Fatal(err)
		}
		UseAsm(false)
		if err := eg.Factor(a, n, true); err != nil {
			t.Fatal(err)
		}
		if err := ev.Factor(a, n, false); err != nil {
			t.Fatal(err)
		}
		UseAsm(prev)
		lmax := math.Max(math.Abs(eg.Values[0]), math.Abs(eg.Values[n-1]))
		for i := 0; i < n; i++ {
			if ev.Values[i] != eg.Values[i] {
				t.Fatalf("values-only eigenvalue %d: %v, with vectors %v", i, ev.Values[i], eg.Values[i])
			}
			if d := math.Abs(ea.Values[i] - eg.Values[i]); d > 1e-14*lmax {
				t.Errorf("eigenvalue %d: asm %v, Go %v", i, ea.Values[i], eg.Values[i])
			}
		}
		if graded {
			continue
		}
		worst := 0.0
		for i := 0; i < n; i++ {
			s := 1.0 // rows are determined up to sign
			if dot(ea.Vectors[i*n:(i+1)*n], eg.Vectors[i*n:(i+1)*n]) < 0 {
				s = -1
			}
			for j := 0; j < n; j++ {
				worst = max(worst, math.Abs(ea.Vectors[i*n+j]-s*eg.Vectors[i*n+j]))
			}
		}
		if worst > 1e-12 {
			t.Errorf("asm and Go eigenvectors differ by %g", worst)
		}
		t.Logf("asm (%s) vs Go: vectors differ by %.2g", Impl(), worst)
	}
}

func TestEigenErrors(t *testing.T) {
	var e Eigen
	if err := e.Factor(make([]float64, 5), 2, true); err == nil {
		t.Error("wrong size accepted")
	}
	a := []float64{1, 0, math.NaN(), 1}
	if err := e.Factor(a, 2, true); err != ErrNonFinite {
		t.Errorf("NaN: %v, want ErrNonFinite", err)
	}
	// Zero and diagonal matrices.
	if err := e.Factor(make([]float64, 9), 3, true); err != nil || e.Values[0] != 0 || e.Values[2] != 0 {
		t.Errorf("zero matrix: %v %v", e.Values, err)
	}
	if err := e.Factor([]float64{3, 0, 0, 0, -1, 0, 0, 0, 2}, 3, true); err != nil || e.Values[0] != -1 || e.Values[1] != 2 || e.Values[2] != 3 {
		t.Errorf("diagonal: %v %v", e.Values, err)
	}
}

func BenchmarkEigen128(b *testing.B) {
	r := rand.New(rand.NewPCG(5, 6))
	a := gradedGram(r, 128, 1e11)
	for _, c := range []struct {
		name         string
		asm, vectors bool
	}{{"vectors", true, true}, {"vectors-go", false, true}, {"values", true, false}} {
		b.Run(c.name, func(b *testing.B) {
			prev := UseAsm(c.asm)
			defer UseAsm(prev)
			var e Eigen
			for b.Loop() {
				if err := e.Factor(a, 128, c.vectors); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	b.Run("gonum-vectors", func(b *testing.B) {
		s := mat.NewSymDense(128, append([]float64(nil), a...))
		var e mat.EigenSym
		for b.Loop() {
			e.Factorize(s, true)
		}
	})
}

// Without vectors, ToEigenbasis and FromEigenbasis apply U and Uᵀ from
// the kept reflectors and rotations: they match the formed vectors and
// invert each other.
func TestEigenbasisWithoutVectors(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for _, n := range []int{1, 2, 3, 9, 128} {
		a := gradedGram(r, n, 1e11)
		if n < 3 {
			a = randomSym(r, n)
		}
		var ev, ex Eigen
		if err := ev.Factor(a, n, true); err != nil {
			t.Fatal(err)
		}
		if err := ex.Factor(a, n, false); err != nil {
			t.Fatal(err)
		}
		g := make([]float64, n)
		for i := range g {
			g[i] = r.NormFloat64()
		}
		yv, yx, back := make([]float64, n), make([]float64, n), make([]float64, n)
		ev.ToEigenbasis(yv, g)
		ex.ToEigenbasis(yx, g)
		ex.FromEigenbasis(back, yx)
		var dy, db float64
		for i := range g {
			dy = max(dy, math.Abs(yv[i]-yx[i]))
			db = max(db, math.Abs(back[i]-g[i]))
		}
		if dy > 1e-12 || db > 1e-13 {
			t.Errorf("n = %d: U·g differs from the vectors' by %.3g, Uᵀ·U·g from g by %.3g", n, dy, db)
		}
		// FromEigenbasis with vectors is Uᵀ·y too.
		ev.FromEigenbasis(back, yv)
		for i := range g {
			if math.Abs(back[i]-g[i]) > 1e-13 {
				t.Fatalf("n = %d: with vectors Uᵀ·U·g differs from g by %.3g", n, back[i]-g[i])
			}
		}
	}
}
