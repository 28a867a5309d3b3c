// Package poisson is the Poisson problem of SPEC R5 as the SIP authors set
// it up: a ny×nx grid of unit cells with zero ghost cells (zero
// Dirichlet), y solving ∇²y = x for the 5-point Laplacian. It offers two
// forward solvers, an exact sine-transform solver (default) and the
// authors' conjugate gradients (1e-5 relative residual, at most 1000
// iterations), the adjoint (the Laplacian is symmetric, so the adjoint
// solve is the same solve), the exact inverse x = ∇²y and the seeded smooth
// random fields of their training data.
package poisson
