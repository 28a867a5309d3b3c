package solve_test

import (
	"strings"
	"testing"
	"time"

	"github.com/physgrad/physgrad/loss"
	"github.com/physgrad/physgrad/method"
	"github.com/physgrad/physgrad/physics/toy"
	"github.com/physgrad/physgrad/solve"
)

func TestStatusesAndHistory(t *testing.T) {
	p := &method.Problem{Sim: toy.Scaled{Alpha: 100}, Loss: loss.SquaredNorm{}}
	gd, _ := method.New("gd", 0.01)
	r := solve.Run(p, gd, []float64{1, 1}, solve.Settings{Steps: 500, KeepIterates: true, Observe: func(x []float64) float64 { return x[0] }})
	if r.Status != solve.Diverged || !strings.Contains(r.Err.Error(), "diverged at iteration") {
		t.Fatalf("status %v err %v", r.Status, r.Err)
	}
	if len(r.X) != r.Step+1 || len(r.Metric) != len(r.Loss) || r.Metric[1] != 0.98 {
		t.Errorf("history: %d iterates after %d steps, metric %v", len(r.X), r.Step, r.Metric[:2])
	}
	slow := &method.Problem{Sim: sleepy{toy.Square{}}, Loss: loss.SquaredNorm{}}
	pg, _ := method.New("pg", 0.3)
	r = solve.Run(slow, pg, []float64{3, 3}, solve.Settings{Steps: 1000, TimeLimit: 30 * time.Millisecond})
	if r.Status != solve.TimeLimit || r.Step >= 1000 || r.Step == 0 {
		t.Errorf("time limit: status %v after %d steps", r.Status, r.Step)
	}
}

type sleepy struct{ toy.Square }

func (s sleepy) Forward(y, x []float64) error {
	time.Sleep(time.Millisecond)
	return s.Square.Forward(y, x)
}
