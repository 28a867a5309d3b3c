package poisson

import "testing"

func benchSolve(b *testing.B, m Method) {
	x := make([]float64, 4096)
	if err := FieldBatch(x, 1, 64, 64, 1); err != nil {
		b.Fatal(err)
	}
	s, _ := NewSolver(64, 64, Settings{Method: m})
	y := make([]float64, 4096)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Solve(y, x); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSolveExact64 and BenchmarkSolveCG64 compare the two forward
// solvers on one 64×64 field.
func BenchmarkSolveExact64(b *testing.B) { benchSolve(b, Exact) }
func BenchmarkSolveCG64(b *testing.B)    { benchSolve(b, CG) }
