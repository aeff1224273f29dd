package kernel

import (
	"fmt"
	"sync"

	"gonum.org/v1/gonum/floats"
)

// The element-wise operations below touch every entry once; above
// ParallelWork they are shared between the waiting goroutines of
// ParallelWorkers in spans of spanLen entries (a multiple of the vector
// kernels' 8), through pooled tasks, so a call allocates nothing.

// spanLen is the number of entries in one span of an element-wise task.
const spanLen = 512

// spanTask is an element-wise operation shared between goroutines: op is a
// top-level function (a method value or closure would be allocated per
// call) applied to the spans [i0, i1); run, bound once to the task, is
// what ParallelWorkers calls.
type spanTask struct {
	op       func(t *spanTask, i0, i1 int)
	dst, src []float64
	alpha    float64
	ldd, lds int // transposes: strides in elements
	rows     int // transposes: rows of src
	cols     int // transposes: columns of src
	run      func(_, i0, i1 int)
}

var spanTasks = sync.Pool{New: func() any {
	t := new(spanTask)
	t.run = func(_, i0, i1 int) { t.op(t, i0, i1) }
	return t
}}

// runSpans calls op on spans [0, n) of t, in parallel when work (in
// element operations) is at least ParallelWork, and returns t to the pool.
func runSpans(t *spanTask, n, work int) {
	ParallelWorkers(n, work, t.run)
	*t = spanTask{run: t.run} // drop the slices
	spanTasks.Put(t)
}

// spans returns the number of spans of length spanLen that cover n entries.
func spans(n int) int { return (n + spanLen - 1) / spanLen }

// span returns the entries [i0·spanLen, i1·spanLen) of s, cut at len(s).
func span(s []float64, i0, i1 int) []float64 {
	return s[i0*spanLen : min(i1*spanLen, len(s))]
}

// Sigmoid sets dst[i] = σ(src[i]) = 1/(1 + e^(−src[i])) for every i; dst
// and src have the same length and may be the same slice. On AVX-512 the
// exponential is vectorized (within a few units in the last place of
// math.Exp); elsewhere it is math.Exp in the form that never overflows.
// Long slices are shared between the cores (an exponential costs about 16
// multiply-adds).
func Sigmoid(dst, src []float64) {
	if len(dst) != len(src) {
		panic(fmt.Sprintf("nn: kernel.Sigmoid: %d outputs for %d inputs", len(dst), len(src)))
	}
	if work := 16 * len(src); work < ParallelWork || Workers() < 2 {
		sigmoidSerial(dst, src)
		return
	}
	t := spanTasks.Get().(*spanTask)
	t.op, t.dst, t.src = sigmoidSpans, dst, src
	runSpans(t, spans(len(src)), 16*len(src))
}

func sigmoidSpans(t *spanTask, i0, i1 int) { sigmoidSerial(span(t.dst, i0, i1), span(t.src, i0, i1)) }

// AddScaled sets y[i] += alpha·x[i] for every i (BLAS axpy), sharing long
// slices between the cores. It panics if the lengths differ.
func AddScaled(y []float64, alpha float64, x []float64) {
	if len(y) != len(x) {
		panic(fmt.Sprintf("nn: kernel.AddScaled: %d entries to update from %d", len(y), len(x)))
	}
	if len(y) < ParallelWork || Workers() < 2 {
		floats.AddScaled(y, alpha, x)
		return
	}
	t := spanTasks.Get().(*spanTask)
	t.op, t.dst, t.src, t.alpha = addScaledSpans, y, x, alpha
	runSpans(t, spans(len(y)), len(y))
}

func addScaledSpans(t *spanTask, i0, i1 int) {
	floats.AddScaled(span(t.dst, i0, i1), t.alpha, span(t.src, i0, i1))
}

// transposeTile is the side of the square tiles in which Transpose works,
// so that its reads and strided writes stay within a few cache lines.
const transposeTile = 16

// Transpose sets dst = srcᵀ for src of rows × cols entries stored with row
// stride lds and dst of cols × rows entries stored with row stride ldd (in
// elements). Large matrices are shared between the cores by bands of rows
// of src. It panics if a slice is too short.
func Transpose(dst []float64, ldd int, src []float64, lds int, rows, cols int) {
	if rows == 0 || cols == 0 {
		return
	}
	if len(src) < (rows-1)*lds+cols || len(dst) < (cols-1)*ldd+rows {
		panic(fmt.Sprintf("nn: kernel.Transpose: slices of %d and %d too short for %d×%d", len(src), len(dst), rows, cols))
	}
	bands := (rows + transposeTile - 1) / transposeTile
	if rows*cols < ParallelWork || Workers() < 2 {
		transposeBands(dst, ldd, src, lds, rows, cols, 0, bands)
		return
	}
	t := spanTasks.Get().(*spanTask)
	t.op, t.dst, t.src, t.ldd, t.lds, t.rows, t.cols = transposeSpans, dst, src, ldd, lds, rows, cols
	runSpans(t, bands, rows*cols)
}

func transposeSpans(t *spanTask, b0, b1 int) {
	transposeBands(t.dst, t.ldd, t.src, t.lds, t.rows, t.cols, b0, b1)
}

// transposeBands transposes the bands [b0, b1) of transposeTile rows of src.
func transposeBands(dst []float64, ldd int, src []float64, lds int, rows, cols, b0, b1 int) {
	const tile = transposeTile
	for i0 := b0 * tile; i0 < min(b1*tile, rows); i0 += tile {
		i1 := min(i0+tile, rows)
		for j0 := 0; j0 < cols; j0 += tile {
			j1 := min(j0+tile, cols)
			for i := i0; i < i1; i++ {
				row := src[i*lds+j0 : i*lds+j1]
				out := dst[j0*ldd+i:]
				for k, v := range row {
					out[k*ldd] = v
				}
			}
		}
	}
}

// Fill sets every entry of dst to v, with the processor's widest stores
// (copy, doubling the filled part).
func Fill(dst []float64, v float64) {
	if len(dst) == 0 {
		return
	}
	dst[0] = v
	for k := 1; k < len(dst); k *= 2 {
		copy(dst[k:], dst[:k])
	}
}
