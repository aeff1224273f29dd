package main

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"

	"github.com/redesneuronales/course/lib/nn"
	"github.com/redesneuronales/course/nb"
)

// Protocol is everything that decides a run: Nielsen's settings as he
// states them, and how we map them onto lib/nn. A change to any field
// changes the step's fingerprint, and a checkpoint made under another
// protocol is refused.
type Protocol struct {
	// Program is Nielsen's program: network.py, network2.py or network3.py.
	Program string `json:"program"`
	// Network describes the layers and activations.
	Network string `json:"network"`
	Cost    string `json:"cost"`
	// Init describes the initial weights and biases.
	Init string `json:"init"`
	// Eta is the learning rate η; BatchSize the minibatch size m.
	Eta       float64 `json:"eta"`
	BatchSize int     `json:"batch_size"`
	// Lambda is λ as Nielsen passes it (lmbda); L2 is the λ of nn.L2,
	// (λ/2n) Σ w² with n the training-set size, that gives the same update.
	// network2.py's penalty is (λ/2n) Σ w², so L2 = λ; network3.py adds
	// 0.5 λ Σ w² / (n/m) to the minibatch's mean cost, so L2 = λ·m.
	Lambda float64 `json:"lambda"`
	L2     float64 `json:"l2"`
	// Epochs planned (0 for a measurement without training).
	Epochs int `json:"epochs"`
	// Train describes the training set and TrainImages counts it.
	Train       string `json:"train"`
	TrainImages int    `json:"train_images"`
	// Evaluation says what is measured after every epoch.
	Evaluation string `json:"evaluation"`
	// Seed seeds the weights (stream 0), the shuffle of epoch e (stream
	// 100 + e) and the dropout masks of epoch e (streams 10000·i + e).
	Seed uint64 `json:"seed"`
	// Runs is the number of runs his figure is the best of (seeds Seed,
	// Seed+1, …); 0 means 1.
	Runs int `json:"runs,omitempty"`
	// Seeds is the number of random initializations of a measurement
	// (chapter 5); 0 for a training run.
	Seeds int `json:"seeds,omitempty"`
	// Differences says where our run is not his.
	Differences string `json:"differences"`
}

// Fingerprint returns a short digest of the fields of p that decide the
// numbers of a step (not its prose: Init, Train, Evaluation and
// Differences describe what the code and these fields do). Runs counts
// only when above 1, so that a one-run step and its run share the digest.
func (p Protocol) Fingerprint() string {
	decisive := struct {
		Program, Network, Cost    string
		Eta, Lambda, L2           float64
		BatchSize, Epochs, Images int
		Seed                      uint64
		Seeds                     int
	}{p.Program, p.Network, p.Cost, p.Eta, p.Lambda, p.L2, p.BatchSize, p.Epochs, p.TrainImages, p.Seed, p.Seeds}
	b, err := json.Marshal(decisive)
	if err != nil {
		panic(err) // a struct of plain fields always encodes
	}
	if p.Runs > 1 {
		b = fmt.Appendf(b, " runs %d", p.Runs)
	}
	return fmt.Sprintf("%x", sha256.Sum256(b))[:16]
}

// RunSeeds returns the seeds of the step's runs: Seed, Seed+1, … (Runs of
// them, at least one).
func (p Protocol) RunSeeds() []uint64 {
	seeds := []uint64{p.Seed}
	for i := 1; i < p.Runs; i++ {
		seeds = append(seeds, p.Seed+uint64(i))
	}
	return seeds
}

// run returns the step of the one run with the given seed, whose
// checkpoint fingerprint does not depend on the number of runs.
func (s Step) run(seed uint64) Step {
	s.Protocol.Seed, s.Protocol.Runs = seed, 0
	return s
}

// Step is one of Nielsen's published figures and the run that reproduces it.
type Step struct {
	// Name identifies the step on the command line and names its files.
	Name string
	// Source is where Nielsen reports the figure.
	Source string
	// Nielsen holds his figure: one accuracy in percent, or one ‖∂C/∂b^(l)‖
	// per hidden layer.
	Nielsen   []float64
	Statistic Statistic
	Protocol  Protocol
	// NewNet builds the initial network from rng (stream 0 of the seed).
	// Nil for the chapter-5 measurement.
	NewNet func(rng *rand.Rand) *nn.Network
	// Train returns the training set from the MNIST splits.
	Train func(m *nn.MNIST) *nn.Dataset
	// Sizes are the layer sizes of the chapter-5 measurement.
	Sizes []int
}

