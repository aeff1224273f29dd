package nb

import (
	"fmt"
	"html"
	"math"
	"strings"
	"sync"
	"time"

	"github.com/janpfeifer/gonb/gonbui"
)

// ProgressConfig configures a Progress display. The zero value is usable.
type ProgressConfig struct {
	// Label names a step, such as "epoch" or "batch". Default "step" in
	// the current language (T).
	Label string
	// Total is the number of steps, used for the bar and the ETA.
	// Zero means unknown: no bar and no ETA.
	Total int
	// Every is the least time between two redraws, so that fast loops do
	// not flood the notebook. Default 250 ms. The first and last
	// updates are always drawn.
	Every time.Duration
	// Now is the clock. Default time.Now.
	Now func() time.Time
}

// Progress is a live display of long work: step, cost, accuracy, elapsed
// time and estimated time left, updated in place in a notebook and
// printed as lines elsewhere, its words in the current language (T). Its
// methods are safe for concurrent use.
type Progress struct {
	d   *Display
	cfg ProgressConfig
	id  string

	mu       sync.Mutex
	start    time.Time
	lastDraw time.Time
	step     int
	cost     float64
	accuracy float64
	drawn    bool
}

// NewProgress starts a progress display; the clock starts now.
func (d *Display) NewProgress(cfg ProgressConfig) *Progress {
	if cfg.Label == "" {
		cfg.Label = T("step")
	}
	if cfg.Every == 0 {
		cfg.Every = 250 * time.Millisecond
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Total < 0 {
		panic(fmt.Sprintf("nb: negative progress total %d", cfg.Total))
	}
	p := &Progress{d: d, cfg: cfg, start: cfg.Now(), cost: math.NaN(), accuracy: math.NaN()}
	if d.notebook {
		p.id = "nb-progress-" + gonbui.UniqueID()
	}
	return p
}

// NewProgress starts a progress display on the Default display.
func NewProgress(cfg ProgressConfig) *Progress { return Default().NewProgress(cfg) }

// Update records that step steps are done, with the current cost and
// accuracy (NaN for a value not known), and redraws if enough time has
// passed since the last redraw.
func (p *Progress) Update(step int, cost, accuracy float64) {
	p.mu.Lock()
	p.step, p.cost, p.accuracy = step, cost, accuracy
	now := p.cfg.Now()
	draw := !p.drawn || now.Sub(p.lastDraw) >= p.cfg.Every || (p.cfg.Total > 0 && step >= p.cfg.Total)
	if draw {
		p.drawn = true
		p.lastDraw = now
		// Drawing under the lock keeps concurrent updates in order.
		p.draw(p.textLocked(now), p.fractionLocked())
	}
	p.mu.Unlock()
}

// Done redraws the final state.
func (p *Progress) Done() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.draw(p.textLocked(p.cfg.Now()), p.fractionLocked())
}

// String returns the current state as one line of text.
func (p *Progress) String() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.textLocked(p.cfg.Now())
}

func (p *Progress) draw(text string, frac float64) {
	if !p.d.notebook {
		p.d.printf("%s\n", text)
		return
	}
	bar := ""
	if frac >= 0 {
		bar = fmt.Sprintf(`<progress value="%.4f" max="1" style="width:12em;vertical-align:middle"></progress> `, frac)
	}
	gonbui.UpdateHTML(p.id, fmt.Sprintf(`<div style="font-family:monospace">%s%s</div>`, bar, html.EscapeString(text)))
	gonbui.Sync()
}

func (p *Progress) fractionLocked() float64 {
	if p.cfg.Total == 0 {
		return -1
	}
	return math.Min(1, float64(p.step)/float64(p.cfg.Total))
}

func (p *Progress) textLocked(now time.Time) string {
	var b strings.Builder
	elapsed := now.Sub(p.start)
	if p.cfg.Total > 0 {
		fmt.Fprintf(&b, "%s %d/%d", p.cfg.Label, p.step, p.cfg.Total)
	} else {
		fmt.Fprintf(&b, "%s %d", p.cfg.Label, p.step)
	}
	if !math.IsNaN(p.cost) {
		b.WriteString("  " + Tf("cost %.4g", p.cost))
	}
	if !math.IsNaN(p.accuracy) {
		b.WriteString("  " + Tf("accuracy %.2f%%", 100*p.accuracy))
	}
	b.WriteString("  " + Tf("elapsed %s", roundDuration(elapsed)))
	if p.cfg.Total > 0 && p.step > 0 && p.step < p.cfg.Total {
		eta := time.Duration(float64(elapsed) / float64(p.step) * float64(p.cfg.Total-p.step))
		b.WriteString("  " + Tf("ETA %s", roundDuration(eta)))
	}
	return b.String()
}

// roundDuration keeps a duration readable: tenths of seconds below a
// minute, whole seconds above.
func roundDuration(d time.Duration) time.Duration {
	if d < time.Minute {
		return d.Round(100 * time.Millisecond)
	}
	return d.Round(time.Second)
}
