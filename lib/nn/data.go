package nn

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/redesneuronales/course/lib/nn/internal/kernel"
)

// Dataset is a set of samples in the notes' layout: X holds one input per
// column (n_0 × N) and Y the matching targets ŷ (n_L × N). Labels holds the
// class of each sample for classification (nil for regression); for
// one-hot targets Labels[i] is the row of the 1 in column i of Y.
//
// Treat X and Y as read-only once the Dataset has been used for training
// or evaluation: those keep a copy with one row per sample, made once and
// reused while X and Y are the same matrices. To change the data, build a
// new Dataset.
type Dataset struct {
	X, Y   *mat.Dense
	Labels []int

	rows *sampleRowsCache
	// valid holds the X and Y that validForTraining last found finite.
	valid struct{ x, y *mat.Dense }
}

// sampleRowsCache holds Xᵀ and Yᵀ and the matrices they were made from.
//
// It is the one place outside the kernels where the data is stored with
// one row per sample, and it stays because of how minibatches are drawn:
// a minibatch is a random set of samples, and with one column per sample
// the n_0 inputs of a sample lie N entries apart in X, so gathering m
// samples reads n_0·m scattered entries of a matrix of hundreds of
// megabytes (MNIST: 784 × 50,000), each from another cache line. In Xᵀ a
// sample is one contiguous row, copied in one move (train.go's
// gatherRows; BenchmarkGatherMinibatch measures both ways). The first layer then reads those rows in place
// (Network.forwardRows, Dense.forwardRows, kernel.Products.AffineRows):
// they are the transposed copy its products want anyway. Training and
// evaluation (Network.eachChunk) read the cache; it is made once per data
// set and kept while X and Y are the same matrices, hence the rule that
// they are read-only.
type sampleRowsCache struct {
	x, y   *mat.Dense
	xT, yT *mat.Dense
}

// sampleRows returns Xᵀ and Yᵀ (one row per sample), cached.
func (d *Dataset) sampleRows() (xT, yT *mat.Dense) {
	if c := d.rows; c != nil && c.x == d.X && c.y == d.Y {
		return c.xT, c.yT
	}
	d.rows = &sampleRowsCache{x: d.X, y: d.Y, xT: transposed(d.X), yT: transposed(d.Y)}
	return d.rows.xT, d.rows.yT
}

// transposed returns a new matrix holding mᵀ.
func transposed(m *mat.Dense) *mat.Dense {
	r, c := m.Dims()
	t := mat.NewDense(c, r, nil)
	transpose(t, m)
	return t
}

// transpose sets dst = srcᵀ (kernel.Transpose: tiled, and shared between
// the cores when large).
func transpose(dst, src *mat.Dense) {
	s, d := src.RawMatrix(), dst.RawMatrix()
	if d.Rows != s.Cols || d.Cols != s.Rows {
		panic(shapeError("transpose", s.Rows, s.Cols, d.Cols, d.Rows))
	}
	kernel.Transpose(d.Data, d.Stride, s.Data, s.Stride, s.Rows, s.Cols)
}

// Len returns the number of samples N.
func (d *Dataset) Len() int {
	_, n := d.X.Dims()
	return n
}

// Validate checks that X, Y and Labels describe the same number of samples,
// that every label indexes a row of Y, and that every input and target is
// a finite number. It returns an error naming the first problem, such as
// "input feature 1 of sample 17 is NaN" (features, targets and samples
// counted from 0, as the rows and columns of X and Y).
func (d *Dataset) Validate() error {
	if err := d.validateShape(); err != nil {
		return err
	}
	if err := finite(d.X, "input feature"); err != nil {
		return err
	}
	return finite(d.Y, "target")
}

// validForTraining is Validate with the scan for non-finite values
// remembered while X and Y are the same matrices (which training treats as
// read-only), so that training many times on one large set scans it once.
func (d *Dataset) validForTraining() error {
	if err := d.validateShape(); err != nil {
		return err
	}
	if d.X == d.valid.x && d.Y == d.valid.y {
		return nil
	}
	if err := finite(d.X, "input feature"); err != nil {
		return err
	}
	if err := finite(d.Y, "target"); err != nil {
		return err
	}
	d.valid.x, d.valid.y = d.X, d.Y
	return nil
}