// Complete reports whether a result holds the whole protocol of s.
func (s Step) Complete(r *Result) bool {
	return r != nil && r.Status == StatusComplete && r.Fingerprint == s.Protocol.Fingerprint()
}

const (
	trainFull   = "first 50,000 MNIST training images (images 50,000–59,999 are the validation set)"
	evalBoth    = "validation (10,000) and test (10,000) accuracy after every epoch"
	shuffleNote = "we shuffle the training set every epoch"
)

// sigmoidMLP returns a constructor of a sigmoid network with the given
// sizes, cost and initialization.
func sigmoidMLP(sizes []int, cost nn.Cost, init nn.Init) func(*rand.Rand) *nn.Network {
	return func(rng *rand.Rand) *nn.Network {
		return nn.NewMLP(sizes, nn.MLPConfig{Hidden: nn.Sigmoid{}, Cost: cost, Init: init}, rng)
	}
}

func fullTrain(m *nn.MNIST) *nn.Dataset { return m.Train }
func expandedTrain(m *nn.MNIST) *nn.Dataset {
	return nn.ExpandShifts(m.Train, nn.MNISTCols, nn.MNISTRows)
}

// Steps are Nielsen's published MNIST figures, cheapest first.
var Steps = []Step{
	{
		Name: "ch1-30", Source: "ch. 1, network.py", Nielsen: []float64{95.42}, Statistic: PeakTest,
		Protocol: Protocol{Program: "network.py", Network: "784-30-10, sigmoid", Cost: "quadratic", Init: "weights and biases N(0, 1)",
			Eta: 3, BatchSize: 10, Epochs: 30, Train: trainFull, TrainImages: 50000, Evaluation: evalBoth, Seed: 1, Runs: 3,
			Differences: "none in the protocol: like his, the best of three runs (ch. 1: \"I've taken best-of-three runs\"); ours are seeds 1–3"},
		NewNet: sigmoidMLP([]int{784, 30, 10}, nn.Quadratic{}, nn.InitNormal), Train: fullTrain,
	},
	{
		Name: "ch1-100", Source: "ch. 1, network.py", Nielsen: []float64{96.59}, Statistic: PeakTest,
		Protocol: Protocol{Program: "network.py", Network: "784-100-10, sigmoid", Cost: "quadratic", Init: "weights and biases N(0, 1)",
			Eta: 3, BatchSize: 10, Epochs: 30, Train: trainFull, TrainImages: 50000, Evaluation: evalBoth, Seed: 1, Runs: 3,
			Differences: "none in the protocol: like his, the best of three runs; ours are seeds 1–3 (he notes that runs of this network vary a lot)"},
		NewNet: sigmoidMLP([]int{784, 100, 10}, nn.Quadratic{}, nn.InitNormal), Train: fullTrain,
	},
	{
		Name: "ch3-overfit", Source: "ch. 3, network2.py, overfitting", Nielsen: []float64{82.27}, Statistic: PeakTest,
		Protocol: Protocol{Program: "network2.py", Network: "784-30-10, sigmoid", Cost: "cross-entropy (sigmoid outputs)",
			Init: "weights and biases N(0, 1) (large_weight_initializer)",
			Eta:  0.5, BatchSize: 10, Epochs: 400, Train: "first 1,000 MNIST training images", TrainImages: 1000,
			Evaluation: evalBoth, Seed: 1, Differences: "one seed of ours against one run of his"},
		NewNet: overfitNet, Train: first1000,
	},
	{
		Name: "ch3-overfit-l2", Source: "ch. 3, network2.py, L2 regularization", Nielsen: []float64{87.1}, Statistic: PeakTest,
		Protocol: Protocol{Program: "network2.py", Network: "784-30-10, sigmoid", Cost: "cross-entropy (sigmoid outputs) + (λ/2n) Σ w²",
			Init: "weights and biases N(0, 1) (large_weight_initializer)",
			Eta:  0.5, BatchSize: 10, Lambda: 0.1, L2: 0.1, Epochs: 400, Train: "first 1,000 MNIST training images", TrainImages: 1000,
			Evaluation: evalBoth, Seed: 1, Differences: "one seed of ours against one run of his"},
		NewNet: overfitNet, Train: first1000,
	},
	{
		Name: "ch3-98.04", Source: "ch. 3, network2.py, L2 regularization", Nielsen: []float64{98.04}, Statistic: FinalValidation,
		Protocol: Protocol{Program: "network2.py", Network: "784-100-10, sigmoid", Cost: "cross-entropy (sigmoid outputs) + (λ/2n) Σ w²",
			Init: "weights and biases N(0, 1) (large_weight_initializer, as in the 97.92% run it tunes)",
			Eta:  0.1, BatchSize: 10, Lambda: 5, L2: 5, Epochs: 60, Train: trainFull, TrainImages: 50000, Evaluation: evalBoth, Seed: 1,
			Differences: "his 98.04% is on validation_data (not the test set), after 60 epochs; one seed of ours against one run of his"},
		NewNet: sigmoidMLP([]int{784, 100, 10}, nn.BinaryCrossEntropy{}, nn.InitNormal), Train: fullTrain,
	},
	{
		Name: "ch5-grad-norms", Source: "ch. 5, network2.py", Nielsen: nb.NielsenSpeeds[4], Statistic: GradNorms,
		Protocol: Protocol{Program: "network2.py", Network: "784-30-30-30-30-10, sigmoid", Cost: "cross-entropy (sigmoid outputs)",
			Init:  "weights N(0, 1/n_in), biases N(0, 1) (default_weight_initializer)",
			Train: "gradient over the first 1,000 MNIST training images, before any training", TrainImages: 1000,
			Evaluation: "‖∂C/∂b^(l)‖ of the four hidden layers", Seed: 1, Seeds: 10,
			Differences: "his figures come from one random network; ours from seeds 1–10 (seed 1 reported, all 10 give the range)"},
		Sizes: []int{784, 30, 30, 30, 30, 10},
	},
	ladder("ch6-1-conv", 98.78, ladderNet([]int{20}, []int{100}, nn.Sigmoid{}, 0), 0.1, 0, 60, false),
	ladder("ch6-2-conv2", 99.06, ladderNet([]int{20, 40}, []int{100}, nn.Sigmoid{}, 0), 0.1, 0, 60, false),
	ladder("ch6-3-relu", 99.23, ladderNet([]int{20, 40}, []int{100}, nn.ReLU{}, 0), 0.03, 0.1, 60, false),
	ladder("ch6-4-expanded", 99.37, ladderNet([]int{20, 40}, []int{100}, nn.ReLU{}, 0), 0.03, 0.1, 60, true),
	ladder("ch6-5-dropout", 99.60, ladderNet([]int{20, 40}, []int{1000, 1000}, nn.ReLU{}, 0.5), 0.03, 0, 40, true),
}

