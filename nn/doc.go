// Package nn is physgrad's hand-written neural-network code: layers with
// explicit Forward and Backward passes, the MLP and the authors' U-Net
// (phiflow 2.2.3 torch u_net), PyTorch default initialisation from a seeded
// generator, checkpoints, and per-sample parameter Jacobians for HIG.
//
// Data are NCHW, batch first, in flat slices. A Net owns one contiguous
// parameter slice and one gradient slice (Params, Grads), so an optimiser
// from package opt updates all weights in one call. Backward takes an
// external cotangent dL/d(output) — the simulator adjoint or the SIP
// proxy-loss gradient — accumulates weight gradients (PyTorch semantics:
// call ZeroGrad between steps) and optionally returns dL/d(input).
//
// The layer math is generic over float32 and float64. Training uses
// float32 (3×3 convolutions run on internal/gemm's windowed AVX-512
// products straight from a padded input, other matrix products on
// internal/gemm.Sgemm; see docs/speed.md); the float64
// instantiation exists so the tests can check gradients against central
// finite differences, and it is exported because it is occasionally useful
// (HIG in float64).
//
// Parallelism: a batch is split into min(batch, 8) chunks — a number that
// depends only on the batch size — which run on up to GOMAXPROCS
// goroutines, and per-chunk partial sums (weight gradients, batch-norm
// statistics) are reduced in chunk order. Results are therefore bitwise
// identical for every GOMAXPROCS, provided the GEMM itself is deterministic
// (internal/gemm is). They do depend on the batch size.
//
// Memory: activations are kept for Backward; gradient buffers are shared
// between tensors whose gradients are never live at the same time. The
// U-Net(1→1) on 64×64 at batch 128 holds about 0.6 GB.
//
// Hot float32 loops (batch-norm/ReLU passes, padding, upsampling) have
// AVX2 assembly on amd64; build with -tags purego or set PHYSGRAD_NOASM=1
// to use the Go versions (and the portable convolution kernels).
package nn