// validateShape is Validate without the scan for non-finite values, for
// functions that copy or evaluate data without learning from it.
func (d *Dataset) validateShape() error {
	if d == nil || d.X == nil || d.Y == nil {
		return fmt.Errorf("nn: dataset needs both X and Y")
	}
	_, nx := d.X.Dims()
	ry, ny := d.Y.Dims()
	if nx != ny {
		return fmt.Errorf("nn: dataset has %d inputs (columns of X) but %d targets (columns of Y)", nx, ny)
	}
	if d.Labels != nil {
		if len(d.Labels) != nx {
			return fmt.Errorf("nn: dataset has %d samples but %d labels", nx, len(d.Labels))
		}
		for i, l := range d.Labels {
			if l < 0 || (ry > 1 && l >= ry) {
				return fmt.Errorf("nn: label %d of sample %d is outside 0..%d", l, i, ry-1)
			}
		}
	}
	return nil
}

// finite returns an error naming the first element of m, in sample order,
// that is NaN or infinite; what names a row ("input feature", "target").
func finite(m *mat.Dense, what string) error {
	r, c := m.Dims()
	if r == 0 || c == 0 {
		return nil
	}
	raw := m.RawMatrix()
	bad, badRow := -1, 0 // the non-finite value with the lowest column, then row
	for i := range r {
		row := raw.Data[i*raw.Stride : i*raw.Stride+c]
		// v − v is 0 for every finite v and NaN for NaN and ±Inf: one
		// subtraction per value keeps the scan of a data set cheap.
		acc := 0.0
		for _, v := range row {
			acc += v - v
		}
		if acc == 0 {
			continue
		}
		for j, v := range row {
			if bad >= 0 && j >= bad {
				break
			}
			if math.IsNaN(v) || math.IsInf(v, 0) {
				bad, badRow = j, i
				break
			}
		}
	}
	if bad < 0 {
		return nil
	}
	return fmt.Errorf("nn: %s %d of sample %d is %v", what, badRow, bad, m.At(badRow, bad))
}

// Subset returns the samples at the given indices, in that order, as a new
// Dataset that shares nothing with d.
func (d *Dataset) Subset(idx []int) *Dataset {
	if len(idx) == 0 {
		panic("nn: Dataset.Subset: no indices")
	}
	rx, _ := d.X.Dims()
	ry, _ := d.Y.Dims()
	out := &Dataset{X: mat.NewDense(rx, len(idx), nil), Y: mat.NewDense(ry, len(idx), nil)}
	gatherColumns(out.X, d.X, idx)
	gatherColumns(out.Y, d.Y, idx)
	if d.Labels != nil {
		out.Labels = make([]int, len(idx))
		for i, j := range idx {
			out.Labels[i] = d.Labels[j]
		}
	}
	return out
}

// Head returns the first n samples (all of them if n ≥ Len).
func (d *Dataset) Head(n int) *Dataset {
	n = min(n, d.Len())
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	return d.Subset(idx)
}

// gatherColumns sets column i of dst to column idx[i] of src.
func gatherColumns(dst, src *mat.Dense, idx []int) {
	r, _ := src.Dims()
	s := src.RawMatrix()
	dm := dst.RawMatrix()
	for row := range r {
		srow := s.Data[row*s.Stride:]
		drow := dm.Data[row*dm.Stride:]
		for i, j := range idx {
			drow[i] = srow[j]
		}
	}
}

// OneHot returns the k × len(labels) matrix whose column i is the unit
// vector e_labels[i]. It panics if a label is outside 0..k−1.
func OneHot(labels []int, k int) *mat.Dense {
	y := mat.NewDense(k, len(labels), nil)
	for i, l := range labels {
		if l < 0 || l >= k {
			panic(fmt.Sprintf("nn: OneHot: label %d of sample %d is outside 0..%d", l, i, k-1))
		}
		y.Set(l, i, 1)
	}
	return y
}