// overfit is notebook 04_1's set-up of Nielsen's overfitting experiment.
var overfit = nb.OverfitConfig{Eta: 0.5, Init: nn.InitNormal, Seed: 1}

func overfitNet(*rand.Rand) *nn.Network { return overfit.Network(1) } // draws from nb.Rand(Seed, 0) itself
func first1000(m *nn.MNIST) *nn.Dataset { return m.Train.Head(1000) }

// ladder returns a step of Nielsen's chapter-6 ladder (network3.py).
func ladder(name string, nielsen float64, net ladderSpec, eta, lambda float64, epochs int, expanded bool) Step {
	p := Protocol{Program: "network3.py", Network: net.String(), Cost: "log-likelihood (softmax output)",
		Init: "network3.py's: conv filters N(0, 1/(k_O·f²/4)), hidden weights N(0, 1/n_out), biases N(0, 1); softmax layer zeros",
		Eta:  eta, BatchSize: 10, Lambda: lambda, L2: lambda * 10, Epochs: epochs, Train: trainFull, TrainImages: 50000,
		Evaluation: evalBoth, Seed: 1, Runs: 3,
		Differences: "like his, the best of three runs by validation accuracy (seeds 1–3); " + shuffleNote + " (network3.py takes the minibatches in the same order every epoch); float64 (his float32)"}
	if lambda > 0 {
		p.Differences += "; his prose says λ = 0.01, his code lmbda=0.1, which we follow"
	}
	train := fullTrain
	if expanded {
		p.Train = "the first 50,000 MNIST training images and their 4 one-pixel shifts (expand_mnist.py)"
		p.TrainImages = 250000
		train = expandedTrain
	}
	return Step{Name: name, Source: "ch. 6, network3.py", Nielsen: []float64{nielsen}, Statistic: TestAtBestValidation,
		Protocol: p, NewNet: net.build, Train: train}
}

