package train

import (
	"errors"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/physgrad/physgrad/nn"
)

// lineTask learns x from y = 2x with a small MLP; from step poison on its
// inputs are NaN.
type lineTask struct{ poison int }

func (t *lineTask) Name() string { return "line" }
func (t *lineTask) XSize() int   { return 1 }
func (t *lineTask) YSize() int   { return 1 }
func (t *lineTask) NewNet(seed uint64) (*nn.Net[float32], error) {
	return nn.NewMLP[float32]([]int{1, 8, 1}, nn.Tanh, seed)
}
func (t *lineTask) Batch(seed uint64, step, batch int, in []float32, xTrue, yT []float64) error {
	for i := 0; i < batch; i++ {
		xTrue[i] = float64(i%7)/7 - 0.5
		yT[i] = 2 * xTrue[i]
		in[i] = float32(yT[i])
		if t.poison > 0 && step >= t.poison {
			in[i] = float32(math.NaN())
		}
	}
	return nil
}
func (t *lineTask) Decode(x []float64, out []float32, yT []float64, b int) {
	for i := range x {
		x[i] = float64(out[i])
	}
}
func (t *lineTask) DecodeVJP(dout []float32, dx []float64, b int) {
	for i := range dx {
		dout[i] = float32(dx[i])
	}
}
func (t *lineTask) Forward(y, x []float64, b int) error {
	for i := range x {
		y[i] = 2 * x[i]
	}
	return nil
}
func (t *lineTask) VJP(dx, x, dy []float64, b int) error {
	for i := range dy {
		dx[i] = 2 * dy[i]
	}
	return nil
}
func (t *lineTask) SIPTarget(xt, x, y, yT []float64, b int) error {
	for i := range x {
		xt[i] = x[i] + (yT[i]-y[i])/2
	}
	return nil
}
func (t *lineTask) Metrics(x, xTrue, y, yT []float64, b int) Metrics {
	var m Metrics
	for i := range x {
		m.XL1 += math.Abs(x[i]-xTrue[i]) / float64(b)
	}
	return m
}
func (t *lineTask) Conventions() Conventions { return Conventions{LR: 1e-2, Batch: 14} }

func TestEveryMethodLearnsTheLine(t *testing.T) {
	for _, m := range []string{"sip", "adam", "supervised", "sgd", "rmsprop"} {
		r := Run(&lineTask{}, Settings{Method: m, Steps: 400, LR: 1e-2})
		if r.Err != nil {
			t.Fatalf("%s: %v", m, r.Err)
		}
		first, last := r.Log[0].XL1, r.Log[len(r.Log)-1].XL1
		if !(last < 0.2*first) {
			t.Errorf("%s: x_l1 %.3g → %.3g", m, first, last)
		}
	}
}

func TestSameInitialisationForEveryMethod(t *testing.T) {
	a := Run(&lineTask{}, Settings{Method: "sip", Steps: 1})
	b := Run(&lineTask{}, Settings{Method: "adam", Steps: 1})
	if a.Log[0].XL1 != b.Log[0].XL1 {
		t.Errorf("step 0 metrics differ: %v vs %v", a.Log[0], b.Log[0])
	}
}

func TestNonFiniteStopsAndKeepsLastGoodCheckpoint(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "ck")
	r := Run(&lineTask{poison: 7}, Settings{Method: "sip", Steps: 50, Checkpoint: dir, CheckpointEvery: 3})
	if r.Status != Diverged || !errors.Is(r.Err, ErrNonFinite) || !strings.Contains(r.Err.Error(), "step 7") {
		t.Fatalf("status %v, err %v: want divergence reported at step 7", r.Status, r.Err)
	}
	if len(r.Log) != 7 {
		t.Errorf("%d logged steps, want 7", len(r.Log))
	}
	c, err := LoadCheckpoint(dir)
	if err != nil {
		t.Fatal(err)
	}
	if c.Step != 5 {
		t.Errorf("checkpoint at step %d, want the last periodic one, 5", c.Step)
	}
	for _, v := range r.Net.Params() {
		if math.IsNaN(float64(v)) {
			t.Fatal("weights were updated with a non-finite gradient")
		}
	}
}

func TestCheckpointMismatch(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "ck")
	Run(&lineTask{}, Settings{Method: "sip", Steps: 3, Checkpoint: dir})
	c, err := LoadCheckpoint(dir)
	if err != nil {
		t.Fatal(err)
	}
	for name, s := range map[string]Settings{
		"method": {Method: "adam"}, "seed": {Method: "sip", Seed: 4}, "batch": {Method: "sip", Batch: 3},
	} {
		if err := c.Check(&lineTask{}, s); !errors.Is(err, ErrMismatch) {
			t.Errorf("%s: %v, want a mismatch", name, err)
		}
	}
	if err := c.Check(&lineTask{}, Settings{Method: "sip", Batch: 14}); err != nil {
		t.Errorf("matching settings rejected: %v", err)
	}
}
