package main

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// progress reports a long run on stderr: a progress bar on a terminal,
// plain lines every few seconds otherwise (logs, CI).
type progress struct {
	w        io.Writer
	bar      *progressbar.ProgressBar
	desc     string
	total    int
	start    time.Time
	last     time.Time
	interval time.Duration
}

// newProgress starts reporting desc with total steps (≤ 0: unknown).
func newProgress(desc string, total int) *progress {
	p := &progress{w: os.Stderr, desc: desc, total: total, start: time.Now(), interval: 5 * time.Second}
	p.last = p.start
	if term.IsTerminal(int(os.Stderr.Fd())) {
		max := total
		if max <= 0 {
			max = -1
		}
		p.bar = progressbar.NewOptions(max,
			progressbar.OptionSetWriter(os.Stderr),
			progressbar.OptionSetDescription(desc),
			progressbar.OptionShowCount(),
			progressbar.OptionShowIts(),
			progressbar.OptionSetItsString("steps"),
			progressbar.OptionSetWidth(30),
			progressbar.OptionThrottle(200*time.Millisecond),
			progressbar.OptionClearOnFinish(),
		)
	}
	return p
}

// update reports that step steps are done, with a short status.
func (p *progress) update(step int, status string) {
	if p.bar != nil {
		p.bar.Describe(p.desc + " " + status)
		p.bar.Set(step)
		return
	}
	if now := time.Now(); now.Sub(p.last) >= p.interval {
		p.last = now
		rate := float64(step) / now.Sub(p.start).Seconds()
		of := ""
		if p.total > 0 {
			of = fmt.Sprintf("/%d", p.total)
		}
		fmt.Fprintf(p.w, "physgrad: %s step %d%s, %.2f steps/s, %s\n", p.desc, step, of, rate, status)
	}
}

// done ends the report.
func (p *progress) done() {
	if p.bar != nil {
		p.bar.Finish()
	}
}
