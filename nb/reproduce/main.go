// Command reproduce runs Nielsen's published MNIST experiments with his
// protocols, one step at a time, and writes the results table.
//
// Usage (from the repository's root; make reproduce runs it):
//
//	go run ./nb/reproduce                 # every step not yet complete, cheapest first
//	go run ./nb/reproduce -step ch1-30    # one step
//	go run ./nb/reproduce -step ch6-1-conv -for 80m   # stop after 80 minutes (resumable)
//	go run ./nb/reproduce -measure 2000   # seconds per epoch of the chapter-6 steps, measured
//	go run ./nb/reproduce -table          # only regenerate RESULTS.md and README.md's table
//	go run ./nb/reproduce -list
//
// A step checkpoints its network and history under build/reproduce/<step>/
// after every epoch and continues from there when run again, with the
// numbers an uninterrupted run gives. Its result, complete or partial, is
// nb/reproduce/results/<step>.json, and RESULTS.md and the section of
// README.md between the reproduce markers are generated from those files.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"time"

	"github.com/redesneuronales/course/lib/nn"
	"github.com/redesneuronales/course/nb"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "reproduce:", err)
		os.Exit(1)
	}
}

// paths are the files of the program, relative to the repository's root.
type paths struct {
	Root, Results, Checkpoints, ResultsDoc, README string
}

func newPaths(root string) paths {
	return paths{Root: root,
		Results:     filepath.Join(root, "nb", "reproduce", "results"),
		Checkpoints: filepath.Join(root, "build", "reproduce"),
		ResultsDoc:  filepath.Join(root, "nb", "reproduce", "RESULTS.md"),
		README:      filepath.Join(root, "README.md")}
}

func run(args []string) error {
	fs := flag.NewFlagSet("reproduce", flag.ContinueOnError)
	step := fs.String("step", "", "run only this step (-list shows them)")
	root := fs.String("root", ".", "the repository's root")
	limit := fs.Duration("for", 0, "stop after this long (0: no limit); the step stays resumable")
	measure := fs.Int("measure", 0, "measure the seconds per epoch of the chapter-6 steps (or -step) by training on this many images, without training the steps")
	tableOnly := fs.Bool("table", false, "only regenerate RESULTS.md and README.md's table")
	list := fs.Bool("list", false, "list the steps")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	if *list {
		for _, s := range Steps {
			fmt.Printf("%-16s %s: Nielsen %s (%s)\n", s.Name, s.Source, joinFloats(s.Nielsen, "%g"), s.Statistic)
		}
		return nil
	}
	p := newPaths(*root)
	if _, err := os.Stat(p.README); err != nil {
		return fmt.Errorf("run from the repository's root or give -root: %w", err)
	}
	steps := Steps
	if *step != "" {
		s, err := findStep(*step)
		if err != nil {
			return err
		}
		steps = []Step{s}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if *limit > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, *limit)
		defer cancel()
	}
	var err error
	switch {
	case *tableOnly:
	case *measure > 0:
		if *step == "" {
			steps = nil
			for _, s := range Steps {
				if s.Protocol.Program == "network3.py" {
					steps = append(steps, s)
				}
			}
		}
		err = measureSteps(ctx, p, steps, *measure)
	default:
		err = runSteps(ctx, p, steps)
	}
	if terr := writeTables(p); terr != nil {
		return errors.Join(err, terr)
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		fmt.Println("stopped; run the same command again to continue from the last finished epoch")
		return nil
	}
	return err
}

