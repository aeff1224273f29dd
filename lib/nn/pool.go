package nn

import (
	"cmp"
	"fmt"
	"strings"

	"gonum.org/v1/gonum/mat"

	"github.com/redesneuronales/course/lib/nn/internal/kernel"
)

// PoolKind is the function a pooling layer applies to each region (§6.2).
type PoolKind int

const (
	// MaxPool keeps the largest value of each region: P = max_{(i,j)∈R} A_ij.
	MaxPool PoolKind = iota
	// AvgPool keeps the mean of each region: P = (1/|R|) Σ_{(i,j)∈R} A_ij.
	AvgPool
)

func (k PoolKind) String() string {
	switch k {
	case MaxPool:
		return "max"
	case AvgPool:
		return "average"
	}
	return fmt.Sprintf("PoolKind(%d)", int(k))
}

// PoolConfig configures a pooling layer (§6.2, §6.3). Zero values mean the
// documented defaults.
type PoolConfig struct {
	// Input is m × n × k; pooling acts on each of the k maps separately.
	Input Shape
	// Kind is max or average pooling; the zero value is MaxPool.
	Kind PoolKind
	// SizeH and SizeW are the region's size r_H × r_W; SizeW 0 means SizeH.
	SizeH, SizeW int
	// StrideH and StrideW are the stride; 0 means the region's size
	// (regions side by side, not overlapping).
	StrideH, StrideW int
}

func (cfg PoolConfig) withDefaults() PoolConfig {
	cfg.SizeW = cmp.Or(cfg.SizeW, cfg.SizeH)
	cfg.StrideH = cmp.Or(cfg.StrideH, cfg.SizeH)
	cfg.StrideW = cmp.Or(cfg.StrideW, cfg.SizeW)
	return cfg
}

// OutputShape returns ((m − r_H)/S_H + 1) × ((n − r_W)/S_W + 1) × k, or an
// error naming the numbers when the configuration is invalid.
func (cfg PoolConfig) OutputShape() (Shape, error) {
	cfg = cfg.withDefaults()
	if !cfg.Input.valid() {
		return Shape{}, fmt.Errorf("nn: pooling: input m×n×k = %v must have positive sizes", cfg.Input)
	}
	if cfg.Kind != MaxPool && cfg.Kind != AvgPool {
		return Shape{}, fmt.Errorf("nn: pooling: unknown kind %v", cfg.Kind)
	}
	h, err := outputSize(cfg.Input.Height, cfg.SizeH, 0, cfg.StrideH)
	if err != nil {
		return Shape{}, fmt.Errorf("nn: pooling, height: %w", err)
	}
	w, err := outputSize(cfg.Input.Width, cfg.SizeW, 0, cfg.StrideW)
	if err != nil {
		return Shape{}, fmt.Errorf("nn: pooling, width: %w", err)
	}
	return Shape{Height: h, Width: w, Channels: cfg.Input.Channels}, nil
}

// Pool is a max or average pooling layer (§6.2): each map is cut into
// regions of r_H × r_W moved with stride (S_H, S_W), and each region gives
// one output neuron. It has no parameters. Regions may overlap (a stride
// smaller than the region); their gradients then add up.
//
// Inputs and outputs are columns of shape In and Out, one per sample (see
// Shape). For max pooling, ties go to the first maximum in row-major order
// within the region, which alone receives the gradient.
type Pool struct {
	In, Out Shape
	cfg     PoolConfig

	out, dx *mat.Dense
	arg     []int32 // max pooling: input row of each output's maximum
	// The input of the last Forward and the gradient of the last Backward,
	// and the passes over a range of maps bound to the layer once (by
	// NewPool), so that sharing them between goroutines allocates nothing.
	x, dout                 *mat.Dense
	forwardRun, backwardRun func(w, c0, c1 int)
}

// NewPool returns a pooling layer. It panics, naming the numbers, when the
// configuration is impossible (a size that is not positive, a region
// larger than the input, a stride that does not fit, an unknown kind); to
// validate a configuration without a panic, call cfg.OutputShape first: it
// returns the same message as an error.
func NewPool(cfg PoolConfig) *Pool {
	cfg = cfg.withDefaults()
	out, err := cfg.OutputShape()
	if err != nil {
		panic("nn: NewPool: " + strings.TrimPrefix(err.Error(), "nn: "))
	}
	p := &Pool{In: cfg.Input, Out: out, cfg: cfg}
	p.forwardRun, p.backwardRun = p.forwardMaps, p.backwardMaps
	return p
}

// Config returns the layer's configuration with defaults filled in.
func (p *Pool) Config() PoolConfig { return p.cfg }

// Params returns nil: pooling has nothing to learn.
func (p *Pool) Params() []*Param { return nil }

