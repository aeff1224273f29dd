package nb

import (
	"fmt"

	"gonum.org/v1/gonum/mat"

	"github.com/redesneuronales/course/lib/nn"
)

// MNIST loads the MNIST images that cfg asks for (nn.LoadMNIST). When they
// cannot be loaded it ends the cell with a message that says so and why,
// with exit status 1, as a failed check does.
func MNIST(cfg nn.MNISTConfig) *nn.MNIST {
	m, err := nn.LoadMNIST(cfg)
	if err != nil {
		exitOn(fmt.Errorf("loading the MNIST images: %w", err))
	}
	return m
}

// Must returns v when err is nil; otherwise it ends the cell with err's
// message and exit status 1, as a failed check does (an interrupt, see
// Interrupted, with its one line and exit status 0):
//
//	grid := nb.Must(search.Grid(ctx, space))
func Must[T any](v T, err error) T {
	exitOn(err)
	return v
}

// NoErr ends the cell with err's message and exit status 1 when err is not
// nil, as a failed check does (an interrupt with its one line and exit
// status 0):
//
//	nb.NoErr(step.SolveVec(h, g))
func NoErr(err error) { exitOn(err) }

// ClassCounts returns how many samples of d have each label 0..k−1.
func ClassCounts(d *nn.Dataset, k int) []int {
	if d.Labels == nil {
		panic("nb: ClassCounts: dataset has no labels")
	}
	c := make([]int, k)
	for _, l := range d.Labels {
		c[l]++
	}
	return c
}

// ClassTable shows, for every named part, its size and the share of each
// class 0..k−1 in percent, its headers in the current language.
func ClassTable(caption string, k int, names []string, parts ...*nn.Dataset) Table {
	if len(names) != len(parts) {
		panic(fmt.Sprintf("nb: ClassTable: %d names for %d parts", len(names), len(parts)))
	}
	t := Table{Caption: caption, Header: []string{T("part"), T("samples")}}
	for c := range k {
		t.Header = append(t.Header, fmt.Sprint(c))
	}
	for i, p := range parts {
		row := []string{names[i], fmt.Sprint(p.Len())}
		for _, n := range ClassCounts(p, k) {
			row = append(row, fmt.Sprintf("%.1f %%", 100*float64(n)/float64(p.Len())))
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

// Shared returns how many indices appear in more than one of the lists.
func Shared(lists ...[]int) int {
	seen := map[int]int{}
	for _, l := range lists {
		for _, i := range l {
			seen[i]++
		}
	}
	n := 0
	for _, c := range seen {
		if c > 1 {
			n++
		}
	}
	return n
}

// Digits returns the first n images of d (columns of X) with their labels
// as titles, for plotting.ImageGrid.
func Digits(d *nn.Dataset, n int) (images [][]float64, titles []string) {
	n = min(n, d.Len())
	r, _ := d.X.Dims()
	for j := range n {
		images = append(images, mat.Col(make([]float64, r), j, d.X))
		if d.Labels != nil {
			titles = append(titles, fmt.Sprint(d.Labels[j]))
		}
	}
	return images, titles
}
