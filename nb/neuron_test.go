package nb

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/redesneuronales/course/lib/nn"
	"github.com/redesneuronales/course/lib/plotting"
)

func TestScalarActivationsAreDistinctAndElementWise(t *testing.T) {
	seen := map[string]bool{}
	for _, a := range ScalarActivations() {
		name := a.String()
		if seen[name] {
			t.Errorf("activation %s listed twice", name)
		}
		seen[name] = true
		// Apply must agree with F element by element.
		z := mat.NewDense(1, 3, []float64{-1.5, 0.25, 2})
		out := mat.NewDense(1, 3, nil)
		a.Apply(out, z)
		for j := range 3 {
			if got, want := out.At(0, j), a.F(z.At(0, j)); got != want {
				t.Errorf("%s: Apply gives %v at z = %v, F gives %v", name, got, z.At(0, j), want)
			}
		}
	}
	for _, want := range []string{"linear", "step", "sigmoid", "tanh", "relu", "swish"} {
		if !seen[want] {
			t.Errorf("activation %s missing from %v", want, seen)
		}
	}
}

func TestShapeOf(t *testing.T) {
	for _, tc := range []struct {
		m    mat.Matrix
		want string
	}{
		{mat.NewDense(30, 784, nil), "30×784"},
		{mat.NewDense(1, 1, nil), "1×1"},
		{mat.NewDense(2, 3, nil).T(), "3×2"},
	} {
		if got := ShapeOf(tc.m); got != tc.want {
			t.Errorf("ShapeOf = %q, want %q", got, tc.want)
		}
	}
}

func TestCollapseLinear(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, sizes := range [][]int{{3, 2}, {2, 5, 4, 3}, {4, 1, 6, 2, 2}} {
		net := nn.NewMLP(sizes, nn.MLPConfig{Hidden: nn.Linear{}, Init: nn.InitNormal}, rng)
		w, b := CollapseLinear(net)
		if r, c := w.Dims(); r != sizes[len(sizes)-1] || c != sizes[0] {
			t.Errorf("%v: collapsed W is %d×%d", sizes, r, c)
		}
		x := mat.NewDense(sizes[0], 5, nil)
		for i := range sizes[0] {
			for j := range 5 {
				x.Set(i, j, rng.NormFloat64())
			}
		}
		var got mat.Dense
		got.Mul(w, x)
		r, c := got.Dims()
		for i := range r {
			for j := range c {
				got.Set(i, j, got.At(i, j)+b.At(i, 0))
			}
		}
		want := net.Forward(x, nn.Inference)
		if !mat.EqualApprox(&got, want, 1e-12) {
			t.Errorf("%v: collapsed map gives\n%v\nthe network gives\n%v", sizes, mat.Formatted(&got), mat.Formatted(want))
		}
	}
	for name, net := range map[string]*nn.Network{
		"sigmoid hidden": nn.NewMLP([]int{2, 3, 1}, nn.MLPConfig{Output: nn.Linear{}}, rng),
		"sigmoid output": nn.NewMLP([]int{2, 3, 1}, nn.MLPConfig{Hidden: nn.Linear{}, Output: nn.Sigmoid{}}, rng),
	} {
		func() {
			defer func() {
				if r := recover(); r == nil || !strings.Contains(r.(string), "only linear layers collapse") {
					t.Errorf("%s: recovered %v, want a panic", name, r)
				}
			}()
			CollapseLinear(net)
		}()
	}
}

