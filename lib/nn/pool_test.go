package nn

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
)

var poolCases = []PoolConfig{
	{Input: Shape{4, 4, 1}, SizeH: 2},
	{Input: Shape{6, 4, 3}, SizeH: 3, SizeW: 2},
	{Input: Shape{5, 5, 2}, SizeH: 3, StrideH: 1, StrideW: 2}, // overlapping regions
	{Input: Shape{24, 24, 2}, SizeH: 2},
	{Input: Shape{7, 5, 1}, SizeH: 3, SizeW: 1, StrideH: 2, StrideW: 1},
}

// naivePool pools with loops over the region of every output neuron.
func naivePool(p *Pool, x *mat.Dense) *mat.Dense {
	cfg := p.Config()
	_, B := x.Dims()
	out := mat.NewDense(p.Out.Len(), B, nil)
	for s := range B {
		for c := range p.Out.Channels {
			for i := range p.Out.Height {
				for j := range p.Out.Width {
					var vals []float64
					for u := range cfg.SizeH {
						for v := range cfg.SizeW {
							vals = append(vals, x.At(p.In.Index(c, i*cfg.StrideH+u, j*cfg.StrideW+v), s))
						}
					}
					r := 0.0
					if cfg.Kind == MaxPool {
						r = math.Inf(-1)
						for _, v := range vals {
							r = math.Max(r, v)
						}
					} else {
						for _, v := range vals {
							r += v / float64(len(vals))
						}
					}
					out.Set(p.Out.Index(c, i, j), s, r)
				}
			}
		}
	}
	return out
}

func TestPool(t *testing.T) {
	for i, cfg := range poolCases {
		for _, kind := range []PoolKind{MaxPool, AvgPool} {
			t.Run(fmt.Sprintf("case%d/%v", i, kind), func(t *testing.T) {
				rng := rand.New(rand.NewPCG(9, uint64(i)))
				cfg := cfg
				cfg.Kind = kind
				p := NewPool(cfg)
				x := randomDense(p.In.Len(), 5, rng)
				if got, want := p.Forward(x, Training), naivePool(p, x); !mat.EqualApprox(got, want, 1e-12) {
					t.Fatalf("forward differs from the naive loops by %g", maxAbsDiff(got, want))
				}
				// Random normal inputs have no ties, so max pooling is
				// differentiable at x.
				checkLayerGradients(t, p, x, rng, 1e-8)
			})
		}
	}
}

func TestPoolShapes(t *testing.T) {
	for _, tc := range []struct {
		cfg  PoolConfig
		want Shape
	}{
		{PoolConfig{Input: Shape{24, 24, 20}, SizeH: 2}, Shape{12, 12, 20}},
		{PoolConfig{Input: Shape{8, 8, 40}, SizeH: 2}, Shape{4, 4, 40}},
		{PoolConfig{Input: Shape{5, 5, 1}, SizeH: 3, StrideH: 1, StrideW: 1}, Shape{3, 3, 1}},
		{PoolConfig{Input: Shape{6, 9, 2}, SizeH: 2, SizeW: 3}, Shape{3, 3, 2}},
	} {
		got, err := tc.cfg.OutputShape()
		if err != nil || got != tc.want {
			t.Errorf("%+v: %v, %v; want %v", tc.cfg, got, err, tc.want)
		}
	}
}

func TestPoolInvalid(t *testing.T) {
	for _, tc := range []struct {
		cfg  PoolConfig
		want string
	}{
		{PoolConfig{Input: Shape{5, 5, 1}, SizeH: 2}, "(5+2·0−2)/2+1 = 3/2+1 is not a whole number"},
		{PoolConfig{Input: Shape{4, 4, 1}, SizeH: 5}, "window f=5 is larger"},
		{PoolConfig{Input: Shape{4, 4, 1}}, "window f=0"},
		{PoolConfig{Input: Shape{4, 4, 1}, SizeH: 2, Kind: PoolKind(7)}, "unknown kind"},
	} {
		// OutputShape returns the message as an error, NewPool panics with it.
		_, err := tc.cfg.OutputShape()
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v.OutputShape(): error %v, want one containing %q", tc.cfg, err, tc.want)
		}
		wantPanic(t, "NewPool: pooling", func() { NewPool(tc.cfg) })
		wantPanic(t, tc.want, func() { NewPool(tc.cfg) })
	}
}

// Max pooling sends the whole gradient to the maximum of each region.
func TestMaxPoolRoutesToMaximum(t *testing.T) {
	p := NewPool(PoolConfig{Input: Shape{2, 2, 1}, SizeH: 2})
	x := mat.NewDense(4, 2, []float64{
		1, 9,
		5, 2,
		3, 4,
		0, 8,
	})
	out := p.Forward(x, Training)
	if out.At(0, 0) != 5 || out.At(0, 1) != 9 {
		t.Fatalf("max = %v, want [5 9]", mat.Formatted(out))
	}
	dx := p.Backward(mat.NewDense(1, 2, []float64{1, 10}))
	want := mat.NewDense(4, 2, []float64{0, 10, 1, 0, 0, 0, 0, 0})
	if !mat.Equal(dx, want) {
		t.Errorf("∂C/∂x =\n%v\nwant\n%v", mat.Formatted(dx), mat.Formatted(want))
	}
}

// Big batches pool the maps in parallel; every sample gets what it gets
// alone (a batch of one is pooled serially).
func TestPoolParallel(t *testing.T) {
	for _, kind := range []PoolKind{MaxPool, AvgPool} {
		rng := rand.New(rand.NewPCG(19, uint64(kind)))
		cfg := PoolConfig{Input: Shape{24, 24, 20}, Kind: kind, SizeH: 2}
		big := NewPool(cfg)
		one := NewPool(cfg)
		const B = 64
		x := randomDense(big.In.Len(), B, rng)
		g := randomDense(big.Out.Len(), B, rng)
		out := big.Forward(x, Training)
		if want := naivePool(big, x); !mat.EqualApprox(out, want, 1e-12) {
			t.Fatalf("%v: forward differs from the naive loops by %g", kind, maxAbsDiff(out, want))
		}
		dx := big.Backward(g)
		for _, s := range []int{0, 17, B - 1} {
			xs := mat.DenseCopyOf(x.Slice(0, big.In.Len(), s, s+1))
			one.Forward(xs, Training)
			want := one.Backward(mat.DenseCopyOf(g.Slice(0, big.Out.Len(), s, s+1)))
			got := mat.DenseCopyOf(dx.Slice(0, big.In.Len(), s, s+1))
			if !mat.Equal(got, want) {
				t.Errorf("%v: sample %d's input gradient differs in the batch by %g", kind, s, maxAbsDiff(got, want))
			}
		}
	}
}
