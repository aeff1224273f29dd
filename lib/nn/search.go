package nn

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"strings"
	"time"
)

// Hyperparameter search (§4.3): grid and random search over a declared
// space, every trial trained on the training split and scored on the
// validation split. A Search holds exactly those two splits and builds each
// network from a Point without seeing any data, so nothing in a search can
// use the test split: the test set is evaluated once, by the caller, after
// the search has chosen.

// Hyperparameter is one dimension of a search space.
type Hyperparameter struct {
	// Name identifies it, such as "eta" or "batch".
	Name string
	// Values are the grid's values. Random search draws one of them when
	// Max ≤ Min.
	Values []float64
	// Min and Max bound random search's uniform draws (log-uniform when Log).
	Min, Max float64
	// Log draws log-uniformly in [Min, Max] (Min > 0), as for η and λ.
	Log bool
	// Integer rounds random draws to the nearest integer (minibatch size,
	// hidden neurons, epochs).
	Integer bool
}

// Space is a list of hyperparameters.
type Space []Hyperparameter

// Point is one configuration: Values[i] is the value of Names[i].
type Point struct {
	Names  []string
	Values []float64
}

// Get returns the value of name. It panics if the point has no such name.
func (p Point) Get(name string) float64 {
	for i, n := range p.Names {
		if n == name {
			return p.Values[i]
		}
	}
	panic(fmt.Sprintf("nn: Point.Get: no hyperparameter %q in %v", name, p.Names))
}

// String returns the point as "eta=0.1 batch=10".
func (p Point) String() string {
	parts := make([]string, len(p.Names))
	for i, n := range p.Names {
		parts[i] = fmt.Sprintf("%s=%g", n, p.Values[i])
	}
	return strings.Join(parts, " ")
}

func (s Space) names() []string {
	names := make([]string, len(s))
	for i, h := range s {
		if h.Name == "" {
			panic(fmt.Sprintf("nn: search space: hyperparameter %d has no name", i))
		}
		names[i] = h.Name
	}
	return names
}

// Grid returns every combination of the Values of the hyperparameters, the
// last one varying fastest. It panics if a hyperparameter has no values.
func (s Space) Grid() []Point {
	names := s.names()
	points := []Point{{Names: names}}
	for _, h := range s {
		if len(h.Values) == 0 {
			panic(fmt.Sprintf("nn: Space.Grid: hyperparameter %q has no Values", h.Name))
		}
		var next []Point
		for _, p := range points {
			for _, v := range h.Values {
				next = append(next, Point{Names: names, Values: append(append([]float64(nil), p.Values...), v)})
			}
		}
		points = next
	}
	return points
}

// Random returns n points drawn from rng: each hyperparameter uniform (or
// log-uniform) in [Min, Max], or one of its Values when Max ≤ Min.
func (s Space) Random(n int, rng *rand.Rand) []Point {
	if rng == nil {
		panic("nn: Space.Random: nil *rand.Rand")
	}
	names := s.names()
	points := make([]Point, n)
	for k := range points {
		vals := make([]float64, len(s))
		for i, h := range s {
			switch {
			case h.Max > h.Min && h.Log:
				if h.Min <= 0 {
					panic(fmt.Sprintf("nn: Space.Random: %q is log-uniform but Min = %g ≤ 0", h.Name, h.Min))
				}
				vals[i] = math.Exp(math.Log(h.Min) + rng.Float64()*(math.Log(h.Max)-math.Log(h.Min)))
			case h.Max > h.Min:
				vals[i] = h.Min + rng.Float64()*(h.Max-h.Min)
			case len(h.Values) > 0:
				vals[i] = h.Values[rng.IntN(len(h.Values))]
			default:
				panic(fmt.Sprintf("nn: Space.Random: %q needs Max > Min or Values", h.Name))
			}
			if h.Integer {
				vals[i] = math.Round(vals[i])
			}
		}
		points[k] = Point{Names: names, Values: vals}
	}
	return points
}

