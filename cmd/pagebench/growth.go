package main

// The growth table: the same benchmark run on the same institution at
// several sizes (1x, 10x, 100x the data), one column per run, to show
// which pages grow with the data and which do not.

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"
)

// GrowthRun is one run of the growth table: a label ("1x") and its report.
type GrowthRun struct {
	Label  string
	Report *Report
}

// growthKey is a route as the growth table compares it: the same pattern
// and kind, for the same user.
type growthKey struct{ Pattern, Kind, User string }

// Growth classes. A route "grows" when its server p95 at the largest size
// is more than growFactor times its p95 at the smallest and at least
// growFloor more: below a few milliseconds a ratio says little.
const (
	growFactor = 3.0
	growFloor  = 5 * time.Millisecond
)

// WriteJSON writes the report for a later growth table.
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", " ")
	return enc.Encode(r)
}

// readGrowthRuns reads "label=file.json" pairs, comma-separated.
func readGrowthRuns(spec string) ([]GrowthRun, error) {
	var runs []GrowthRun
	for _, part := range splitList(spec) {
		label, file, ok := strings.Cut(part, "=")
		if !ok || label == "" || file == "" {
			return nil, fmt.Errorf("-growth wants label=file.json pairs, not %q", part)
		}
		b, err := os.ReadFile(file)
		if err != nil {
			return nil, fmt.Errorf("cannot read %s: %w", file, err)
		}
		var rep Report
		if err := json.Unmarshal(b, &rep); err != nil {
			return nil, fmt.Errorf("%s is not a pagebench -json report: %w", file, err)
		}
		runs = append(runs, GrowthRun{Label: label, Report: &rep})
	}
	if len(runs) < 2 {
		return nil, errors.New("-growth needs at least two runs")
	}
	return runs, nil
}

// WriteGrowth writes the growth table of the runs, smallest first: each
// route measured in every run, its server p95 per run, the ratio of the
// last to the first and its class; then the routes that grow, by ratio.
func WriteGrowth(w io.Writer, runs []GrowthRun) error {
	type line struct {
		key   growthKey
		p95   []time.Duration
		ratio float64
		grows bool
	}
	index := make([]map[growthKey]time.Duration, len(runs))
	for i, run := range runs {
		index[i] = map[growthKey]time.Duration{}
		for _, row := range run.Report.Rows {
			if row.Measured && row.N > 0 && row.Errors == 0 {
				index[i][growthKey{row.Pattern, row.Kind, row.User}] = row.ServerP95
			}
		}
	}
	var lines []line
	missing := 0
	for k, first := range index[0] {
		l := line{key: k, p95: []time.Duration{first}}
		for i := 1; i < len(runs); i++ {
			d, ok := index[i][k]
			if !ok {
				break
			}
			l.p95 = append(l.p95, d)
		}
		if len(l.p95) < len(runs) {
			missing++
			continue
		}
		last := l.p95[len(l.p95)-1]
		l.ratio = float64(last) / float64(max(first, 10*time.Microsecond))
		l.grows = l.ratio > growFactor && last-first >= growFloor
		lines = append(lines, l)
	}
	slices.SortFunc(lines, func(a, b line) int {
		return strings.Compare(a.key.Pattern+"\x00"+a.key.Kind+"\x00"+a.key.User, b.key.Pattern+"\x00"+b.key.Kind+"\x00"+b.key.User)
	})

	var b []byte
	p := func(format string, args ...any) { b = fmt.Appendf(b, format, args...) }
	labels := make([]string, len(runs))
	for i, run := range runs {
		labels[i] = run.Label
	}
	grows := 0
	for _, l := range lines {
		if l.grows {
			grows++
		}
	}
	p("# Cost growth\n\n")
	p("Server p95 (ms, from Server-Timing) of each route at %s the data. A route grows when its p95 at %s is more than %g times its p95 at %s and at least %s more.\n\n",
		strings.Join(labels, ", "), labels[len(labels)-1], growFactor, labels[0], budgetText(growFloor))
	p("- routes compared (measured without error in every run): %d\n", len(lines))
	p("- routes that grow with the data: %d\n", grows)
	if missing > 0 {
		p("- routes left out (not measured in every run): %d\n", missing)
	}
	p("\n## Routes that grow, steepest first\n\n")
	p("| Route | Kind | User | %s | ×%s/%s |\n", strings.Join(labels, " | "), labels[len(labels)-1], labels[0])
	p("|---|---|---|%s--:|\n", strings.Repeat("--:|", len(labels)))
	steep := slices.Clone(lines)
	slices.SortStableFunc(steep, func(a, b line) int {
		switch {
		case a.ratio > b.ratio:
			return -1
		case a.ratio < b.ratio:
			return 1
		}
		return 0
	})
	row := func(l line) {
		cells := make([]string, len(l.p95))
		for i, d := range l.p95 {
			cells[i] = ms(d)
		}
		p("| %s | %s | %s | %s | %.1f |\n", cell(l.key.Pattern), l.key.Kind, l.key.User, strings.Join(cells, " | "), l.ratio)
	}
	for _, l := range steep {
		if l.grows {
			row(l)
		}
	}
	p("\n## Every route\n\n")
	p("| Route | Kind | User | %s | ×%s/%s |\n", strings.Join(labels, " | "), labels[len(labels)-1], labels[0])
	p("|---|---|---|%s--:|\n", strings.Repeat("--:|", len(labels)))
	for _, l := range lines {
		row(l)
	}
	_, err := w.Write(b)
	return err
}
