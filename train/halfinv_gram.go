package train

import (
	"errors"
	"fmt"
	"math"

	"github.com/physgrad/physgrad/internal/symeig"
)

// gramResolvable is the smallest eigenvalue of the Gram matrix G = J·Jᵀ,
// relative to the largest, that the Gram route trusts. Squaring J squares
// its condition number: G's eigenvalues carry absolute errors of a few
// ε·λmax (from forming G and from the eigensolver), so the update, whose
// norm the smallest kept singular values dominate (Δ ∝ σ^{-p}), has a
// relative error that grows like λmax/λmin. Measured against the exact
// LQ/SVD path on random 128 × 1,444 Jacobians (TestGramRouteAccuracy): the
// error is (0.4–5)·1e-17·κ(G) for HIG and GN, so 5e-12 keeps it below
// ≈ 1e-5. Along a 3,000-step R7 HIG run κ(G) = (σmax/σmin)² stays
// between 3e8 and 1.2e12, and 20 steps (0.7 %) fall back
// (TestOscillatorHIGPathsLong).
const gramResolvable = 5e-12

// gramSolver applies A^{-p} = Aᵀ·(A·Aᵀ)^{-(1+p)/2} through the Gram matrix
// of a wide A: with G = A·Aᵀ = Uᵀ·Λ·U (eigenvectors as rows of U) and
// σᵢ = √λᵢ,
//
//	A^{-p}·g = V·Σ^{-p}·Uᵀg = Aᵀ·U·Λ^{-(1+p)/2}·Uᵀ·g
//
// (the columns of V are Aᵀuᵢ/σᵢ). coefficients computes the vector
// c = U·Λ^{-(1+p)/2}·Uᵀ·g; the caller applies Aᵀ (for HIG one network
// backward pass). G is v × v with v = batch·YSize, so the O(v³)
// eigen-decomposition replaces the O(v²·weights) factorisation of A.
type gramSolver struct {
	eig  symeig.Eigen
	y    []float64
	gram []float64
	// sv holds the singular values √λ of the last call, decreasing.
	sv []float64
}

// errUnresolved reports a Gram matrix whose small eigenvalues cannot be
// resolved in float64; the caller takes the exact path instead.
var errUnresolved = errors.New("train: Gram eigenvalues below the resolvable range")

// coefficients writes U·Λ^{-(1+p)/2}·Uᵀ·g into c for the symmetric v × v
// Gram matrix gram (not modified), with the singular values √λ below
// τ·σmax dropped, and returns the number kept. It returns errUnresolved
// when an eigenvalue whose fate the cut decides (one the cut could keep)
// lies below gramResolvable·λmax, and an ErrNonFinite error for a
// non-finite G or g.
func (s *gramSolver) coefficients(c, gram []float64, v int, g []float64, tau, p float64) (int, error) {
	if len(gram) != v*v || len(g) != v || len(c) != v {
		return 0, fmt.Errorf("train: Gram solve with %d values for %d × %d, %d right-hand side and %d outputs", len(gram), v, v, len(g), len(c))
	}
	if !finite64(g) {
		return 0, fmt.Errorf("%w in the loss gradient", ErrNonFinite)
	}
	// No eigenvectors: U and Uᵀ are applied to the one right-hand side
	// from the reflectors and rotations, O(v²) instead of O(v³).
	err := s.eig.Factor(gram, v, false)
	if errors.Is(err, symeig.ErrNonFinite) {
		return 0, fmt.Errorf("%w in the Jacobian", ErrNonFinite)
	}
	if err != nil {
		return 0, fmt.Errorf("train: Gram eigen-decomposition: %w", err)
	}
	lam := s.eig.Values // ascending
	lmax := lam[v-1]
	s.sv = grow(s.sv, v)
	for i := range s.sv {
		s.sv[i] = math.Sqrt(max(lam[v-1-i], 0))
	}
	if !(lmax > 0) {
		return 0, errUnresolved
	}
	// Eigenvalues below gramResolvable·λmax are noise; they matter only
	// if the cut τ²·λmax lies below them, i.e. could keep them.
	if tau*tau < gramResolvable && lam[0] < gramResolvable*lmax {
		return 0, errUnresolved
	}
	s.y = grow(s.y, v)
	y := s.y
	s.eig.ToEigenbasis(y, g)
	kept := 0
	lim := tau * math.Sqrt(lmax)
	for i := range y {
		sig := math.Sqrt(max(lam[i], 0))
		if sig == 0 || sig < lim {
			y[i] = 0
			continue
		}
		kept++
		y[i] /= math.Pow(sig, 1+p) // λ^{-(1+p)/2}
	}
	s.eig.FromEigenbasis(c, y)
	return kept, nil
}