// Search trains one network per point on Train and scores it on
// Validation.
type Search struct {
	// Train and Validation are the two splits a search may use.
	Train, Validation *Dataset
	// Build returns a new network for p, initialized from rng, and its
	// training configuration. The search sets the configuration's
	// Validation to the search's Validation (whatever Build put there)
	// and its Rand to rng.
	Build func(p Point, rng *rand.Rand) (*Network, TrainConfig)
	// Seed seeds every trial's rng (the same for each, so that trials
	// differ only by their point); 0 is a seed like any other.
	Seed uint64
	// OnTrial, when set, is called after every trial.
	OnTrial func(Trial)
}

// Trial is the outcome of training one point.
type Trial struct {
	Point Point
	// Score is the validation accuracy, or minus the validation cost
	// without labels; NaN when training failed (Err).
	Score                              float64
	ValidationCost, ValidationAccuracy float64
	// Epochs is the number of epochs trained (fewer with early stopping);
	// Best is the epoch whose weights were kept (History.Best).
	Epochs, Best int
	Duration     time.Duration
	History      History
	// Err is the training error, such as a non-finite cost for a too
	// large η; such a trial scores NaN and sorts last.
	Err error
}

// Results are the trials of a search.
type Results []Trial

// Sorted returns the trials from the best score to the worst (NaN last),
// ties in their original order.
func (r Results) Sorted() Results {
	s := append(Results(nil), r...)
	sort.SliceStable(s, func(i, j int) bool {
		a, b := s[i].Score, s[j].Score
		if math.IsNaN(b) {
			return !math.IsNaN(a)
		}
		return a > b
	})
	return s
}

// Best returns the trial with the highest score. It panics when r is empty.
func (r Results) Best() Trial {
	if len(r) == 0 {
		panic("nn: Results.Best: no trials")
	}
	return r.Sorted()[0]
}

// Run trains and scores every point, in order. It stops at ctx's
// cancellation, returning the trials done with the error; a trial whose
// training fails otherwise is recorded with its error and the search goes
// on.
func (s *Search) Run(ctx context.Context, points []Point) (Results, error) {
	if s.Build == nil {
		return nil, errors.New("nn: Search needs Build")
	}
	if s.Train == nil || s.Validation == nil {
		return nil, errors.New("nn: Search needs both a Train and a Validation split")
	}
	seed := s.Seed
	var res Results
	for _, p := range points {
		rng := rand.New(rand.NewPCG(seed, 0))
		net, cfg := s.Build(p, rng)
		cfg.Validation, cfg.Rand = s.Validation, rng
		start := time.Now()
		hist, err := Train(ctx, net, s.Train, cfg)
		if err != nil && ctx.Err() != nil {
			return res, fmt.Errorf("nn: search stopped at %v: %w", p, err)
		}
		t := Trial{Point: p, Score: math.NaN(), ValidationCost: math.NaN(), ValidationAccuracy: math.NaN(),
			Epochs: len(hist), Best: hist.Best(), Duration: time.Since(start), History: hist, Err: err}
		if err == nil {
			t.ValidationCost, t.ValidationAccuracy = net.Evaluate(s.Validation)
			t.Score = t.ValidationAccuracy
			if math.IsNaN(t.Score) {
				t.Score = -t.ValidationCost
			}
		}
		res = append(res, t)
		if s.OnTrial != nil {
			s.OnTrial(t)
		}
	}
	return res, nil
}

// Grid runs every point of space.Grid().
func (s *Search) Grid(ctx context.Context, space Space) (Results, error) {
	return s.Run(ctx, space.Grid())
}

// Random runs n points of space.Random(n, rng).
func (s *Search) Random(ctx context.Context, space Space, n int, rng *rand.Rand) (Results, error) {
	return s.Run(ctx, space.Random(n, rng))
}
