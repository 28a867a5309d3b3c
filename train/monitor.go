package train

// Monitor is implemented by tasks that log statistics of their own every
// step, such as R8's hidden-activation statistics (neuron saturation). They
// go into StepLog.Extra, computed from the weights the step starts from,
// like the x metrics.
type Monitor interface {
	// MonitorNames names the statistics (CSV and JSON column names).
	MonitorNames() []string
	// Monitor returns the statistics of the task's network with the
	// parameters params (float64, in the layout of nn.Net.Params).
	Monitor(params []float64) ([]float64, error)
}

// MonitorNames returns the names of task's extra statistics, nil if it
// logs none.
func MonitorNames(task Task) []string {
	if m, ok := task.(Monitor); ok {
		return m.MonitorNames()
	}
	return nil
}

// monitor calls a task's Monitor with a float64 copy of the weights; a nil
// monitor logs nothing.
type monitor struct {
	m   Monitor
	p64 []float64
}

func newMonitor(task Task) *monitor {
	m, ok := task.(Monitor)
	if !ok {
		return nil
	}
	return &monitor{m: m}
}

// stats monitors float32 weights.
func (m *monitor) stats(params []float32) ([]float64, error) {
	if m == nil {
		return nil, nil
	}
	m.p64 = grow(m.p64, len(params))
	for i, v := range params {
		m.p64[i] = float64(v)
	}
	return m.m.Monitor(m.p64)
}

// stats64 monitors float64 weights.
func (m *monitor) stats64(params []float64) ([]float64, error) {
	if m == nil {
		return nil, nil
	}
	return m.m.Monitor(params)
}