func TestXOR(t *testing.T) {
	data := XOR(XORConfig{N: 400, Noise: 0.2}, rand.New(rand.NewPCG(1, 2)))
	if err := data.Validate(); err != nil {
		t.Fatal(err)
	}
	if data.Len() != 400 {
		t.Fatalf("%d points, want 400", data.Len())
	}
	counts := [2]int{}
	for i, l := range data.Labels {
		counts[l]++
		x1, x2 := data.X.At(0, i), data.X.At(1, i)
		// With noise 0.2 a point leaves its quadrant with probability ~1e-6.
		if want := 0; (x1 > 0) != (x2 > 0) {
			want = 1
			if l != want {
				t.Errorf("point (%.2f, %.2f) has label %d, want the XOR %d", x1, x2, l, want)
			}
		} else if l != want {
			t.Errorf("point (%.2f, %.2f) has label %d, want the XOR %d", x1, x2, l, want)
		}
		if data.Y.At(l, i) != 1 || data.Y.At(1-l, i) != 0 {
			t.Errorf("Y column %d is not the one-hot of %d", i, l)
		}
	}
	if counts[0] != 200 || counts[1] != 200 {
		t.Errorf("class counts %v, want 200 each", counts)
	}
	d := XOR(XORConfig{}, rand.New(rand.NewPCG(1, 2)))
	if d.Len() != 200 {
		t.Errorf("default N gives %d points, want 200", d.Len())
	}
	// Zero noise is no noise: every point is a corner (±1, ±1).
	for i := range d.Len() {
		if x, y := d.X.At(0, i), d.X.At(1, i); math.Abs(x) != 1 || math.Abs(y) != 1 {
			t.Fatalf("XORConfig{}: point %d at (%v, %v), want a corner", i, x, y)
		}
	}
}

func TestClassSeries(t *testing.T) {
	data := &nn.Dataset{
		X:      mat.NewDense(2, 4, []float64{0, 1, 2, 3, 10, 11, 12, 13}),
		Y:      nn.OneHot([]int{1, 0, 1, 2}, 3),
		Labels: []int{1, 0, 1, 2},
	}
	s := ClassSeries(data)
	if len(s) != 3 {
		t.Fatalf("%d series, want 3", len(s))
	}
	if s[1].Name != "class 1" || len(s[1].X) != 2 || s[1].X[1] != 2 || s[1].Y[1] != 12 {
		t.Errorf("class 1 series %+v", s[1])
	}
	if len(s[0].X) != 1 || s[0].X[0] != 1 || s[0].Y[0] != 11 {
		t.Errorf("class 0 series %+v", s[0])
	}
}

func TestOutputMarginAndDecisionRegions(t *testing.T) {
	// A linear network whose output difference is a₂ − a₁ = x₁ − 2x₂ + 1.
	l := nn.NewDense(2, 2, nn.Linear{}, nn.InitNormal, rand.New(rand.NewPCG(1, 1)))
	l.W.Value.Copy(mat.NewDense(2, 2, []float64{0, 1, 1, -1}))
	l.B.Value.Copy(mat.NewDense(2, 1, []float64{-0.5, 0.5}))
	net := nn.NewNetwork(nil, l)
	f := OutputMargin(net)
	for _, x := range [][2]float64{{0, 0}, {1, 2}, {-3, 0.5}} {
		want := x[0] - 2*x[1] + 1
		if got := f(x[0], x[1]); math.Abs(got-want) > 1e-12 {
			t.Errorf("margin at %v = %v, want %v", x, got, want)
		}
	}
	data := XOR(XORConfig{N: 20, Noise: 0.3}, rand.New(rand.NewPCG(1, 2)))
	p := DecisionRegions(plotting.Config{Title: "regions"}, net, data, plotting.Range{Min: -2, Max: 2, N: 40}, plotting.Range{Min: -2, Max: 2, N: 40})
	if _, err := plotting.PNG(p, 0, 0, 0); err != nil {
		t.Fatal(err)
	}
	three := nn.NewNetwork(nil, nn.NewDense(2, 3, nil, nn.InitNormal, rand.New(rand.NewPCG(1, 1))))
	defer func() {
		if r := recover(); r == nil {
			t.Error("a network with 3 outputs did not panic")
		}
	}()
	OutputMargin(three)(0, 0)
}