// ladderSpec is a network of network3.py: 5 × 5 convolutions each with
// 2 × 2 max-pooling, fully connected hidden layers and a softmax output,
// with dropout (drop probability Drop) on the input of every fully
// connected layer and of the softmax layer when Drop > 0, as
// network3.py's p_dropout.
type ladderSpec struct {
	Filters, Hidden []int
	Act             nn.Activation
	Drop            float64
}

func ladderNet(filters, hidden []int, act nn.Activation, drop float64) ladderSpec {
	return ladderSpec{Filters: filters, Hidden: hidden, Act: act, Drop: drop}
}

func (s ladderSpec) String() string {
	var b strings.Builder
	for _, k := range s.Filters {
		fmt.Fprintf(&b, "conv %d×5×5 → max-pool 2×2 → ", k)
	}
	for _, h := range s.Hidden {
		if s.Drop > 0 {
			fmt.Fprintf(&b, "dropout %g → ", s.Drop)
		}
		fmt.Fprintf(&b, "FC %d → ", h)
	}
	if s.Drop > 0 {
		fmt.Fprintf(&b, "dropout %g → ", s.Drop)
	}
	fmt.Fprintf(&b, "softmax 10; σ = %v", s.Act)
	return b.String()
}

// build returns the network: nb.NewCNN's convolutional blocks and first
// hidden layer (σ after pooling, as network3.py's ConvPoolLayer), the
// further layers network3.py has, and network3.py's initial values.
func (s ladderSpec) build(rng *rand.Rand) *nn.Network {
	cnn := nb.NewCNN(nb.CNNConfig{Filters: s.Filters, Hidden: s.Hidden[0], Act: s.Act}, rng)
	layers := cnn.Layers
	if s.Drop > 0 || len(s.Hidden) > 1 {
		// Keep the convolutional blocks (3 layers each) and add the fully
		// connected part with network3.py's dropout on every input.
		layers = layers[:3*len(s.Filters)]
		in := cnn.Layers[3*len(s.Filters)].(*nn.Dense)
		nIn, _ := in.Dims()
		for _, h := range s.Hidden {
			layers = s.appendDropout(layers)
			layers = append(layers, nn.NewDense(nIn, h, s.Act, nn.InitScaled, rng))
			nIn = h
		}
		layers = s.appendDropout(layers)
		layers = append(layers, nn.NewDense(nIn, nn.MNISTClasses, nn.Softmax{}, nn.InitScaled, rng))
	}
	net := nn.NewNetwork(nn.CrossEntropy{}, layers...)
	network3Init(net, rng)
	return net
}

// appendDropout appends network3.py's dropout (ScaleAtInference: at
// inference the layer's input is multiplied by the keep-probability)
// when s has one. Its masks are seeded per epoch by seedDropout.
func (s ladderSpec) appendDropout(layers []nn.Layer) []nn.Layer {
	if s.Drop <= 0 {
		return layers
	}
	return append(layers, nn.NewDropout(1-s.Drop, nn.ScaleAtInference, nil))
}

// network3Init sets network3.py's initial values: a ConvPoolLayer's
// filters N(0, 1/n_out) with n_out = k_O·f_H·f_W/4 (its 2 × 2 pooling),
// a FullyConnectedLayer's weights N(0, 1/n_out), both with biases
// N(0, 1), and the SoftmaxLayer's weights and biases 0.
func network3Init(net *nn.Network, rng *rand.Rand) {
	last := len(net.Layers) - 1
	fill := func(p *nn.Param, std float64) {
		data := p.Value.RawMatrix().Data
		for i := range data {
			data[i] = std * rng.NormFloat64()
		}
	}
	for i, l := range net.Layers {
		switch l := l.(type) {
		case *nn.Conv:
			cfg := l.Config()
			fill(l.W, 1/math.Sqrt(float64(cfg.Filters*cfg.FilterH*cfg.FilterH)/4))
			fill(l.B, 1)
		case *nn.Dense:
			if i == last {
				fill(l.W, 0)
				fill(l.B, 0)
				continue
			}
			_, nOut := l.Dims()
			fill(l.W, 1/math.Sqrt(float64(nOut)))
			fill(l.B, 1)
		}
	}
}

// stepNames returns the names of all steps.
func stepNames() []string {
	names := make([]string, len(Steps))
	for i, s := range Steps {
		names[i] = s.Name
	}
	return names
}

// findStep returns the step called name; the error lists the steps.
func findStep(name string) (Step, error) {
	for _, s := range Steps {
		if s.Name == name {
			return s, nil
		}
	}
	return Step{}, fmt.Errorf("unknown step %q; the steps are: %s", name, strings.Join(stepNames(), ", "))
}
