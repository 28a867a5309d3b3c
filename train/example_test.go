package train_test

import (
	"fmt"

	"github.com/physgrad/physgrad/problems"
	"github.com/physgrad/physgrad/train"
)

// Train R8's network (the HIG toy at λ = 0.01) with half-inverse gradients
// and with Adam, from the same initial weights and batches, for the same
// number of steps.
func ExampleRun() {
	task, err := problems.NewHIGToyTask(0.01)
	if err != nil {
		fmt.Println(err)
		return
	}
	final := map[string]float64{}
	for _, m := range []string{"hig", "adam"} {
		r := train.Run(task, train.Settings{Method: m, Steps: 2000})
		if r.Err != nil {
			fmt.Println(r.Err)
			return
		}
		final[m] = r.Log[len(r.Log)-1].Loss
		fmt.Println(m, r.Status, len(r.Log), "steps")
	}
	fmt.Println("HIG below Adam:", final["hig"] < final["adam"])
	// Output:
	// hig done 2000 steps
	// adam done 2000 steps
	// HIG below Adam: true
}
