package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"
	"time"

	"protokol/internal/batch"
	"protokol/internal/config"
	"protokol/internal/esdh"
)

// batchCommand runs protokol batch: exit 0 when every input made its
// documents, 1 when any failed (each named on standard error), 130 when
// interrupted (what was done is in the manifest; the next run goes on).
func batchCommand(args []string, stdin io.Reader, stderr io.Writer) int {
	cfg, b, err := config.ParseBatch(args, os.Getenv, os.Stdout)
	if err != nil {
		return usageError(stderr, err)
	}
	if b.Merge {
		m, err := batch.Merge(b.Out)
		if err != nil {
			fmt.Fprintln(stderr, "protokol:", err)
			return 1
		}
		failed := m.Failed()
		fmt.Fprintf(stderr, "protokol: merged %d inputs into %s/manifest.json; %d failed\n", len(m.Inputs), b.Out, len(failed))
		if len(failed) > 0 {
			return 1
		}
		return 0
	}
	kinds, err := batch.ParseKinds(b.Kinds)
	if err != nil {
		return usageError(stderr, fmt.Errorf("--kinds: %w", err))
	}
	r, err := renderer(cfg)
	if err != nil {
		fmt.Fprintln(stderr, "protokol:", err)
		return 1
	}
	tuneGC(cfg.MemoryBudget)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if f, ok := stdin.(*os.File); ok && b.Input == "-" {
		// a stop ends a wait for the next NDJSON line too
		go func() { <-ctx.Done(); _ = f.SetReadDeadline(time.Now()) }()
	}
	o := batch.Options{Input: b.Input, Stdin: stdin, Out: b.Out, Kinds: kinds, Workers: b.Workers, Shard: b.Shard, Shards: b.Shards,
		Render: b.Options, Attachments: b.Attachments, Fill: esdh.Options{Municipality: b.Municipality, Location: b.Location},
		MemoryBudget: cfg.MemoryBudget, Timeout: b.Timeout, Progress: progressPrinter(stderr)}
	res, err := batch.Run(ctx, r, o)
	if res != nil {
		for _, f := range res.Failures {
			fmt.Fprintf(stderr, "protokol: failed: %s\n", f)
		}
	}
	switch {
	case errors.Is(err, context.Canceled):
		fmt.Fprintf(stderr, "protokol: stopped; %d inputs done are in the manifest, the next run goes on from there\n", res.Done+res.Skipped)
		return 130
	case err != nil:
		fmt.Fprintln(stderr, "protokol:", err)
		return 1
	case res.Failed > 0:
		return 1
	}
	return 0
}

// progressPrinter tells a run's progress: one line redrawn on a terminal,
// a plain line every five seconds otherwise (a log), and the total.
func progressPrinter(w io.Writer) func(batch.Progress) {
	tty := isTerminal(w)
	var last time.Time
	return func(p batch.Progress) {
		finished := p.Done + p.Skipped + p.Failed
		rate := float64(p.Done) / max(p.Elapsed.Seconds(), 0.001)
		of := fmt.Sprintf("%d/%d inputs", finished, p.Inputs)
		if p.Inputs < 0 {
			of = fmt.Sprintf("%d inputs", finished) // NDJSON still coming
		}
		line := fmt.Sprintf("%s (%d skipped, %d failed), %d documents, %d pages, %.1f inputs/s", of, p.Skipped, p.Failed, p.Documents, p.Pages, rate)
		if left := p.Inputs - finished; left > 0 && rate > 0 && !p.Final {
			line += fmt.Sprintf(", %s left", (time.Duration(float64(left)/rate) * time.Second).Round(time.Second))
		}
		switch {
		case p.Final && tty:
			fmt.Fprintf(w, "\r\033[K%s in %s\n", line, p.Elapsed.Round(time.Millisecond))
		case p.Final:
			fmt.Fprintf(w, "protokol: %s in %s\n", line, p.Elapsed.Round(time.Millisecond))
		case tty:
			fmt.Fprintf(w, "\r\033[K%s", line)
		case time.Since(last) >= 5*time.Second:
			last = time.Now()
			fmt.Fprintf(w, "protokol: %s\n", line)
		}
	}
}

// tuneGC trades memory for throughput, as a batch wants: the collector
// runs at a fifth of its default pace (GOGC 400: two workers then render
// 2.1 times one worker's rate on two cores, not 1.5), bounded by a soft
// memory limit of 4/3 of the budget, as the service sets it. GOGC or
// GOMEMLIMIT given in the environment win.
func tuneGC(budget int64) {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	if debug.SetMemoryLimit(-1) == math.MaxInt64 {
		debug.SetMemoryLimit(budget / 3 * 4)
	}
}
