package scorecard_test

import (
	"math"
	"testing"

	"cadran/internal/scorecard"
)

func stF(v float64) *float64 { return &v }

func stNear(a, b float64) bool { return math.Abs(a-b) < 0.005 }

// TestEvaluateWorkedExamples pins how a value becomes a score and a status.
// Each case's comment is the arithmetic a reader sees.
func TestEvaluateWorkedExamples(t *testing.T) {
	higher := func(method string, base, red *float64) scorecard.Rule {
		return scorecard.Rule{Polarity: scorecard.PolarityHigher, Method: method, Baseline: base, Red: red}
	}
	lower := func(method string, base, red *float64) scorecard.Rule {
		return scorecard.Rule{Polarity: scorecard.PolarityLower, Method: method, Baseline: base, Red: red}
	}
	band := func(method string, red, redHigh *float64) scorecard.Rule {
		return scorecard.Rule{Polarity: scorecard.PolarityBand, Method: method, Red: red, RedHigh: redHigh}
	}
	t90 := scorecard.Target{Value: 90}
	t10 := scorecard.Target{Value: 10}
	band23 := scorecard.Target{Value: 2, High: stF(3)}
	cases := []struct {
		name   string
		rule   scorecard.Rule
		value  float64
		target scorecard.Target
		score  float64
		status string
		calc   string
	}{
		// Petitions answered in time, higher is better, baseline 60 %, target
		// 90 %, red below 70 %: (81 − 60) / (90 − 60) × 100 = 21 / 30 × 100 = 70;
		// 81 misses 90 but is above 70: amber.
		{"linear higher with baseline", higher(scorecard.MethodLinear, stF(60), stF(70)), 81, t90, 70, scorecard.StatusAmber, "scorecard.calc.linear"},
		// No baseline: the red threshold stands in for it:
		// (80 − 70) / (90 − 70) × 100 = 10 / 20 × 100 = 50.
		{"linear higher, red for baseline", higher(scorecard.MethodLinear, nil, stF(70)), 80, t90, 50, scorecard.StatusAmber, "scorecard.calc.linear_red"},
		// Neither baseline nor red: achieved or not. 85 < 90: 0, red.
		{"linear higher, nothing to scale by, missed", higher(scorecard.MethodLinear, nil, nil), 85, t90, 0, scorecard.StatusRed, "scorecard.calc.binary"},
		// 95 ≥ 90: 100, green.
		{"linear higher, nothing to scale by, met", higher(scorecard.MethodLinear, nil, nil), 95, t90, 100, scorecard.StatusGreen, "scorecard.calc.binary"},
		// Clamped above: (99 − 60) / (90 − 60) × 100 = 130 → 100, green.
		{"linear clamps at 100", higher(scorecard.MethodLinear, stF(60), stF(70)), 99, t90, 100, scorecard.StatusGreen, "scorecard.calc.linear"},
		// Clamped below: (50 − 60) / (90 − 60) × 100 = −33.3 → 0; 50 < 70: red.
		{"linear clamps at 0", higher(scorecard.MethodLinear, stF(60), stF(70)), 50, t90, 0, scorecard.StatusRed, "scorecard.calc.linear"},
		// Baseline 60, red 70, value 65: (65 − 60) / 30 × 100 = 16.67, red
		// (the score still says how far from the baseline it got).
		{"linear below red but above baseline", higher(scorecard.MethodLinear, stF(60), stF(70)), 65, t90, 16.67, scorecard.StatusRed, "scorecard.calc.linear"},
		// Days to issue a building permit, lower is better, baseline 30,
		// target 10, red above 25: (15 − 30) / (10 − 30) × 100 = −15 / −20 ×
		// 100 = 75; 15 > 10 but ≤ 25: amber.
		{"linear lower with baseline", lower(scorecard.MethodLinear, stF(30), stF(25)), 15, t10, 75, scorecard.StatusAmber, "scorecard.calc.linear"},
		// Lower without baseline: (20 − 25) / (10 − 25) × 100 = 33.33.
		{"linear lower, red for baseline", lower(scorecard.MethodLinear, nil, stF(25)), 20, t10, 33.33, scorecard.StatusAmber, "scorecard.calc.linear_red"},
		// Lower, met: (8 − 30) / (10 − 30) × 100 = 110 → 100, green.
		{"linear lower met", lower(scorecard.MethodLinear, stF(30), stF(25)), 8, t10, 100, scorecard.StatusGreen, "scorecard.calc.linear"},
		// Lower beyond red: (28 − 30) / (10 − 30) × 100 = 10, red.
		{"linear lower beyond red", lower(scorecard.MethodLinear, stF(30), stF(25)), 28, t10, 10, scorecard.StatusRed, "scorecard.calc.linear"},
		// Threshold bands: at the target green 100, between amber 50, below
		// red 0.
		{"bands green", higher(scorecard.MethodBands, nil, stF(70)), 90, t90, 100, scorecard.StatusGreen, "scorecard.calc.bands.green"},
		{"bands amber", higher(scorecard.MethodBands, nil, stF(70)), 80, t90, 50, scorecard.StatusAmber, "scorecard.calc.bands.amber"},
		{"bands red", higher(scorecard.MethodBands, nil, stF(70)), 69.9, t90, 0, scorecard.StatusRed, "scorecard.calc.bands.red"},
		// Exactly on the red threshold is not beyond it: amber.
		{"bands on the red threshold", higher(scorecard.MethodBands, nil, stF(70)), 70, t90, 50, scorecard.StatusAmber, "scorecard.calc.bands.amber"},
		// No red threshold: any miss is red.
		{"bands without red", higher(scorecard.MethodBands, nil, nil), 89, t90, 0, scorecard.StatusRed, "scorecard.calc.bands.red"},
		{"bands lower amber", lower(scorecard.MethodBands, nil, stF(20)), 15, t10, 50, scorecard.StatusAmber, "scorecard.calc.bands.amber"},
		{"bands lower red", lower(scorecard.MethodBands, nil, stF(20)), 21, t10, 0, scorecard.StatusRed, "scorecard.calc.bands.red"},
		// Achieved / not achieved: 95 ≥ 95 is 100; 92 is 0 and red even
		// though it is above the red threshold.
		{"binary achieved", higher(scorecard.MethodBinary, nil, stF(90)), 95, scorecard.Target{Value: 95}, 100, scorecard.StatusGreen, "scorecard.calc.binary"},
		{"binary missed above red", higher(scorecard.MethodBinary, nil, stF(90)), 92, scorecard.Target{Value: 95}, 0, scorecard.StatusRed, "scorecard.calc.binary"},
		{"binary lower achieved", lower(scorecard.MethodBinary, nil, nil), 10, t10, 100, scorecard.StatusGreen, "scorecard.calc.binary"},
		// Within a band: budget execution deviation between 2 and 3 %, red
		// below 1 or above 5.
		// Inside: 100, green.
		{"band inside", band(scorecard.MethodLinear, stF(1), stF(5)), 2.5, band23, 100, scorecard.StatusGreen, "scorecard.calc.band_inside"},
		// On the edges: still inside.
		{"band on its top", band(scorecard.MethodLinear, stF(1), stF(5)), 3, band23, 100, scorecard.StatusGreen, "scorecard.calc.band_inside"},
		// Below: (1.5 − 1) / (2 − 1) × 100 = 50, amber.
		{"band below", band(scorecard.MethodLinear, stF(1), stF(5)), 1.5, band23, 50, scorecard.StatusAmber, "scorecard.calc.band_below"},
		// Below red: (0.5 − 1) / (2 − 1) × 100 = −50 → 0, red.
		{"band below red", band(scorecard.MethodLinear, stF(1), stF(5)), 0.5, band23, 0, scorecard.StatusRed, "scorecard.calc.band_below"},
		// Above: (5 − 4) / (5 − 3) × 100 = 50, amber.
		{"band above", band(scorecard.MethodLinear, stF(1), stF(5)), 4, band23, 50, scorecard.StatusAmber, "scorecard.calc.band_above"},
		// Above red: (5 − 6) / (5 − 3) × 100 = −50 → 0, red.
		{"band above red", band(scorecard.MethodLinear, stF(1), stF(5)), 6, band23, 0, scorecard.StatusRed, "scorecard.calc.band_above"},
		// No thresholds: outside the band is 0 and red.
		{"band outside without red", band(scorecard.MethodLinear, nil, nil), 4, band23, 0, scorecard.StatusRed, "scorecard.calc.band_outside"},
		// A band of one point (no top): 2 is inside, 2.1 is above.
		{"band of one point", band(scorecard.MethodLinear, nil, stF(4)), 2, scorecard.Target{Value: 2}, 100, scorecard.StatusGreen, "scorecard.calc.band_inside"},
		// Bands method on a band: above, short of the red: amber 50.
		{"band with bands method", band(scorecard.MethodBands, stF(1), stF(5)), 4, band23, 50, scorecard.StatusAmber, "scorecard.calc.bands.amber"},
		{"band with binary method", band(scorecard.MethodBinary, stF(1), stF(5)), 4, band23, 0, scorecard.StatusRed, "scorecard.calc.binary"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := c.rule.Evaluate(c.value, c.target)
			if !stNear(r.Score, c.score) || r.Status != c.status || r.Calc.Key != c.calc {
				t.Errorf("got %.2f %s %s, want %.2f %s %s", r.Score, r.Status, r.Calc.Key, c.score, c.status, c.calc)
			}
			if s, ok := r.Calc.Args["Score"].(float64); !ok || !stNear(s, r.Score) {
				t.Errorf("the arithmetic shown says %v, the score is %.2f", r.Calc.Args["Score"], r.Score)
			}
		})
	}
	// The arithmetic carries the figures it was made of.
	r := higher(scorecard.MethodLinear, stF(60), stF(70)).Evaluate(81, t90)
	if r.Calc.Args["Value"] != 81.0 || r.Calc.Args["Baseline"] != 60.0 || r.Calc.Args["Target"] != 90.0 {
		t.Errorf("calc args %v", r.Calc.Args)
	}
}

