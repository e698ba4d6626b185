package caf

import (
	"math"
	"strconv"

	"cadran/internal/apperr"
)

// Scores are the numbers one assessment (or the consensus) gives a
// sub-criterion: Score on the classical panel; Plan, Do, Check and Act for
// an enabler on the fine-tuned panel; Trend and Target for a result on the
// fine-tuned panel. Each is 0-100, nil when not given.
type Scores struct {
	Score  *float64 `json:"score,omitempty"`
	Plan   *float64 `json:"plan,omitempty"`
	Do     *float64 `json:"do,omitempty"`
	Check  *float64 `json:"check,omitempty"`
	Act    *float64 `json:"act,omitempty"`
	Trend  *float64 `json:"trend,omitempty"`
	Target *float64 `json:"target,omitempty"`
}

// MinScore and MaxScore bound every number of a panel.
const (
	MinScore = 0.0
	MaxScore = 100.0
)

// SubScore is a sub-criterion's score from its Scores: the classical
// panel's Score; on the fine-tuned panel the mean of Plan, Do, Check and Act
// (enablers) or of Trend and Target (results). ok is false until every
// number the panel needs is given.
func SubScore(panel string, enabler bool, s Scores) (score float64, ok bool) {
	parts := s.parts(panel, enabler)
	for _, p := range parts {
		if p.v == nil {
			return 0, false
		}
	}
	vals := make([]*float64, len(parts))
	for i, p := range parts {
		vals[i] = p.v
	}
	return Mean(vals)
}

// SubScorePtr is SubScore as a pointer, nil while incomplete.
func SubScorePtr(panel string, enabler bool, s Scores) *float64 {
	if v, ok := SubScore(panel, enabler, s); ok {
		return &v
	}
	return nil
}

// Mean is the mean of the scores that are given, ok false when none is.
func Mean(scores []*float64) (mean float64, ok bool) {
	sum, n := 0.0, 0
	for _, s := range scores {
		if s != nil {
			sum += *s
			n++
		}
	}
	if n == 0 {
		return 0, false
	}
	return sum / float64(n), true
}

// MeanPtr is Mean as a pointer, nil when no score is given.
func MeanPtr(scores []*float64) *float64 {
	if v, ok := Mean(scores); ok {
		return &v
	}
	return nil
}

// Spread is the highest minus the lowest of the given scores (0 for fewer
// than two).
func Spread(scores []*float64) float64 {
	lo, hi, ok := MinMax(scores)
	if !ok {
		return 0
	}
	return hi - lo
}

// MinMax returns the lowest and the highest of the given scores, ok false
// when none is given.
func MinMax(scores []*float64) (lo, hi float64, ok bool) {
	for _, s := range scores {
		if s == nil {
			continue
		}
		if !ok {
			lo, hi, ok = *s, *s, true
			continue
		}
		lo, hi = math.Min(lo, *s), math.Max(hi, *s)
	}
	return lo, hi, ok
}

// part is one number a panel asks for, with the form field that holds it.
type part struct {
	field string
	v     *float64
}

// parts lists the numbers the panel needs for a sub-criterion.
func (s Scores) parts(panel string, enabler bool) []part {
	switch {
	case panel == PanelFineTuned && enabler:
		return []part{{"caf_plan", s.Plan}, {"caf_do", s.Do}, {"caf_check", s.Check}, {"caf_act", s.Act}}
	case panel == PanelFineTuned:
		return []part{{"caf_trend", s.Trend}, {"caf_target", s.Target}}
	default:
		return []part{{"caf_score", s.Score}}
	}
}

// Fields lists the form fields (and so the Scores members) the panel asks
// for a sub-criterion: caf_score; caf_plan, caf_do, caf_check, caf_act; or
// caf_trend, caf_target.
func Fields(panel string, enabler bool) []string {
	ps := Scores{}.parts(panel, enabler)
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.field
	}
	return out
}

// Normalize keeps only the numbers the panel uses for the sub-criterion
// (the others are dropped), so a stored assessment never carries numbers
// of another panel.
func (s Scores) Normalize(panel string, enabler bool) Scores {
	var out Scores
	switch {
	case panel == PanelFineTuned && enabler:
		out.Plan, out.Do, out.Check, out.Act = s.Plan, s.Do, s.Check, s.Act
	case panel == PanelFineTuned:
		out.Trend, out.Target = s.Trend, s.Target
	default:
		out.Score = s.Score
	}
	return out
}

// Validate checks that every number the panel uses for the sub-criterion
// is within 0-100; complete also asks that all of them are given. Problems
// are keyed by form field (caf_score, caf_plan, ...).
func (s Scores) Validate(panel string, enabler, complete bool) apperr.Validation {
	v := apperr.Validation{}
	for _, p := range s.parts(panel, enabler) {
		switch {
		case p.v == nil && complete:
			v.Add(p.field, "error.required")
		case p.v != nil && (math.IsNaN(*p.v) || *p.v < MinScore || *p.v > MaxScore):
			v.Add(p.field, "caf.error.score_range")
		}
	}
	return v
}

// Complete reports whether every number the panel needs is given.
func (s Scores) Complete(panel string, enabler bool) bool {
	_, ok := SubScore(panel, enabler, s)
	return ok
}

// Band is one band of the classical panel: a score from Low to High
// (inclusive) means what its message key says (for an enabler, the PDCA
// phase reached; for a result, the trends and targets shown).
type Band struct {
	Low, High int
	Key       string // caf.band.enabler.51_70 ...
}

var bandLimits = [][2]int{{0, 10}, {11, 30}, {31, 50}, {51, 70}, {71, 90}, {91, 100}}

// Bands lists the classical panel's six bands for enablers or results,
// lowest first.
func Bands(enabler bool) []Band {
	kind := "result"
	if enabler {
		kind = "enabler"
	}
	out := make([]Band, len(bandLimits))
	for i, l := range bandLimits {
		out[i] = Band{Low: l[0], High: l[1], Key: "caf.band." + kind + "." + strconv.Itoa(l[0]) + "_" + strconv.Itoa(l[1])}
	}
	return out
}

// BandOf is the classical band a score falls in: a score above a band's
// High and up to the next band's Low (10.5) counts in the higher band.
func BandOf(enabler bool, score float64) Band {
	bs := Bands(enabler)
	for _, b := range bs {
		if score <= float64(b.High) {
			return b
		}
	}
	return bs[len(bs)-1]
}

// F returns a pointer to v, to build Scores.
func F(v float64) *float64 { return &v }
