package scorecard

import "math"

// Roll-up colours: an aggregate score at or above GreenFrom is green, at or
// above AmberFrom amber, below it red.
const (
	GreenFrom = 80.0
	AmberFrom = 50.0
)

// Target is a KPI's target for a period: the period's key, or a year's key
// ("2026") for every period of that year without a target of its own. High
// is the top of the band for a KPI with polarity band.
type Target struct {
	Period string   `json:"period"`
	Value  float64  `json:"target"`
	High   *float64 `json:"target_high,omitempty"`
}

// TargetFor returns the target that applies to p: p's own, else its year's.
func TargetFor(targets []Target, p Period) (Target, bool) {
	var year *Target
	for i, t := range targets {
		if t.Period == p.Key() {
			return t, true
		}
		if t.Period == p.YearKey() {
			year = &targets[i]
		}
	}
	if year != nil {
		return *year, true
	}
	return Target{}, false
}

// Rule is how a KPI's value is judged: its polarity, scoring method,
// baseline and red thresholds (Red for higher and lower; Red and RedHigh
// on either side of a band).
type Rule struct {
	Polarity string
	Method   string
	Baseline *float64
	Red      *float64
	RedHigh  *float64
}

// Calc is the arithmetic behind a score, for the reader: a message key and
// its arguments ("(93 − 80) / (95 − 80) × 100 = 86.7").
type Calc struct {
	Key  string
	Args map[string]any
}

// Result is a value judged against its target.
type Result struct {
	Score  float64 // 0 to 100
	Status string  // green, amber, red
	Calc   Calc
}

// Evaluate turns a value into a status and a 0-100 score.
//
// Status: green when the target is met (at or above it, at or below it
// for lower-is-better, inside the band); red beyond the red threshold, or,
// when the KPI has none, whenever the target is missed; amber between.
//
// Score by method: binary gives 100 when the target is met and 0 when not
// (and the status is then green or red only); bands gives green 100, amber
// 50, red 0; linear goes from 0 at the baseline to 100 at the target,
// clamped, in whichever direction the polarity says (the red threshold
// stands in for a missing baseline; with neither, it scores as binary).
// For a band, linear gives 100 inside and falls to 0 at the red threshold
// on either side.
func (r Rule) Evaluate(v float64, t Target) Result {
	res := Result{Status: r.status(v, t)}
	switch r.Method {
	case MethodBinary:
		res.Score = 0
		if res.Status == StatusGreen {
			res.Score = 100
		} else {
			res.Status = StatusRed
		}
		res.Calc = Calc{Key: "scorecard.calc.binary", Args: map[string]any{"Value": v, "Target": t.Value, "Score": res.Score}}
	case MethodBands:
		res.Score = map[string]float64{StatusGreen: 100, StatusAmber: 50, StatusRed: 0}[res.Status]
		res.Calc = Calc{Key: "scorecard.calc.bands." + res.Status, Args: map[string]any{"Value": v, "Target": t.Value, "Score": res.Score}}
	default:
		res.Score, res.Calc = r.linear(v, t, res.Status)
	}
	return res
}

func (r Rule) status(v float64, t Target) string {
	switch r.Polarity {
	case PolarityLower:
		if v <= t.Value {
			return StatusGreen
		}
		if r.Red == nil || v > *r.Red {
			return StatusRed
		}
	case PolarityBand:
		high := t.Value
		if t.High != nil {
			high = *t.High
		}
		if v >= t.Value && v <= high {
			return StatusGreen
		}
		if v < t.Value && (r.Red == nil || v < *r.Red) || v > high && (r.RedHigh == nil || v > *r.RedHigh) {
			return StatusRed
		}
	default:
		if v >= t.Value {
			return StatusGreen
		}
		if r.Red == nil || v < *r.Red {
			return StatusRed
		}
	}
	return StatusAmber
}

