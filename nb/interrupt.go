package nb

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"
)

// Interrupted is the error of long work (Train, TrainRuns,
// SecondOrderRuns) stopped by Jupyter's interrupt: the ■ button or I I,
// for which GoNB sends the cell's program SIGINT and kills it 5 s later.
// The work stops at a safe point, after the current minibatch; Error says
// in one line what finished and what was kept.
//
// The helpers that end the cell on an error (TrainRuns, TrainRun, Train,
// Must, NoErr) print that line and end the program with exit status 0,
// so that GoNB shows the line alone instead of "exit status 1" twice
// (on standard error and in its red error box).
type Interrupted struct {
	// Run names what was being trained ("" for a single network).
	Run string
	// Epochs counts the epochs of it that were complete, of Total
	// (0: unknown). They are not saved: the cache holds finished runs only.
	Epochs, Total int
	// Kept names the runs finished before, which are in the model cache.
	Kept []string
	// Finished names work finished before that is not cached (uncached
	// runs, the second-order methods); it is lost with the program.
	Finished []string
}

func (e *Interrupted) Error() string {
	var b strings.Builder
	b.WriteString("Interrupted")
	if e.Run != "" {
		fmt.Fprintf(&b, " during %s", e.Run)
	}
	switch {
	case e.Total > 0:
		fmt.Fprintf(&b, " after epoch %d of %d", e.Epochs, e.Total)
	case e.Epochs > 0:
		fmt.Fprintf(&b, " after epoch %d", e.Epochs)
	}
	if e.Epochs > 0 {
		b.WriteString(" (not saved: only finished runs are cached)")
	}
	switch {
	case len(e.Kept) > 0:
		fmt.Fprintf(&b, "; kept in the model cache: %s", strings.Join(e.Kept, ", "))
		if len(e.Finished) > 0 {
			fmt.Fprintf(&b, "; finished but not saved: %s", strings.Join(e.Finished, ", "))
		}
		b.WriteString(". Rerun the cell to load them and train the rest.")
	case len(e.Finished) > 0:
		fmt.Fprintf(&b, "; finished but not saved: %s. Nothing was saved.", strings.Join(e.Finished, ", "))
	default:
		b.WriteString("; nothing was saved.")
	}
	return b.String()
}

// Unwrap makes errors.Is(err, context.Canceled) hold.
func (e *Interrupted) Unwrap() error { return context.Canceled }

// interruptContext returns a context cancelled by SIGINT (Jupyter's
// interrupt) or SIGTERM, for long work; stop restores the signals'
// default handling.
func interruptContext() (ctx context.Context, stop context.CancelFunc) {
	return signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
}

// exitOn ends the program, and with it the notebook cell, when err is not
// nil. Everything displayed before has already reached the notebook: every
// display waits for GoNB (see Display). An interrupt (Interrupted) prints
// its one line to standard output and exits with status 0; any other error
// prints its message to standard error and exits with status 1.
func exitOn(err error) {
	if err == nil {
		return
	}
	code, out := exitFor(err)
	if code == 0 {
		Default().Markdown(out)
	} else {
		fmt.Fprintln(os.Stderr, out)
	}
	os.Exit(code)
}

// exitFor returns the exit status and the message of err for exitOn.
func exitFor(err error) (code int, message string) {
	var in *Interrupted
	if errors.As(err, &in) {
		return 0, in.Error()
	}
	if errors.Is(err, context.Canceled) {
		return 0, "Interrupted; nothing was saved."
	}
	return 1, err.Error()
}
