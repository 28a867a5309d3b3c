package heat

// exampleBatch returns n predictions (rectangles of seed+1, playing the
// role of an untrained network's output) and n targets (diffused
// rectangles of seed) on 64×64.
func exampleBatch(n int, seed uint64) (x, yTarget []float64, err error) {
	x = make([]float64, n*4096)
	gt := make([]float64, n*4096)
	if err := RectangleBatch(gt, n, 64, 64, seed); err != nil {
		return nil, nil, err
	}
	if err := RectangleBatch(x, n, 64, 64, seed+1); err != nil {
		return nil, nil, err
	}
	b, err := NewBatch(64, 64, Settings{}, 0)
	if err != nil {
		return nil, nil, err
	}
	yTarget = make([]float64, n*4096)
	return x, yTarget, b.Forward(yTarget, gt)
}