func TestTargetFor(t *testing.T) {
	ts := []scorecard.Target{{Period: "2026", Value: 90}, {Period: "2026-03", Value: 95}, {Period: "2025-Q4", Value: 80}}
	cases := []struct {
		period string
		want   float64
		ok     bool
	}{
		{"2026-03", 95, true}, // its own target
		{"2026-04", 90, true}, // the year's
		{"2026-Q2", 90, true}, // the year's, for a quarter too
		{"2026", 90, true},    // a yearly period is its year
		{"2025-Q4", 80, true}, // its own
		{"2025-12", 0, false}, // neither its own nor its year's
		{"2027-01", 0, false},
	}
	for _, c := range cases {
		p, err := scorecard.ParsePeriod(c.period)
		if err != nil {
			t.Fatal(err)
		}
		got, ok := scorecard.TargetFor(ts, p)
		if ok != c.ok || got.Value != c.want {
			t.Errorf("%s: got %v %v, want %v %v", c.period, got.Value, ok, c.want, c.ok)
		}
	}
}

func TestRollupWorkedExamples(t *testing.T) {
	part := func(w, score float64, has bool) scorecard.Part {
		return scorecard.Part{Weight: w, Score: score, HasData: has}
	}
	cases := []struct {
		name       string
		parts      []scorecard.Part
		score      float64
		has        bool
		status     string
		missing    int
		weightUsed float64
		norm       []float64
	}{
		// Weights 2 and 1 with data, 1 missing: the weights renormalise over
		// 3: 2/3 × 80 + 1/3 × 50 = 53.33 + 16.67 = 70, amber; 1 missing.
		{"missing period", []scorecard.Part{part(2, 80, true), part(1, 50, true), part(1, 0, false)}, 70, true, scorecard.StatusAmber, 1, 3, []float64{2.0 / 3, 1.0 / 3, 0}},
		// Equal weights: (100 + 60) / 2 = 80, green (80 is green).
		{"equal weights", []scorecard.Part{part(1, 100, true), part(1, 60, true)}, 80, true, scorecard.StatusGreen, 0, 2, []float64{0.5, 0.5}},
		// A weight of 0 is shown but counts for nothing: 1/1 × 100 = 100.
		{"zero weight", []scorecard.Part{part(1, 100, true), part(0, 0, true)}, 100, true, scorecard.StatusGreen, 0, 1, []float64{1, 0}},
		// A part with weight 0 and no data is not missing either.
		{"zero weight without data", []scorecard.Part{part(3, 40, true), part(0, 0, false)}, 40, true, scorecard.StatusRed, 0, 3, []float64{1, 0}},
		// Only zero weights: nothing counts, no score.
		{"all zero weights", []scorecard.Part{part(0, 90, true), part(0, 10, true)}, 0, false, scorecard.StatusNone, 0, 0, []float64{0, 0}},
		// Nothing has data: no score, both flagged missing.
		{"all missing", []scorecard.Part{part(1, 0, false), part(2, 0, false)}, 0, false, scorecard.StatusNone, 2, 0, []float64{0, 0}},
		// Nothing at all.
		{"no parts", nil, 0, false, scorecard.StatusNone, 0, 0, nil},
		// 0.25 × 40 + 0.75 × 60 = 10 + 45 = 55, amber; 49.99 would be red.
		{"uneven weights", []scorecard.Part{part(1, 40, true), part(3, 60, true)}, 55, true, scorecard.StatusAmber, 0, 4, []float64{0.25, 0.75}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := scorecard.Rollup(c.parts)
			if !stNear(a.Score, c.score) || a.HasData != c.has || a.Status != c.status || a.Missing != c.missing || !stNear(a.WeightUsed, c.weightUsed) {
				t.Errorf("got %.2f has=%v %s missing=%d used=%.2f", a.Score, a.HasData, a.Status, a.Missing, a.WeightUsed)
			}
			sum := 0.0
			for i, p := range a.Parts {
				if !stNear(p.NormWeight, c.norm[i]) || !stNear(p.Contribution, p.NormWeight*p.Score) {
					t.Errorf("part %d: norm %.3f contribution %.3f, want norm %.3f", i, p.NormWeight, p.Contribution, c.norm[i])
				}
				sum += p.Contribution
			}
			if !stNear(sum, a.Score) {
				t.Errorf("contributions add to %.2f, the score is %.2f", sum, a.Score)
			}
		})
	}
}

func TestStatusOf(t *testing.T) {
	for score, want := range map[float64]string{100: scorecard.StatusGreen, 80: scorecard.StatusGreen, 79.99: scorecard.StatusAmber,
		50: scorecard.StatusAmber, 49.99: scorecard.StatusRed, 0: scorecard.StatusRed} {
		if got := scorecard.StatusOf(score); got != want {
			t.Errorf("StatusOf(%v) = %s, want %s", score, got, want)
		}
	}
}
