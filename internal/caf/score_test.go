package caf_test

import (
	"math"
	"testing"

	"cadran/internal/caf"
	"cadran/internal/frameworks"
)

var F = caf.F

func near(x *float64, want float64) bool { return x != nil && math.Abs(*x-want) < 1e-9 }

// TestSubScore pins the score of one sub-criterion on each panel.
func TestSubScore(t *testing.T) {
	cases := []struct {
		name    string
		panel   string
		enabler bool
		s       caf.Scores
		want    float64
		ok      bool
	}{
		// Classical: the one score given is the score.
		{"classical enabler", caf.PanelClassical, true, caf.Scores{Score: F(55)}, 55, true},
		{"classical result", caf.PanelClassical, false, caf.Scores{Score: F(0)}, 0, true},
		{"classical without a score", caf.PanelClassical, true, caf.Scores{Plan: F(40)}, 0, false},
		// Fine-tuned enabler: (Plan 40 + Do 60 + Check 70 + Act 50) / 4 = 220 / 4 = 55.
		{"fine-tuned enabler", caf.PanelFineTuned, true, caf.Scores{Plan: F(40), Do: F(60), Check: F(70), Act: F(50)}, 55, true},
		// (10 + 25 + 30 + 30) / 4 = 95 / 4 = 23.75: no rounding.
		{"fine-tuned enabler, a quarter", caf.PanelFineTuned, true, caf.Scores{Plan: F(10), Do: F(25), Check: F(30), Act: F(30)}, 23.75, true},
		// Act missing: no score yet, the classical Score is ignored.
		{"fine-tuned enabler, Act missing", caf.PanelFineTuned, true, caf.Scores{Score: F(80), Plan: F(40), Do: F(60), Check: F(70)}, 0, false},
		// Fine-tuned result: (Trend 70 + Target 45) / 2 = 57.5.
		{"fine-tuned result", caf.PanelFineTuned, false, caf.Scores{Trend: F(70), Target: F(45)}, 57.5, true},
		{"fine-tuned result, Target missing", caf.PanelFineTuned, false, caf.Scores{Trend: F(70), Plan: F(1), Do: F(1), Check: F(1), Act: F(1)}, 0, false},
	}
	for _, c := range cases {
		got, ok := caf.SubScore(c.panel, c.enabler, c.s)
		if ok != c.ok || (ok && math.Abs(got-c.want) > 1e-9) {
			t.Errorf("%s: %v %v, want %v %v", c.name, got, ok, c.want, c.ok)
		}
	}
}

func TestMeanAndSpread(t *testing.T) {
	// Mean of 40, missing, 70, 55 = 165 / 3 = 55 (the missing one does not count).
	if m, ok := caf.Mean([]*float64{F(40), nil, F(70), F(55)}); !ok || m != 55 {
		t.Errorf("mean %v %v", m, ok)
	}
	if _, ok := caf.Mean([]*float64{nil, nil}); ok {
		t.Error("a mean of nothing")
	}
	// Spread of 40, 70, 55 = 70 - 40 = 30: wide (>= WideSpread).
	if s := caf.Spread([]*float64{F(40), nil, F(70), F(55)}); s != 30 || s < caf.WideSpread {
		t.Errorf("spread %v", s)
	}
	if s := caf.Spread([]*float64{F(40)}); s != 0 {
		t.Errorf("spread of one %v", s)
	}
}

func TestValidateScores(t *testing.T) {
	v := caf.Scores{Plan: F(101), Do: F(-1), Check: F(math.NaN())}.Validate(caf.PanelFineTuned, true, false)
	if v["caf_plan"] != "caf.error.score_range" || v["caf_do"] != "caf.error.score_range" || v["caf_check"] != "caf.error.score_range" || v["caf_act"] != "" {
		t.Errorf("partial: %v", v)
	}
	v = caf.Scores{Trend: F(100)}.Validate(caf.PanelFineTuned, false, true)
	if len(v) != 1 || v["caf_target"] != "error.required" {
		t.Errorf("complete: %v", v)
	}
	// A number of the other panel is not checked: it is dropped.
	if v := (caf.Scores{Score: F(500), Trend: F(0), Target: F(100)}).Validate(caf.PanelFineTuned, false, true); len(v) != 0 {
		t.Errorf("other panel: %v", v)
	}
	if n := (caf.Scores{Score: F(5), Plan: F(1)}).Normalize(caf.PanelClassical, true); n.Plan != nil || !near(n.Score, 5) {
		t.Errorf("normalize %+v", n)
	}
}

