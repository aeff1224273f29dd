package nb

import (
	"bytes"
	"math"
	"strings"
	"testing"
	"time"
)

// fakeClock is a clock that moves only when told to.
type fakeClock struct{ t time.Time }

func newFakeClock() *fakeClock {
	return &fakeClock{t: time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time          { return c.t }
func (c *fakeClock) Advance(d time.Duration) { c.t = c.t.Add(d) }

// lines returns the lines written to buf.
func lines(buf *bytes.Buffer) []string {
	s := strings.TrimSuffix(buf.String(), "\n")
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

func TestProgressText(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		name     string
		cfg      ProgressConfig
		elapsed  time.Duration
		step     int
		cost     float64
		accuracy float64
		want     string
	}{
		{
			name: "label, cost, accuracy, elapsed and ETA",
			cfg:  ProgressConfig{Label: "epoch", Total: 10}, elapsed: 5 * time.Second,
			step: 5, cost: 0.25, accuracy: 0.9,
			want: "epoch 5/10  cost 0.25  accuracy 90.00%  elapsed 5s  ETA 5s",
		},
		{
			name: "default label",
			cfg:  ProgressConfig{Total: 4}, elapsed: 3 * time.Second,
			step: 1, cost: nan, accuracy: nan,
			// ETA = 3 s / 1 step × 3 steps left.
			want: "step 1/4  elapsed 3s  ETA 9s",
		},
		{
			name: "ETA for 2 of 10 after 1 s",
			cfg:  ProgressConfig{Label: "batch", Total: 10}, elapsed: time.Second,
			step: 2, cost: nan, accuracy: nan,
			want: "batch 2/10  elapsed 1s  ETA 4s",
		},
		{
			name: "ETA rounded to tenths below a minute",
			cfg:  ProgressConfig{Total: 3}, elapsed: 1234 * time.Millisecond,
			step: 1, cost: nan, accuracy: nan,
			want: "step 1/3  elapsed 1.2s  ETA 2.5s",
		},
		{
			name: "ETA rounded to seconds above a minute",
			cfg:  ProgressConfig{Total: 3}, elapsed: 40*time.Second + 300*time.Millisecond,
			step: 1, cost: nan, accuracy: nan,
			want: "step 1/3  elapsed 40.3s  ETA 1m21s",
		},
		{
			name: "NaN cost omitted",
			cfg:  ProgressConfig{Label: "epoch", Total: 10}, elapsed: 2 * time.Second,
			step: 1, cost: nan, accuracy: 0.125,
			want: "epoch 1/10  accuracy 12.50%  elapsed 2s  ETA 18s",
		},
		{
			name: "NaN accuracy omitted",
			cfg:  ProgressConfig{Label: "epoch", Total: 10}, elapsed: 2 * time.Second,
			step: 1, cost: 1.23456789, accuracy: nan,
			want: "epoch 1/10  cost 1.235  elapsed 2s  ETA 18s",
		},
		{
			name: "zero cost and accuracy shown",
			cfg:  ProgressConfig{Total: 2}, elapsed: time.Second,
			step: 1, cost: 0, accuracy: 0,
			want: "step 1/2  cost 0  accuracy 0.00%  elapsed 1s  ETA 1s",
		},
		{
			name: "unknown total: no ETA",
			cfg:  ProgressConfig{Label: "batch"}, elapsed: 7 * time.Second,
			step: 3, cost: 0.5, accuracy: nan,
			want: "batch 3  cost 0.5  elapsed 7s",
		},
		{
			name: "step 0: no ETA",
			cfg:  ProgressConfig{Total: 10}, elapsed: time.Second,
			step: 0, cost: nan, accuracy: nan,
			want: "step 0/10  elapsed 1s",
		},
		{
			name: "finished: no ETA",
			cfg:  ProgressConfig{Label: "epoch", Total: 10}, elapsed: 10 * time.Second,
			step: 10, cost: 0.01, accuracy: 1,
			want: "epoch 10/10  cost 0.01  accuracy 100.00%  elapsed 10s",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock := newFakeClock()
			cfg := tt.cfg
			cfg.Now = clock.Now
			var buf bytes.Buffer
			p := NewDisplay(&buf, "").NewProgress(cfg)
			clock.Advance(tt.elapsed)
			p.Update(tt.step, tt.cost, tt.accuracy)
			if got := buf.String(); got != tt.want+"\n" {
				t.Errorf("Update printed %q, want %q", got, tt.want+"\n")
			}
			if got := p.String(); got != tt.want {
				t.Errorf("String() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestProgressBeforeUpdate(t *testing.T) {
	clock := newFakeClock()
	var buf bytes.Buffer
	p := NewDisplay(&buf, "").NewProgress(ProgressConfig{Total: 5, Now: clock.Now})
	clock.Advance(1500 * time.Millisecond)
	if got, want := p.String(), "step 0/5  elapsed 1.5s"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
	if buf.Len() != 0 {
		t.Errorf("NewProgress and String printed %q, want nothing", buf.String())
	}
}

func TestProgressThrottling(t *testing.T) {
	type update struct {
		at    time.Duration // since the start
		step  int
		drawn bool
	}
	tests := []struct {
		name    string
		every   time.Duration
		total   int
		updates []update
	}{
		{
			name: "first, every second and final", every: time.Second, total: 10,
			updates: []update{
				{0, 1, true}, // the first is always drawn
				{500 * time.Millisecond, 2, false},
				{999 * time.Millisecond, 3, false},
				{1000 * time.Millisecond, 4, true}, // exactly Every after the last draw
				{1500 * time.Millisecond, 5, false},
				{1999 * time.Millisecond, 6, false},
				{2100 * time.Millisecond, 7, true},
				{2200 * time.Millisecond, 8, false},
				{2300 * time.Millisecond, 10, true}, // step == Total is always drawn
			},
		},
		{
			name: "first drawn even late", every: time.Second, total: 3,
			updates: []update{
				{5 * time.Second, 1, true},
				{5*time.Second + time.Millisecond, 2, false},
				{5*time.Second + 2*time.Millisecond, 3, true},
			},
		},
		{
			name: "default Every is 250ms", total: 100,
			updates: []update{
				{0, 1, true},
				{100 * time.Millisecond, 2, false},
				{249 * time.Millisecond, 3, false},
				{250 * time.Millisecond, 4, true},
				{400 * time.Millisecond, 5, false},
				{500 * time.Millisecond, 6, true},
			},
		},
		{
			name: "unknown total: only time decides", every: time.Second,
			updates: []update{
				{0, 1, true},
				{100 * time.Millisecond, 1000, false},
				{time.Second, 1001, true},
			},
		},
		{
			name: "a fast loop draws only the first and the last", every: time.Hour, total: 1000,
			updates: func() []update {
				var us []update
				for i := 1; i <= 1000; i++ {
					us = append(us, update{time.Duration(i) * time.Millisecond, i, i == 1 || i == 1000})
				}
				return us
			}(),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock := newFakeClock()
			start := clock.Now()
			var buf bytes.Buffer
			p := NewDisplay(&buf, "").NewProgress(ProgressConfig{
				Label: "epoch", Total: tt.total, Every: tt.every, Now: clock.Now,
			})
			for _, u := range tt.updates {
				clock.t = start.Add(u.at)
				before := buf.Len()
				p.Update(u.step, math.NaN(), math.NaN())
				printed := buf.String()[before:]
				if u.drawn != (printed != "") {
					t.Errorf("Update(%d) at %v: printed %q, want drawn=%v", u.step, u.at, printed, u.drawn)
				}
				if printed != "" && printed != p.String()+"\n" {
					t.Errorf("Update(%d) at %v printed %q, want the current state %q", u.step, u.at, printed, p.String())
				}
			}
		})
	}
}

func TestProgressDone(t *testing.T) {
	clock := newFakeClock()
	var buf bytes.Buffer
	p := NewDisplay(&buf, "").NewProgress(ProgressConfig{Label: "epoch", Total: 10, Every: time.Minute, Now: clock.Now})
	clock.Advance(time.Second)
	p.Update(1, 2, 0.1) // drawn: the first
	clock.Advance(time.Second)
	p.Update(2, 1, 0.5) // throttled
	clock.Advance(time.Second)
	p.Done() // always drawn, with the last state
	p.Done() // and again
	want := []string{
		"epoch 1/10  cost 2  accuracy 10.00%  elapsed 1s  ETA 9s",
		"epoch 2/10  cost 1  accuracy 50.00%  elapsed 3s  ETA 12s",
		"epoch 2/10  cost 1  accuracy 50.00%  elapsed 3s  ETA 12s",
	}
	got := lines(&buf)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("printed:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestProgressDoneWithoutUpdate(t *testing.T) {
	clock := newFakeClock()
	var buf bytes.Buffer
	p := NewDisplay(&buf, "").NewProgress(ProgressConfig{Now: clock.Now})
	clock.Advance(2 * time.Second)
	p.Done()
	if got, want := buf.String(), "step 0  elapsed 2s\n"; got != want {
		t.Errorf("Done printed %q, want %q", got, want)
	}
}

func TestProgressNegativeTotalPanics(t *testing.T) {
	for _, total := range []int{-1, -100} {
		msg := mustPanic(t, func() {
			NewDisplay(new(bytes.Buffer), "").NewProgress(ProgressConfig{Total: total})
		})
		if !strings.HasPrefix(msg, "nb: ") || !strings.Contains(msg, "negative") {
			t.Errorf("Total %d: panic %q, want an \"nb: \" message about a negative total", total, msg)
		}
	}
}

func TestProgressDefaultsKeepConfig(t *testing.T) {
	p := NewDisplay(new(bytes.Buffer), "").NewProgress(ProgressConfig{})
	if p.cfg.Label != "step" {
		t.Errorf("default Label = %q, want %q", p.cfg.Label, "step")
	}
	if p.cfg.Every != 250*time.Millisecond {
		t.Errorf("default Every = %v, want 250ms", p.cfg.Every)
	}
	if p.cfg.Now == nil {
		t.Error("default Now is nil")
	}
}

func TestRoundDuration(t *testing.T) {
	tests := []struct{ in, want time.Duration }{
		{0, 0},
		{40 * time.Millisecond, 0},
		{50 * time.Millisecond, 100 * time.Millisecond},
		{1234 * time.Millisecond, 1200 * time.Millisecond},
		{59940 * time.Millisecond, 59900 * time.Millisecond},
		{61400 * time.Millisecond, 61 * time.Second},
		{61500 * time.Millisecond, 62 * time.Second},
		{time.Hour + 400*time.Millisecond, time.Hour},
	}
	for _, tt := range tests {
		if got := roundDuration(tt.in); got != tt.want {
			t.Errorf("roundDuration(%v) = %v, want %v", tt.in, got, tt.want)
		}
	}
}
