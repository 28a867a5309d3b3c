package problems

import (
	"testing"

	"github.com/physgrad/physgrad/train"
)

// Heat training at batch 128 (SIP and Adam, the published setting) stays
// below 2 GiB of resident memory. The peak is the whole test process's,
// so it bounds the training's from above.
func TestHeatTrainingPeakMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("a few full-size heat steps")
	}
	task, err := NewHeatTask(64)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range []string{"sip", "adam"} {
		if r := train.Run(task, train.Settings{Method: m, Steps: 2}); r.Err != nil {
			t.Fatal(r.Err)
		}
	}
	rss := peakRSS()
	if rss == 0 {
		t.Skip("peak resident memory not available on this system")
	}
	t.Logf("peak resident memory after heat training at batch 128: %.0f MB", rss/1e6)
	if rss > 2<<30 {
		t.Errorf("peak resident memory %.0f MB above 2 GiB", rss/1e6)
	}
}
