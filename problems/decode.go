package problems

// plainOutput gives the Decode and DecodeVJP of tasks whose network output
// is x itself (every task but heat's mean shift and the oscillators'
// embedding of s0).
type plainOutput struct{}

// Decode copies the network output.
func (plainOutput) Decode(x []float64, out []float32, yTarget []float64, batch int) {
	for i := range x {
		x[i] = float64(out[i])
	}
}

// DecodeVJP copies the cotangent.
func (plainOutput) DecodeVJP(dout []float32, dx []float64, batch int) {
	for i := range dx {
		dout[i] = float32(dx[i])
	}
}
