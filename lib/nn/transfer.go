package nn

import "fmt"

// CopyLayers initializes dst from a network trained on a related task
// (§4.3): it copies the parameters of layer l of src into layer l of dst
// for every l given in layers (counted from 0), or, when none is given,
// for every position where the two layers' parameters have the same
// names and shapes, such as the hidden layers of two 784-30-10 networks
// trained on different digits. It returns the positions copied. With
// explicit layers it panics if one does not fit.
func CopyLayers(dst, src *Network, layers ...int) []int {
	fits := func(l int) error {
		if l < 0 || l >= len(dst.Layers) || l >= len(src.Layers) {
			return fmt.Errorf("layer %d is outside the networks (%d and %d layers)", l, len(dst.Layers), len(src.Layers))
		}
		dp, sp := dst.Layers[l].Params(), src.Layers[l].Params()
		if len(dp) != len(sp) {
			return fmt.Errorf("layer %d has %d parameters in dst and %d in src", l, len(dp), len(sp))
		}
		for i := range dp {
			dr, dc := dp[i].Value.Dims()
			sr, sc := sp[i].Value.Dims()
			if dp[i].Name != sp[i].Name || dr != sr || dc != sc {
				return fmt.Errorf("layer %d: %s is %d×%d in dst, %s is %d×%d in src", l, dp[i].Name, dr, dc, sp[i].Name, sr, sc)
			}
		}
		return nil
	}
	var copied []int
	if len(layers) == 0 {
		for l := range min(len(dst.Layers), len(src.Layers)) {
			if len(dst.Layers[l].Params()) > 0 && fits(l) == nil {
				copied = append(copied, l)
			}
		}
	} else {
		for _, l := range layers {
			if err := fits(l); err != nil {
				panic("nn: CopyLayers: " + err.Error())
			}
		}
		copied = append(copied, layers...)
	}
	for _, l := range copied {
		sp := src.Layers[l].Params()
		for i, p := range dst.Layers[l].Params() {
			p.Value.Copy(sp[i].Value)
		}
	}
	return copied
}