func (r Rule) linear(v float64, t Target, status string) (float64, Calc) {
	if r.Polarity == PolarityBand {
		high := t.Value
		if t.High != nil {
			high = *t.High
		}
		switch {
		case v >= t.Value && v <= high:
			return 100, Calc{Key: "scorecard.calc.band_inside", Args: map[string]any{"Value": v, "Low": t.Value, "High": high, "Score": 100.0}}
		case v < t.Value && r.Red != nil && *r.Red < t.Value:
			s := clamp((v - *r.Red) / (t.Value - *r.Red) * 100)
			return s, Calc{Key: "scorecard.calc.band_below", Args: map[string]any{"Value": v, "Red": *r.Red, "Low": t.Value, "Score": s}}
		case v > high && r.RedHigh != nil && *r.RedHigh > high:
			s := clamp((*r.RedHigh - v) / (*r.RedHigh - high) * 100)
			return s, Calc{Key: "scorecard.calc.band_above", Args: map[string]any{"Value": v, "Red": *r.RedHigh, "High": high, "Score": s}}
		}
		return 0, Calc{Key: "scorecard.calc.band_outside", Args: map[string]any{"Value": v, "Low": t.Value, "High": high, "Score": 0.0}}
	}
	zero := r.Baseline
	key := "scorecard.calc.linear"
	if zero == nil {
		zero, key = r.Red, "scorecard.calc.linear_red"
	}
	if zero == nil || *zero == t.Value {
		s := 0.0
		if status == StatusGreen {
			s = 100
		}
		return s, Calc{Key: "scorecard.calc.binary", Args: map[string]any{"Value": v, "Target": t.Value, "Score": s}}
	}
	s := clamp((v - *zero) / (t.Value - *zero) * 100)
	return s, Calc{Key: key, Args: map[string]any{"Value": v, "Baseline": *zero, "Target": t.Value, "Score": s}}
}

func clamp(s float64) float64 {
	if math.IsNaN(s) {
		return 0
	}
	return math.Max(0, math.Min(100, s))
}

// StatusOf colours an aggregate score.
func StatusOf(score float64) string {
	switch {
	case score >= GreenFrom:
		return StatusGreen
	case score >= AmberFrom:
		return StatusAmber
	}
	return StatusRed
}

// Part is one input of a roll-up: a KPI of an objective, an objective of a
// perspective, a perspective of a scorecard, a unit of the institution.
type Part struct {
	Kind    string // "kpi", "objective", "perspective", "unit"
	ID      int64
	Code    string
	Name    string
	Href    string
	Weight  float64
	Score   float64
	HasData bool
	Status  string
	// Filled in by Rollup: the weight after renormalising over the parts
	// that have data (0 for the others), and what the part adds to the
	// aggregate (NormWeight × Score).
	NormWeight   float64
	Contribution float64
}

// Agg is a weighted roll-up and its arithmetic.
type Agg struct {
	Score   float64
	HasData bool
	Status  string // StatusNone without data
	Parts   []Part
	// WeightUsed is the sum of the weights of the parts with data; Missing
	// counts the parts with a weight but no data (flagged to the reader).
	WeightUsed float64
	Missing    int
}

// Rollup is the weighted mean of the parts that have data, the weights
// renormalised over them. A part without data is left out and counted in
// Missing; a part with weight 0 is shown but counts for nothing. With no
// part that has both data and weight, the aggregate has no data.
func Rollup(parts []Part) Agg {
	a := Agg{Parts: parts, Status: StatusNone}
	for _, p := range parts {
		switch {
		case !p.HasData && p.Weight > 0:
			a.Missing++
		case p.HasData && p.Weight > 0:
			a.WeightUsed += p.Weight
		}
	}
	if a.WeightUsed == 0 {
		return a
	}
	for i := range a.Parts {
		p := &a.Parts[i]
		p.NormWeight, p.Contribution = 0, 0
		if p.HasData && p.Weight > 0 {
			p.NormWeight = p.Weight / a.WeightUsed
			p.Contribution = p.NormWeight * p.Score
			a.Score += p.Contribution
		}
	}
	a.Score = clamp(a.Score)
	a.HasData = true
	a.Status = StatusOf(a.Score)
	return a
}