func (p *Pool) String() string {
	s := fmt.Sprintf("%sPool(%v→%v, %d×%d", map[PoolKind]string{MaxPool: "Max", AvgPool: "Avg"}[p.cfg.Kind], p.In, p.Out, p.cfg.SizeH, p.cfg.SizeW)
	if p.cfg.StrideH != p.cfg.SizeH || p.cfg.StrideW != p.cfg.SizeW {
		s += fmt.Sprintf(", stride %d×%d", p.cfg.StrideH, p.cfg.StrideW)
	}
	return s + ")"
}

// Forward pools the batch x (In.Len() × batch). The output is
// Out.Len() × batch.
func (p *Pool) Forward(x *mat.Dense, mode Mode) *mat.Dense {
	r, B := x.Dims()
	if r != p.In.Len() {
		panic(fmt.Sprintf("nn: Pool.Forward: input has %d rows, layer expects %v = %d (one column per sample)", r, p.In, p.In.Len()))
	}
	p.out = reuse(p.out, p.Out.Len(), B)
	cfg := p.cfg
	if cfg.Kind == MaxPool {
		if cap(p.arg) < p.Out.Len()*B {
			p.arg = make([]int32, p.Out.Len()*B)
		}
		p.arg = p.arg[:p.Out.Len()*B]
	}
	p.x = x
	byMaps(p.In.Channels, p.Out.Len()*B*cfg.SizeH*cfg.SizeW, p.forwardRun)
	return p.out
}

// forwardMaps pools maps [c0, c1) of the input of the last Forward.
func (p *Pool) forwardMaps(_, c0, c1 int) {
	X, O := p.x.RawMatrix(), p.out.RawMatrix()
	_, B := p.x.Dims()
	cfg := p.cfg
	isMax := cfg.Kind == MaxPool
	inv := 1 / float64(cfg.SizeH*cfg.SizeW)
	perMap := p.Out.Height * p.Out.Width
	for ch := c0; ch < c1; ch++ {
		o := ch * perMap
		for i := range p.Out.Height {
			for j := range p.Out.Width {
				dst := O.Data[o*O.Stride : o*O.Stride+B]
				var arg []int32
				if isMax {
					arg = p.arg[o*B : (o+1)*B]
				}
				for u := range cfg.SizeH {
					for v := range cfg.SizeW {
						r := p.In.Index(ch, i*cfg.StrideH+u, j*cfg.StrideW+v)
						src := X.Data[r*X.Stride : r*X.Stride+B]
						switch {
						case u == 0 && v == 0:
							copy(dst, src)
							if isMax {
								for s := range arg {
									arg[s] = int32(r)
								}
							}
						case isMax:
							kernel.MaxInto(dst, arg, src, int32(r))
						default:
							for s, val := range src {
								dst[s] += val
							}
						}
					}
				}
				if !isMax {
					for s := range dst {
						dst[s] *= inv
					}
				}
				o++
			}
		}
	}
}

// byMaps calls f on ranges of the n maps that cover them, in parallel when
// the work (element operations) pays for starting goroutines.
func byMaps(n, work int, f func(w, c0, c1 int)) {
	if work < 1<<14 {
		f(0, 0, n)
		return
	}
	kernel.ParallelWorkers(n, kernel.ParallelWork, f)
}

// Backward routes ∂C/∂output back to the input: to the maximum of each
// region for max pooling, spread evenly over the region for average
// pooling.
func (p *Pool) Backward(dout *mat.Dense) *mat.Dense {
	or, B := checkGrad("Pool.Backward", p.out, dout)
	p.dx = reuse(p.dx, p.In.Len(), B)
	p.dout = dout
	// Maps are independent: regions never cross from one map to another.
	byMaps(p.In.Channels, or*B*p.cfg.SizeH*p.cfg.SizeW, p.backwardRun)
	return p.dx
}

// backwardMaps routes the gradient of the last Backward for maps [c0, c1).
func (p *Pool) backwardMaps(_, c0, c1 int) {
	G, D := p.dout.RawMatrix(), p.dx.RawMatrix()
	_, B := p.out.Dims()
	cfg := p.cfg
	inv := 1 / float64(cfg.SizeH*cfg.SizeW)
	inMap, perMap := p.In.Height*p.In.Width, p.Out.Height*p.Out.Width
	clear(D.Data[c0*inMap*D.Stride : c1*inMap*D.Stride])
	if cfg.Kind == MaxPool {
		for o := c0 * perMap; o < c1*perMap; o++ {
			g := G.Data[o*G.Stride : o*G.Stride+B]
			for s, r := range p.arg[o*B : (o+1)*B] {
				D.Data[int(r)*D.Stride+s] += g[s]
			}
		}
		return
	}
	for ch := c0; ch < c1; ch++ {
		o := ch * perMap
		for i := range p.Out.Height {
			for j := range p.Out.Width {
				g := G.Data[o*G.Stride : o*G.Stride+B]
				for u := range cfg.SizeH {
					for v := range cfg.SizeW {
						r := p.In.Index(ch, i*cfg.StrideH+u, j*cfg.StrideW+v)
						dst := D.Data[r*D.Stride : r*D.Stride+B]
						for s, val := range g {
							dst[s] += val * inv
						}
					}
				}
				o++
			}
		}
	}
}
