package nb

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/redesneuronales/course/lib/nn"
)

func TestInterruptedMessage(t *testing.T) {
	for _, c := range []struct {
		in   Interrupted
		want string
	}{
		{Interrupted{}, "Interrupted; nothing was saved."},
		{Interrupted{Epochs: 3, Total: 30}, "Interrupted after epoch 3 of 30 (not saved: only finished runs are cached); nothing was saved."},
		{Interrupted{Run: "SGD", Total: 30}, "Interrupted during SGD after epoch 0 of 30; nothing was saved."},
		{Interrupted{Run: "Adam", Epochs: 2, Total: 5, Kept: []string{"SGD", "momentum"}},
			"Interrupted during Adam after epoch 2 of 5 (not saved: only finished runs are cached); kept in the model cache: SGD, momentum. Rerun the cell to load them and train the rest."},
		{Interrupted{Run: "the second-order methods", Finished: []string{"Newton"}},
			"Interrupted during the second-order methods; finished but not saved: Newton. Nothing was saved."},
	} {
		if got := c.in.Error(); got != c.want {
			t.Errorf("%+v:\n got %q\nwant %q", c.in, got, c.want)
		}
		if !errors.Is(&c.in, context.Canceled) {
			t.Errorf("%+v is not context.Canceled", c.in)
		}
	}
	for _, c := range []struct {
		err     error
		code    int
		message string
	}{
		{fmt.Errorf("cell: %w", &Interrupted{Epochs: 1, Total: 2}), 0, "Interrupted after epoch 1 of 2"},
		{fmt.Errorf("nn: training stopped: %w", context.Canceled), 0, "Interrupted; nothing was saved."},
		{errors.New("the data is not there"), 1, "the data is not there"},
	} {
		code, message := exitFor(c.err)
		if code != c.code || !strings.HasPrefix(message, c.message) {
			t.Errorf("exitFor(%v) = %d, %q; want %d, %q…", c.err, code, message, c.code, c.message)
		}
	}
}

// TestTrainRunsInterrupted cancels the context of TrainRuns (what
// Jupyter's interrupt does) in the second of three runs: the first stays in
// the model cache, the second is not saved, the third never starts.
func TestTrainRunsInterrupted(t *testing.T) {
	dir := t.TempDir()
	t.Setenv(CacheDirEnv, dir)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// Each run its own seed: runs that differ in their label only would
	// share one cached model (see cachedBase).
	run := func(label string, seed uint64, onEpoch func(nn.EpochStats)) Run {
		return Run{Label: label, NewNet: xorNet, Data: orData(), Seed: seed,
			Config: nn.TrainConfig{Epochs: 5, BatchSize: 2, Optimizer: &nn.SGD{Eta: 2}, OnEpoch: onEpoch}}
	}
	stopAfter2 := func(s nn.EpochStats) {
		if s.Epoch == 2 {
			cancel()
		}
	}
	var out bytes.Buffer
	res, err := NewDisplay(&out, "").trainRuns(ctx, []Run{run("first", 1, nil), run("second", 2, stopAfter2), run("third", 3, nil)})
	var in *Interrupted
	if !errors.As(err, &in) {
		t.Fatalf("error %v, want *Interrupted", err)
	}
	want := Interrupted{Run: "second", Epochs: 2, Total: 5, Kept: []string{"first"}}
	if fmt.Sprint(*in) != fmt.Sprint(want) {
		t.Errorf("got %+v, want %+v", *in, want)
	}
	if len(res) != 1 || res[0].Label() != "first" {
		t.Errorf("%d results, want the first run only", len(res))
	}
	for label, n := range map[string]int{"first": 1, "second": 0, "third": 0} {
		if got, _ := filepath.Glob(filepath.Join(dir, label+".*.history")); len(got) != n {
			t.Errorf("%s: %d cached, want %d", label, len(got), n)
		}
	}

	// A single network (Display.Train): no cache.
	ctx, cancel = context.WithCancel(context.Background())
	defer cancel()
	cfg := nn.TrainConfig{Epochs: 4, BatchSize: 2, Optimizer: &nn.SGD{Eta: 2}, Rand: Rand(1, 1),
		OnEpoch: func(s nn.EpochStats) {
			if s.Epoch == 3 {
				cancel()
			}
		}}
	hist, err := NewDisplay(io.Discard, "").trainInterruptible(ctx, xorNet(Rand(1, 0)), orData(), cfg)
	if !errors.As(err, &in) || len(hist) != 3 || in.Error() != "Interrupted after epoch 3 of 4 (not saved: only finished runs are cached); nothing was saved." {
		t.Errorf("%d epochs, error %v; want 3 and an interrupt after epoch 3 of 4", len(hist), err)
	}
}

// TestInterruptEndsTheCellCalmly sends SIGINT, as GoNB does for Jupyter's
// interrupt, to a child process training with TrainRuns (the helper a
// notebook cell calls): it must print one line saying what was kept and
// exit with status 0, so that GoNB shows no "exit status 1".
func TestInterruptEndsTheCellCalmly(t *testing.T) {
	if os.Getenv("NB_TEST_INTERRUPT") != "" {
		run := func(label string, seed uint64, onEpoch func(nn.EpochStats)) Run {
			return Run{Label: label, NewNet: xorNet, Data: orData(), Seed: seed,
				Config: nn.TrainConfig{Epochs: 50, BatchSize: 2, Optimizer: &nn.SGD{Eta: 2}, OnEpoch: onEpoch}}
		}
		interrupt := func(s nn.EpochStats) {
			if s.Epoch == 2 {
				syscall.Kill(os.Getpid(), syscall.SIGINT)
				time.Sleep(500 * time.Millisecond) // the signal reaches the context
			}
		}
		TrainRuns(run("first", 1, nil), run("second", 2, interrupt))
		fmt.Println("the cell went on after the interrupt")
		os.Exit(3)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestInterruptEndsTheCellCalmly$")
	cmd.Env = append(os.Environ(), "NB_TEST_INTERRUPT=1", CacheDirEnv+"="+t.TempDir(), FiguresDirEnv+"=")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if err != nil {
		t.Fatalf("%v; want exit status 0\nstdout %s\nstderr %s", err, stdout.String(), stderr.String())
	}
	want := "Interrupted during second after epoch 2 of 50 (not saved: only finished runs are cached); kept in the model cache: first. Rerun the cell to load them and train the rest.\n"
	if !strings.HasSuffix(stdout.String(), want) || strings.Count(stdout.String(), "Interrupted") != 1 {
		t.Errorf("stdout ends\n%q\nwant one line\n%q", stdout.String()[max(0, stdout.Len()-300):], want)
	}
	if stderr.Len() != 0 {
		t.Errorf("stderr %q, want nothing", stderr.String())
	}
}
