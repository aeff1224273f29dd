package nb

import (
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/redesneuronales/course/lib/nn"
)

func smallData() *nn.Dataset {
	labels := []int{0, 1, 1, 2, 1}
	x := mat.NewDense(2, 5, []float64{1, 2, 3, 4, 5, 7, 7, 7, 7, 7})
	return &nn.Dataset{X: x, Y: nn.OneHot(labels, 3), Labels: labels}
}

func TestClassCountsAndTable(t *testing.T) {
	d := smallData()
	if got := ClassCounts(d, 3); got[0] != 1 || got[1] != 3 || got[2] != 1 {
		t.Errorf("ClassCounts = %v, want [1 3 1]", got)
	}
	tab := ClassTable("c", 3, []string{"all", "head"}, d, d.Head(2))
	if len(tab.Rows) != 2 || tab.Rows[0][3] != "60.0 %" || tab.Rows[1][1] != "2" || tab.Rows[1][2] != "50.0 %" {
		t.Errorf("ClassTable rows %v", tab.Rows)
	}
}

func TestShared(t *testing.T) {
	for _, tc := range []struct {
		lists [][]int
		want  int
	}{
		{[][]int{{1, 2}, {3, 4}}, 0},
		{[][]int{{1, 2}, {2, 3}, {3, 1}}, 3},
		{[][]int{{5}, {5}, {5}}, 1},
	} {
		if got := Shared(tc.lists...); got != tc.want {
			t.Errorf("Shared(%v) = %d, want %d", tc.lists, got, tc.want)
		}
	}
}

func TestDigits(t *testing.T) {
	d := smallData()
	images, titles := Digits(d, 3)
	if len(images) != 3 || images[2][0] != 3 || images[2][1] != 7 || titles[1] != "1" {
		t.Errorf("Digits = %v %v", images, titles)
	}
}
