package problems_test

import (
	"fmt"

	"github.com/physgrad/physgrad/problems"
	"github.com/physgrad/physgrad/train"
)

// Train the heat problem's U-Net with SIP from the authors' initial
// weights (what torch.manual_seed(0) gives their network), a few small
// steps.
func ExampleTorchUNetWeights() {
	task, err := problems.NewHeatTask(64)
	if err != nil {
		fmt.Println(err)
		return
	}
	w, err := problems.TorchUNetWeights()
	if err != nil {
		fmt.Println(err)
		return
	}
	r := train.Run(task, train.Settings{Method: "sip", Batch: 4, Steps: 5, InitWeights: w})
	if r.Err != nil {
		fmt.Println(r.Err)
		return
	}
	fmt.Println("weights:", len(w))
	fmt.Println("x error falls:", r.Log[4].XL2 < r.Log[0].XL2)
	// Output:
	// weights: 37697
	// x error falls: true
}
