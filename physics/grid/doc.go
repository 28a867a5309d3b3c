// Package grid holds the 2D scalar fields the grid simulators work on
// (float64, row-major ny×nx, unit cells), batches of them, 2D Fourier
// transforms built from gonum's dsp/fourier, and a small worker pool that
// splits batch work into a fixed number of chunks so that results never
// depend on GOMAXPROCS.
package grid
