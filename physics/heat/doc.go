// Package heat is the diffusion problem of SPEC R6: a periodic grid of unit
// cells whose field x is diffused by ν·t in Fourier space,
// ŷ = x̂·exp(-(2π)²|k|²·νt) with k in cycles per cell, together with its
// adjoint, the damped probabilistic inverse of the SIP authors
// (tum-pbs/SIP heat/inv_diffuse.py, reconstructed from their measured
// output) and the seeded rectangle generator of their training data.
package heat