func TestBands(t *testing.T) {
	cases := []struct {
		enabler bool
		score   float64
		key     string
	}{
		{true, 0, "caf.band.enabler.0_10"},
		{true, 10, "caf.band.enabler.0_10"},
		{true, 10.5, "caf.band.enabler.11_30"},
		{true, 55, "caf.band.enabler.51_70"},
		{true, 70, "caf.band.enabler.51_70"},
		{true, 100, "caf.band.enabler.91_100"},
		{false, 31, "caf.band.result.31_50"},
		{false, 90, "caf.band.result.71_90"},
	}
	for _, c := range cases {
		if got := caf.BandOf(c.enabler, c.score); got.Key != c.key {
			t.Errorf("%v %v: %s, want %s", c.enabler, c.score, got.Key, c.key)
		}
	}
	if bs := caf.Bands(false); len(bs) != 6 || bs[3].Low != 51 || bs[3].High != 70 {
		t.Errorf("bands %+v", bs)
	}
}

// TestCompute pins the roll-up on the CAF 2020 model with a worked
// example.
func TestCompute(t *testing.T) {
	model, _ := frameworks.CAFModel("2020")
	scores := map[string]*float64{}
	// Every sub-criterion 50, except:
	for _, s := range model.Subs() {
		scores[s.Code] = F(50)
	}
	// criterion 1: 1.1 = 30, 1.2 = 60, 1.3 = 90, 1.4 missing →
	//   criterion 1 = (30 + 60 + 90) / 3 = 60 (the missing one is left out);
	scores["1.1"], scores["1.2"], scores["1.3"] = F(30), F(60), F(90)
	delete(scores, "1.4")
	// criterion 9: 9.1 = 80, 9.2 = 20 → 50.
	scores["9.1"], scores["9.2"] = F(80), F(20)
	// Enablers: 19 scored sub-criteria of criteria 1-5: 30 + 60 + 90 + 16 × 50
	//   = 980, / 19 = 51.578947...
	// Results: 8 sub-criteria: 6 × 50 + 80 + 20 = 400, / 8 = 50.
	// Total: (980 + 400) / 27 = 51.111...
	prev := map[string]*float64{"1.1": F(20), "6.1": F(40)}
	r := caf.Compute(model, scores, prev)
	if r.Missing != 1 {
		t.Errorf("missing %d", r.Missing)
	}
	if len(r.Criteria) != 9 || r.Criteria[0].Code != "1" || len(r.Criteria[0].Subs) != 4 || r.Criteria[5].Kind != frameworks.CAFResult {
		t.Fatalf("criteria %+v", r.Criteria)
	}
	if !near(r.Criteria[0].Score, 60) || !near(r.Criteria[8].Score, 50) || !near(r.Criteria[1].Score, 50) {
		t.Errorf("criterion 1 %v, 9 %v", *r.Criteria[0].Score, *r.Criteria[8].Score)
	}
	if !near(r.Enablers.Score, 980.0/19) || !near(r.Results.Score, 50) || !near(r.Total.Score, 1380.0/27) {
		t.Errorf("enablers %v results %v total %v", *r.Enablers.Score, *r.Results.Score, *r.Total.Score)
	}
	// The previous cycle: 1.1 = 20 only in criterion 1 → 20; 6.1 = 40 →
	// criterion 6 = 40, results 40, enablers 20, total (20 + 40) / 2 = 30.
	if !near(r.Criteria[0].Previous, 20) || !near(r.Criteria[5].Previous, 40) || r.Criteria[8].Previous != nil ||
		!near(r.Enablers.Previous, 20) || !near(r.Results.Previous, 40) || !near(r.Total.Previous, 30) {
		t.Errorf("previous %+v", r)
	}
	if d, ok := r.Criteria[0].Subs[0].Delta(); !ok || d != 10 {
		t.Errorf("delta 1.1: %v %v", d, ok)
	}
	if r.Criteria[0].Subs[3].Score != nil {
		t.Error("1.4 has a score")
	}
}
