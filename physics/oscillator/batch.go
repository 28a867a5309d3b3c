package oscillator

import (
	"fmt"
	"sync"

	"gonum.org/v1/gonum/mat"
)

// batchChunks is the fixed number of pieces a batch is split into. Samples
// are independent and each is computed the same way in any chunk, so results
// do not depend on GOMAXPROCS; the fixed count only bounds goroutines.
const batchChunks = 8

// batchWork is one chunk's scratch.
type batchWork struct {
	w               *work
	final, res, jac []float64
	du              []float64
	svd             mat.SVD
}

func newBatchWork(p Params) *batchWork {
	m := p.StateSize()
	return &batchWork{w: newWork(p, true), final: make([]float64, m), res: make([]float64, m),
		jac: make([]float64, m*p.Nt), du: make([]float64, p.Nt)}
}

// forChunks calls f(lo, hi, scratch) on fixed contiguous chunks of [0, b) in
// parallel and returns the error of the lowest failing chunk.
func (p Params) forChunks(b int, f func(lo, hi int, w *batchWork) error) error {
	chunks := min(b, batchChunks)
	errs := make([]error, chunks)
	var wg sync.WaitGroup
	for c := range chunks {
		lo, hi := c*b/chunks, (c+1)*b/chunks
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[c] = f(lo, hi, newBatchWork(p))
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// checkBatch validates p, b and the input slices s0 (b×2Nx) and u (b×Nt).
func (p Params) checkBatch(b int, s0, u []float64) error {
	if err := p.Validate(); err != nil {
		return err
	}
	if b < 0 {
		return fmt.Errorf("oscillator: batch size %d is negative", b)
	}
	if err := checkLen("s0", s0, b*p.StateSize()); err != nil {
		return err
	}
	return checkLen("u", u, b*p.Nt)
}

func checkLen(name string, s []float64, want int) error {
	if len(s) != want {
		return fmt.Errorf("%w: %s has %d values, want %d", ErrSize, name, len(s), want)
	}
	return nil
}

// RunBatch runs b samples: s0 is b×2Nx, u is b×Nt, final is b×2Nx and jac
// (nil to skip) b×2Nx×Nt, all row-major, sample i's Jacobian being
// jac[i·2Nx·Nt : (i+1)·2Nx·Nt] in the layout of Run.
func (p Params) RunBatch(final, jac, s0, u []float64, b int) error {
	m := p.StateSize()
	if err := p.checkBatch(b, s0, u); err != nil {
		return err
	}
	if err := checkLen("final", final, b*m); err != nil {
		return err
	}
	if jac != nil {
		if err := checkLen("jac", jac, b*m*p.Nt); err != nil {
			return err
		}
	}
	return p.forChunks(b, func(lo, hi int, w *batchWork) error {
		for i := lo; i < hi; i++ {
			var ji []float64
			if jac != nil {
				ji = jac[i*m*p.Nt : (i+1)*m*p.Nt]
			}
			p.run(final[i*m:(i+1)*m], ji, s0[i*m:(i+1)*m], u[i*p.Nt:(i+1)*p.Nt], w.w)
		}
		return nil
	})
}

// GaussNewtonBatch applies GaussNewton to b samples (s0, target b×2Nx; u,
// uNew b×Nt, row-major). uNew must not overlap u unless identical.
func (p Params) GaussNewtonBatch(uNew, s0, u, target []float64, b int, cut float64) error {
	cut, err := checkCut(cut)
	if err != nil {
		return err
	}
	m := p.StateSize()
	if err := p.checkBatch(b, s0, u); err != nil {
		return err
	}
	if err := checkLen("uNew", uNew, b*p.Nt); err != nil {
		return err
	}
	if err := checkLen("target", target, b*m); err != nil {
		return err
	}
	return p.forChunks(b, func(lo, hi int, w *batchWork) error {
		for i := lo; i < hi; i++ {
			err := p.gaussNewton(uNew[i*p.Nt:(i+1)*p.Nt], s0[i*m:(i+1)*m], u[i*p.Nt:(i+1)*p.Nt],
				target[i*m:(i+1)*m], cut, w)
			if err != nil {
				return fmt.Errorf("sample %d: %w", i, err)
			}
		}
		return nil
	})
}