// runSteps runs every step of steps that is not complete.
func runSteps(ctx context.Context, p paths, steps []Step) error {
	var data *nn.MNIST
	for _, s := range steps {
		r, err := readResult(p.Results, s.Name)
		if err != nil {
			return err
		}
		if s.Complete(r) {
			fmt.Printf("%s: complete (%s %s), skipped\n", s.Name, r.Statistic, joinFloats(r.Ours, "%.4g"))
			continue
		}
		if data == nil {
			if data, err = nn.LoadMNIST(nn.MNISTConfig{}); err != nil {
				return fmt.Errorf("loading MNIST: %w", err)
			}
		}
		if r == nil || r.Fingerprint != s.Protocol.Fingerprint() {
			r = newResult(s)
		}
		fmt.Printf("%s: %s, Nielsen %s\n", s.Name, s.Source, nielsenCell(r))
		if s.Statistic == GradNorms {
			err = gradNorms(p, s, data, r)
		} else {
			err = trainStep(ctx, p, s, data, r)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// trainStep trains every run of s in turn, each resuming from its
// checkpoint (build/reproduce/<step>/run-<seed>), and writes the step's
// result after every epoch.
func trainStep(ctx context.Context, p paths, s Step, m *nn.MNIST, r *Result) error {
	d := Data{Train: s.Train(m), Validation: m.Validation, Test: m.Test}
	session := session()
	for _, seed := range s.Protocol.RunSeeds() {
		progress := func(h []Epoch) error {
			if err := r.setRun(seed, h); err != nil {
				return err
			}
			r.CPU, r.Date, r.Commit = session.cpu, now(), session.commit
			if err := writeResult(p.Results, r); err != nil {
				return err
			}
			return writeTables(p) // the tables stay current while a step runs
		}
		dir := filepath.Join(p.Checkpoints, s.Name, fmt.Sprintf("run-%d", seed))
		saved, err := checkpointEpochs(dir)
		if err != nil {
			return err
		}
		skip, err := resumePlan(r, seed, saved, dir)
		if err != nil {
			return err
		}
		if skip {
			fmt.Printf("%s, seed %d: all %d epochs recorded, skipped\n", s.Name, seed, s.Protocol.Epochs)
			continue
		}
		if _, _, err := Train(ctx, s.run(seed), d, Options{Dir: dir, Log: os.Stdout}, progress); err != nil {
			return err
		}
	}
	return nil
}

// resumePlan decides, for the run of r with seed whose checkpoint holds
// saved epochs, whether to skip it (every epoch is recorded in r) and
// whether resuming would lose recorded epochs: a checkpoint behind the
// recorded history (a fresh checkout has none) would start training over
// and overwrite them, so that is an error naming the checkpoint folder dir.
func resumePlan(r *Result, seed uint64, saved int, dir string) (skip bool, err error) {
	recorded := 0
	for _, run := range r.Runs {
		if run.Seed == seed {
			recorded = run.EpochsDone
		}
	}
	if recorded >= r.Protocol.Epochs {
		return true, nil
	}
	if saved < recorded {
		return false, fmt.Errorf("%s, seed %d: the results record %d epochs, but the checkpoint in %s holds %d: "+
			"training would start again at epoch %d and overwrite them. Copy that folder from the checkout that trained "+
			"them, or remove seed %d's run from nb/reproduce/results/%s.json to train it again", r.Step, seed, recorded, dir, saved, saved+1, seed, r.Step)
	}
	return false, nil
}

// gradNorms measures chapter 5's speeds of learning: ‖∂C/∂b^(l)‖ of the
// hidden layers of s.Sizes at initialization over the first 1,000
// training images, for seeds 1 to s.Protocol.Seeds (nb.GradNormsOverSeeds,
// as notebook A).
func gradNorms(p paths, s Step, m *nn.MNIST, r *Result) error {
	start := time.Now()
	cfg := nn.MLPConfig{Hidden: nn.Sigmoid{}, Cost: nn.BinaryCrossEntropy{}, Init: nn.InitScaled}
	rows := nb.GradNormsOverSeeds(s.Sizes, cfg, m.Train.Head(s.Protocol.TrainImages), s.Protocol.Seeds)
	hidden := len(s.Sizes) - 2
	for i := range rows {
		rows[i] = rows[i][:hidden]
	}
	spread := nb.SpreadOf(rows)
	ses := session()
	r.Status, r.Ours, r.SeedMin, r.SeedMean, r.SeedMax = StatusComplete, rows[0], spread.Min, spread.Mean, spread.Max
	r.WallSeconds, r.CPU, r.Date, r.Commit = time.Since(start).Seconds(), ses.cpu, now(), ses.commit
	fmt.Printf("%s: seed 1 %s; mean %s\n", s.Name, joinFloats(r.Ours, "%.4f"), joinFloats(r.SeedMean, "%.4f"))
	return writeResult(p.Results, r)
}

// measureSteps trains each step's network from its initial weights for
// one pass over the first n images of its training set, evaluates 2,000
// images, and records the seconds a whole epoch (training and the
// evaluation of 20,000 images) would take in the step's result.
func measureSteps(ctx context.Context, p paths, steps []Step, n int) error {
	m, err := nn.LoadMNIST(nn.MNISTConfig{})
	if err != nil {
		return fmt.Errorf("loading MNIST: %w", err)
	}
	ses := session()
	for _, s := range steps {
		if s.NewNet == nil {
			return fmt.Errorf("step %s trains nothing to measure", s.Name)
		}
		train := s.Train(m)
		pr := s.Protocol
		net := s.NewNet(nb.Rand(pr.Seed, 0))
		seedDropout(net, pr.Seed, 1)
		var reg nn.Regularizer
		if pr.L2 > 0 {
			reg = nn.L2{Lambda: pr.L2}
		}
		sub := train.Head(min(n, train.Len()))
		start := time.Now()
		if _, err := nn.Train(ctx, net, sub, nn.TrainConfig{Epochs: 1, BatchSize: pr.BatchSize, Optimizer: &nn.SGD{Eta: pr.Eta}, Regularizer: reg, Rand: nb.Rand(pr.Seed, 101)}); err != nil {
			return fmt.Errorf("%s: %w", s.Name, err)
		}
		trainSec := time.Since(start).Seconds()
		start = time.Now()
		net.Evaluate(m.Test.Head(2000))
		evalSec := time.Since(start).Seconds()
		e := &Estimate{SecondsPerEpoch: trainSec*float64(train.Len())/float64(sub.Len()) + evalSec*10, Images: sub.Len(), CPU: ses.cpu, Date: now()}
		fmt.Printf("%s: %d images in %.1f s, evaluation of 2,000 in %.1f s: %.0f s per epoch of %d images, %s for %d epochs\n",
			s.Name, sub.Len(), trainSec, evalSec, e.SecondsPerEpoch, train.Len(), duration(e.SecondsPerEpoch*float64(pr.Epochs)), pr.Epochs)
		r, err := readResult(p.Results, s.Name)
		if err != nil {
			return err
		}
		if r == nil || r.Fingerprint != pr.Fingerprint() {
			r = newResult(s)
		}
		r.Estimate = e
		if err := writeResult(p.Results, r); err != nil {
			return err
		}
	}
	return nil
}

// writeTables regenerates RESULTS.md and README.md's table from the
// results.
func writeTables(p paths) error {
	results, err := readResults(p.Results, Steps)
	if err != nil {
		return err
	}
	if err := writeAtomic(p.ResultsDoc, []byte(resultsDoc(results))); err != nil {
		return err
	}
	readme, err := os.ReadFile(p.README)
	if err != nil {
		return err
	}
	doc, err := replaceBetween(string(readme), Table(results))
	if err != nil {
		return fmt.Errorf("%s: %w", p.README, err)
	}
	return writeAtomic(p.README, []byte(doc))
}

// sessionInfo describes the machine and code of this session.
type sessionInfo struct{ cpu, commit string }

func session() sessionInfo {
	cpu := runtime.GOARCH
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				cpu = strings.TrimSpace(v)
				break
			}
		}
	}
	cpu = fmt.Sprintf("%s, %d CPUs, GOMAXPROCS %d", cpu, runtime.NumCPU(), runtime.GOMAXPROCS(0))
	commit := "unknown"
	if out, err := exec.Command("git", "rev-parse", "--short", "HEAD").Output(); err == nil {
		commit = strings.TrimSpace(string(out))
		if out, err := exec.Command("git", "status", "--porcelain", "--untracked-files=no", "--", "*.go", "go.mod", "go.sum").Output(); err == nil && len(out) > 0 {
			commit += " (Go code modified)"
		}
	}
	return sessionInfo{cpu: cpu, commit: commit}
}
