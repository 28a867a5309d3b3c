package problems

import (
	"bytes"
	_ "embed"
	"fmt"
	"math"
	"os"
	"strings"

	"codeberg.org/sbinet/npyio"
)

// unetTorchSeed0 holds the 37,697 weights torch.manual_seed(0) followed by
// phiflow's u_net(1, 1) gives (torch 1.13 CPU; bench/unet_torch_init.py
// exports them): the initialisation the authors' heat and Poisson scripts
// start from. nn's TestUNetMatchesTorch checks that our U-Net computes
// torch's outputs and gradients from these weights.
//
//go:embed weights/unet_torch_seed0.npy
var unetTorchSeed0 []byte

// Names of the initialisations a training run can start from, as the CLI's
// --init takes them (besides a .npy path); a run gets the weights as
// train.Settings.InitWeights.
const (
	// InitSeed draws the weights from Settings.Seed with PyTorch's default
	// distributions (nn.NewMLP, nn.NewUNet).
	InitSeed = "seed"
	// InitTorch uses the exact weights torch.manual_seed(0) gives the
	// authors' network (U-Net problems only), so a run starts where the
	// published one did.
	InitTorch = "torch"
)

// TorchUNetWeights returns the authors' initial U-Net weights (see
// InitTorch) in PyTorch's state_dict order, which is nn.NewUNet's
// parameter layout.
func TorchUNetWeights() ([]float32, error) {
	var w []float32
	if err := npyio.Read(bytes.NewReader(unetTorchSeed0), &w); err != nil {
		return nil, fmt.Errorf("embedded torch U-Net weights: %v", err)
	}
	return w, nil
}

// ReadWeights reads initial weights from a .npy file: one float32 or
// float64 array of any shape, taken in C order (a torch state_dict
// flattened parameter by parameter, for example). want is the network's
// parameter count; errors name the file and what is wrong.
func ReadWeights(path string, want int) ([]float32, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r, err := npyio.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("%s: not a .npy file: %v", path, err)
	}
	h := r.Header
	if h.Descr.Fortran {
		return nil, fmt.Errorf("%s: Fortran-ordered array; save it in C order (numpy.ascontiguousarray)", path)
	}
	// The product of the dimensions, stopped once it passes want so that a
	// corrupt header cannot overflow it.
	n := 1
	for _, d := range h.Descr.Shape {
		if d < 0 || n > want {
			n = -1
			break
		}
		n *= d
	}
	if n != want {
		count := fmt.Sprint(n)
		if n < 0 {
			count = fmt.Sprint("more than ", want)
		}
		return nil, fmt.Errorf("%s: %s values (shape %v), the network has %d parameters", path, count, h.Descr.Shape, want)
	}
	var w []float32
	switch strings.Trim(h.Descr.Type, `'"`) {
	case "<f4", "|f4", ">f4":
		err = r.Read(&w)
	case "<f8", "|f8", ">f8":
		var w64 []float64
		if err = r.Read(&w64); err == nil {
			w = make([]float32, len(w64))
			for i, v := range w64 {
				w[i] = float32(v)
			}
		}
	default:
		return nil, fmt.Errorf("%s: element type %s, want float32 or float64", path, h.Descr.Type)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	if len(w) != want {
		return nil, fmt.Errorf("%s: read %d values, the network has %d parameters", path, len(w), want)
	}
	for i, v := range w {
		if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
			return nil, fmt.Errorf("%s: value %d is %v", path, i, v)
		}
	}
	return w, nil
}
